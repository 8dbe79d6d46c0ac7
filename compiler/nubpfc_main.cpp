// nubpfc: compiles a probe file into a BPF ELF object.
//
//   nubpfc probe.nu -o probe.bpf.o
//   nubpfc probe.nu --emit mir
//
// The driver runs the stages in order and stops at the first that fails:
// read the file, parse, check into MIR, lower and write.

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>

#include <bpf/libbpf.h>

#include <cstdarg>

#include "CLI/CLI.hpp"
#include "backend/backend.h"
#include "backend/skeleton.h"
#include "compiler/checker.h"
#include "compiler/kernel_btf.h"
#include "compiler/mir_passes.h"
#include "compiler/mir_printer.h"
#include "frontend/ast_printer.h"
#include "frontend/diagnostics.h"
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

bool WriteOutput(const std::string& path, const std::string& bytes) {
  if (path == "-") {
    std::cout.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return static_cast<bool>(std::cout.flush());
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return static_cast<bool>(out.flush());
}

int Compile(const DriverOptions& options) {
  nubpf::frontend::SourceFile source("", "");
  std::string error;
  if (!nubpf::frontend::SourceFile::Load(options.input, &source, &error)) {
    std::cerr << "nubpfc: " << error << '\n';
    return kExitUsageError;
  }

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
  bool parsed = nubpf::frontend::Parse(source, diagnostics, &ast);
  if (!parsed) {
    PrintDiagnostics(source, diagnostics, options.render);
    return kExitSourceError;
  }
  if (options.emit == EmitStage::kAst) {
    nubpf::frontend::PrintAst(ast, std::cout);
    return 0;
  }

  nubpf::mir::Module mir;
  bool checked = nubpf::compiler::Check(ast, options.check, diagnostics, &mir);
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
    nubpf::mir::PrintModule(mir, std::cout);
    return 0;
  }

  nubpf::backend::BackendOptions backend_options;
  backend_options.optimization_level = options.optimization_level;
  backend_options.cpu = options.cpu;
  backend_options.line_info = options.line_info;
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

  std::string output = options.output;
  if (output.empty()) {
    output = options.emit == EmitStage::kObject ? DefaultOutput(options.input) : "-";
  }
  if (!WriteOutput(output, bytes)) {
    std::cerr << "nubpfc: cannot write `" << output
              << "`: " << std::strerror(errno) << '\n';
    return kExitUsageError;
  }
  return 0;
}

}  // namespace

// nubpfc reports libbpf's failures in its own messages, so libbpf's log
// lines would only repeat them.
static int SilenceLibbpf(enum libbpf_print_level, const char*, va_list) { return 0; }

int main(int argc, char** argv) {
  libbpf_set_print(SilenceLibbpf);
  DriverOptions options;
  CLI::App app{"nubpfc: compile Nushell probe closures into a BPF ELF object"};
  app.footer(
      "Exit codes: 0 success, 1 errors in the probe file, 2 usage or file "
      "errors, 3 internal compiler error.");
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
  for (std::string& argument : arguments) {
    if (argument == "-g0") argument = "--no-line-info";
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
  return Compile(options);
}
