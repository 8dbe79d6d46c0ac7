// nubpfc: compiles a probe file into a BPF ELF object.
//
//   nubpfc probe.nu -o probe.bpf.o
//   nubpfc probe.nu --emit mir
//
// The driver runs the stages in order and stops at the first that fails:
// read the file, parse, load its modules, check into MIR, lower and write.

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <sstream>
#include <iostream>

#include <bpf/libbpf.h>

#include <cstdarg>

#include "CLI/CLI.hpp"
#include "backend/backend.h"
#include "backend/skeleton.h"
#include "compiler/checker.h"
#include "compiler/dependency_file.h"
#include "compiler/kernel_btf.h"
#include "compiler/mir_passes.h"
#include "compiler/mir_printer.h"
#include "compiler/output_files.h"
#include "frontend/ast_printer.h"
#include "frontend/diagnostics.h"
#include "frontend/input_files.h"
#include "frontend/modules.h"
#include "frontend/parser.h"

namespace {

// Exit codes, also listed in `--help`.
constexpr int kExitSourceError = 1;
constexpr int kExitUsageError = 2;
constexpr int kExitInternalError = 3;

enum class EmitStage { kAst, kMir, kLlvm, kAssembly, kObject, kSkeleton };

enum class ColorMode { kAuto, kAlways, kNever };

struct DriverOptions {
  std::string input;
  std::string output;
  EmitStage emit = EmitStage::kObject;
  int optimization_level = 2;
  std::string cpu = "v3";
  bool line_info = true;
  bool warnings_as_errors = false;
  // Folders searched for `use FILE.nu` after the using file's own folder.
  std::vector<std::string> include_dirs;
  // `--file-prefix-map OLD=NEW`, in the order given.
  std::vector<std::string> file_prefix_map;
  // `-MD`: write a Make rule naming every file read, to `dependency_file`
  // (default: the output path with `.d` added), for `dependency_target`
  // (default: the output path).
  bool write_dependencies = false;
  // `-MP`: an empty rule for each input but the probe file.
  bool phony_inputs = false;
  std::string dependency_file;
  std::string dependency_target;
  nubpf::frontend::RenderOptions render;
  nubpf::compiler::CheckOptions check;
};

// `auto` colours diagnostics when stderr is a terminal and NO_COLOR is unset
// or empty, following the NO_COLOR convention. `always` overrides NO_COLOR.
bool UseColor(ColorMode mode) {
  switch (mode) {
    case ColorMode::kAlways:
      return true;
    case ColorMode::kNever:
      return false;
    case ColorMode::kAuto:
      break;
  }
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && no_color[0] != '\0') return false;
  return isatty(STDERR_FILENO) == 1;
}

void PrintDiagnostics(const nubpf::frontend::SourceFile& source,
                      const nubpf::frontend::DiagnosticSink& diagnostics,
                      const nubpf::frontend::RenderOptions& render) {
  for (const nubpf::frontend::Diagnostic& diagnostic : diagnostics.diagnostics()) {
    nubpf::frontend::RenderFramed(source, diagnostic, std::cerr, render);
  }
}

// `probe.nu` compiles to `probe.bpf.o` in the same folder by default.
std::string DefaultOutput(const std::string& input) {
  std::string base = input;
  if (base.size() > 3 && base.compare(base.size() - 3, 3, ".nu") == 0) {
    base.resize(base.size() - 3);
  }
  return base + ".bpf.o";
}

// Writes the output and, with `-MD`, its dependency file. The dependency
// file is renamed into place first: when the object's rename then fails,
// the old object is older than its inputs, so Make and Ninja build again.
bool WriteOutputs(const DriverOptions& options, const std::string& output,
                  const std::string& bytes, const nubpf::frontend::InputFiles& inputs,
                  std::string* error) {
  std::vector<nubpf::compiler::OutputFile> files;
  if (options.write_dependencies) {
    std::string target =
        options.dependency_target.empty() ? output : options.dependency_target;
    std::string path =
        options.dependency_file.empty() ? output + ".d" : options.dependency_file;
    files.push_back({path, nubpf::compiler::FormatDependencyFile(target, inputs.paths(),
                                                                 options.phony_inputs)});
  }
  if (output != "-") files.push_back({output, bytes});
  if (!nubpf::compiler::WriteOutputFiles(files, error)) return false;
  if (output != "-") return true;

  std::cout.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (std::cout.flush()) return true;
  *error = "cannot write to standard output: " + std::string(std::strerror(errno));
  return false;
}

// Writes what the --emit stage produced to its output, and returns the
// exit code.
int WriteResult(const DriverOptions& options, const std::string& bytes,
                const nubpf::frontend::InputFiles& inputs) {
  std::string output = options.output;
  if (output.empty()) {
    output = options.emit == EmitStage::kObject ? DefaultOutput(options.input) : "-";
  }
  std::string error;
  if (!WriteOutputs(options, output, bytes, inputs, &error)) {
    std::cerr << "nubpfc: " << error << '\n';
    return kExitUsageError;
  }
  return 0;
}

int Compile(const DriverOptions& options) {
  nubpf::frontend::SourceFile source("", "");
  std::string error;
  if (!nubpf::frontend::SourceFile::Load(options.input, &source, &error)) {
    std::cerr << "nubpfc: " << error << '\n';
    return kExitUsageError;
  }
  nubpf::frontend::InputFiles inputs;
  inputs.Record(options.input);
  nubpf::compiler::CheckOptions check = options.check;
  check.inputs = &inputs;

  // A `--btf` file is checked now, so that a bad one is a usage error even
  // when no probe reads kernel types.
  if (!options.check.btf_path.empty() &&
      nubpf::compiler::KernelBtf::Load(options.check.btf_path, &error) == nullptr) {
    std::cerr << "nubpfc: --btf: " << error
              << "\nhelp: pass raw BTF or an ELF file with a `.BTF` section, such as a "
                 "copy of /sys/kernel/btf/vmlinux\n";
    return kExitUsageError;
  }

  nubpf::frontend::DiagnosticSink diagnostics;
  nubpf::frontend::File ast;
  bool parsed = nubpf::frontend::Parse(source, diagnostics, &ast) &&
                nubpf::frontend::LoadModules(source, options.include_dirs, &inputs,
                                             diagnostics, &ast);
  if (!parsed) {
    PrintDiagnostics(source, diagnostics, options.render);
    return kExitSourceError;
  }
  if (options.emit == EmitStage::kAst) {
    std::ostringstream text;
    nubpf::frontend::PrintAst(ast, text);
    return WriteResult(options, text.str(), inputs);
  }

  nubpf::mir::Module mir;
  bool checked = nubpf::compiler::Check(ast, check, diagnostics, &mir);
  PrintDiagnostics(source, diagnostics, options.render);
  if (!checked) return kExitSourceError;
  if (options.warnings_as_errors && !diagnostics.diagnostics().empty()) {
    return kExitSourceError;
  }
  if (options.optimization_level > 0) nubpf::mir::OptimizeModule(&mir);
  for (const nubpf::mir::Function& function : mir.functions) {
    if (std::optional<std::string> invalid = nubpf::mir::VerifyFunction(mir, function)) {
      std::cerr << "nubpfc: " << options.input << ": internal error: invalid MIR "
                << *invalid
                << "\nthis is a bug in nubpfc; please report it with the probe file\n";
      return kExitInternalError;
    }
  }
  if (options.emit == EmitStage::kMir) {
    std::ostringstream text;
    nubpf::mir::PrintModule(mir, text);
    return WriteResult(options, text.str(), inputs);
  }

  nubpf::backend::BackendOptions backend_options;
  backend_options.optimization_level = options.optimization_level;
  backend_options.cpu = options.cpu;
  backend_options.line_info = options.line_info;
  for (const std::string& mapping : options.file_prefix_map) {
    size_t equals = mapping.find('=');
    backend_options.file_prefix_map.emplace_back(mapping.substr(0, equals),
                                                 mapping.substr(equals + 1));
  }
  nubpf::backend::OutputKind kind = nubpf::backend::OutputKind::kObject;
  if (options.emit == EmitStage::kLlvm) kind = nubpf::backend::OutputKind::kLlvmIr;
  if (options.emit == EmitStage::kAssembly) {
    kind = nubpf::backend::OutputKind::kAssembly;
  }
  std::string bytes;
  if (!nubpf::backend::Emit(mir, source, backend_options, kind, &bytes, &error)) {
    if (error.rfind("internal error:", 0) != 0) {
      std::cerr << "nubpfc: " << options.input << ": error: " << error << '\n';
      return kExitSourceError;
    }
    std::cerr << "nubpfc: " << options.input << ": " << error
              << "\nthis is a bug in nubpfc; please report it with the probe file\n";
    return kExitInternalError;
  }
  if (options.emit == EmitStage::kSkeleton) {
    bytes = nubpf::backend::BuildSkeleton(mir, bytes, options.input);
  }

  return WriteResult(options, bytes, inputs);
}

// Returns an error for `-MD` flags that name no dependency file or target,
// which happens when the output goes to standard output.
std::optional<std::string> CheckDependencyFlags(const DriverOptions& options) {
  bool to_stdout = options.output == "-" ||
                   (options.output.empty() && options.emit != EmitStage::kObject);
  if (!options.write_dependencies || !to_stdout) return std::nullopt;
  if (!options.dependency_file.empty() && !options.dependency_target.empty()) {
    return std::nullopt;
  }
  return "-MD with output to standard output needs `-MF FILE` and `-MT TARGET`";
}

}  // namespace

// nubpfc reports libbpf's failures in its own messages, so libbpf's log
// lines would only repeat them.
static int SilenceLibbpf(enum libbpf_print_level, const char*, va_list) { return 0; }

int main(int argc, char** argv) {
  libbpf_set_print(SilenceLibbpf);
  DriverOptions options;
  CLI::App app{"nubpfc: compile Nushell probe closures into a BPF ELF object", "nubpfc"};
  app.footer(
      "Exit codes: 0 success; 1 errors in the probe file or its modules, a "
      "module file not found included; 2 usage or file errors, such as a "
      "missing probe file or an unwritable output; 3 internal compiler error.");
  app.set_version_flag("--version",
                       "nubpfc " NUBPF_VERSION "\nLLVM " + nubpf::backend::LlvmVersion(),
                       "Print nubpfc's version and the LLVM version it links, then exit");
  app.add_option("file", options.input, "Probe file (.nu)")->required();
  app.add_option("-o,--output", options.output,
                 "Output path; `-` for standard output. Default: FILE with "
                 ".bpf.o in place of .nu for objects, standard output for "
                 "the other --emit stages");

  std::map<std::string, EmitStage> stages{{"ast", EmitStage::kAst},
                                          {"mir", EmitStage::kMir},
                                          {"llvm", EmitStage::kLlvm},
                                          {"asm", EmitStage::kAssembly},
                                          {"obj", EmitStage::kObject},
                                          {"skeleton", EmitStage::kSkeleton}};
  std::string emit = "obj";
  app.add_option("--emit", emit,
                 "Stage to write: ast, mir, llvm, asm or obj; or skeleton, a C++ header "
                 "that embeds the object and gives typed access to its parameters, "
                 "aggregations and globals (docs/runtime-api.md)")
      ->check(CLI::IsMember(stages))
      ->default_str("obj");
  app.add_option("-O", options.optimization_level,
                 "Optimization level: -O0 for none, -O2 for the MIR passes "
                 "(constant folding, read hoisting, dead code elimination) "
                 "and LLVM's default pipeline")
      ->check(CLI::IsMember({0, 2}))
      ->default_val(2);
  app.add_option("--mcpu", options.cpu,
                 "BPF instruction set: v1, the first eBPF one; v2 for Linux 4.14 "
                 "and later, v3 for 5.1 and later, v4 for 6.6 and later")
      ->check(CLI::IsMember({"v1", "v2", "v3", "v4"}))
      ->default_val("v3");
  app.add_option("--max-strlen", options.check.max_string_length,
                 "Bytes read from a string in user or kernel memory, the "
                 "terminating NUL included; longer strings are cut")
      ->check(CLI::Range(2, 4096))
      ->default_val(256);
  app.add_option("--stack-depth", options.check.stack_depth,
                 "Frames that `$e.kstack` and `$e.ustack` keep, counted from "
                 "the top of the stack")
      ->check(CLI::Range(1u, nubpf::mir::kMaxStackDepth))
      ->default_val(nubpf::mir::kDefaultStackDepth);
  app.add_option("--tracefs", options.check.tracefs_root,
                 "Folder whose `events/` tree has the tracepoint formats: a "
                 "tracefs root or a copy of one (default: /sys/kernel/tracing, "
                 "mounted when needed)");
  app.add_option("--btf", options.check.btf_path,
                 "Kernel BTF to compile against (default: this kernel's "
                 "/sys/kernel/btf/vmlinux)")
      ->option_text("FILE");
  app.add_flag("-g,!--no-line-info", options.line_info,
               "Line info: BTF maps each instruction to its `.nu` line, which "
               "`bpftool prog dump xlated linum` and verifier messages show "
               "(default; -g0 or --no-line-info maps each program to its "
               "probe's line only)");
  app.add_flag("--Werror", options.warnings_as_errors, "Treat warnings as errors");
  app.add_option("-I", options.include_dirs,
                 "Folder to search for module files (`use helpers.nu *`) after "
                 "the folder of the file that uses them; repeat for more, "
                 "searched in order")
      ->option_text("DIR")
      ->allow_extra_args(false);
  app.add_option("--file-prefix-map", options.file_prefix_map,
                 "Write source paths that start with OLD into the object "
                 "(`.nubpf` source line, BTF line info) with NEW in its place, "
                 "as GCC's -ffile-prefix-map does, so that builds in different "
                 "folders give the same bytes; repeat for more, the first "
                 "match applies")
      ->option_text("OLD=NEW")
      ->allow_extra_args(false)
      ->check([](const std::string& mapping) {
        return mapping.find('=') == std::string::npos || mapping.front() == '='
                   ? std::string("expected OLD=NEW, such as /home/ci/src=.")
                   : std::string();
      });
  app.add_flag("--MD", options.write_dependencies,
               "Also write OUTPUT.d, a Make rule that names every file read: "
               "the probe file, its modules, kernel BTF, tracepoint formats, "
               "uprobe and USDT ELF files. Written -MD, as in GCC");
  app.add_option("--MF", options.dependency_file,
                 "Write -MD's rule to FILE in place of OUTPUT.d; no effect "
                 "without -MD. Written -MF, as in GCC")
      ->option_text("FILE");
  app.add_flag("--MP", options.phony_inputs,
               "Add an empty rule for each input of -MD's rule but the probe "
               "file, so that Make builds again when a module is deleted. "
               "Written -MP, as in GCC");
  app.add_option("--MT", options.dependency_target,
                 "Target of -MD's rule (default: the output path). Written "
                 "-MT, as in GCC")
      ->option_text("TARGET");
  std::map<std::string, ColorMode> color_modes{{"auto", ColorMode::kAuto},
                                               {"always", ColorMode::kAlways},
                                               {"never", ColorMode::kNever}};
  std::string color = "auto";
  app.add_option("--color", color,
                 "Colour diagnostics: auto (when stderr is a terminal and "
                 "NO_COLOR is unset or empty), always or never")
      ->check(CLI::IsMember(color_modes))
      ->default_str("auto");

  // `-g0` is the compilers' spelling of "no line info"; CLI11 would read it
  // as `-g` with a value.
  std::vector<std::string> arguments(argv + 1, argv + argc);
  // GCC's `-MD`, `-MF`, `-MP` and `-MT` are long options with one dash, which
  // CLI11 would read as bundled short flags.
  for (std::string& argument : arguments) {
    if (argument == "-g0") argument = "--no-line-info";
    if (argument == "-MD" || argument == "-MF" || argument == "-MT" || argument == "-MP") {
      argument = "-" + argument;
    }
  }
  std::reverse(arguments.begin(), arguments.end());

  try {
    app.parse(arguments);
  } catch (const CLI::ParseError& parse_error) {
    int code = app.exit(parse_error);
    return code == 0 ? 0 : kExitUsageError;
  }
  options.emit = stages.at(emit);
  options.render.color = UseColor(color_modes.at(color));
  if (std::optional<std::string> invalid = CheckDependencyFlags(options)) {
    std::cerr << "nubpfc: " << *invalid << '\n';
    return kExitUsageError;
  }
  if (!options.dependency_file.empty() && !options.write_dependencies) {
    std::cerr << "nubpfc: warning: -MF has no effect without -MD\n";
  }
  return Compile(options);
}
