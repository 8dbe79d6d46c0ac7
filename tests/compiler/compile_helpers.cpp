#include "compile_helpers.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "compiler/mir_passes.h"
#include "compiler/mir_printer.h"
#include "frontend/parser.h"
#include "gtest/gtest.h"

namespace nubpf::testing {

static const char kCommonFields[] =
    "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
    "\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
    "\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
    "\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n";

FakeTracefs::FakeTracefs() {
  char pattern[] = "/tmp/nubpf-tracefs-XXXXXX";
  if (mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
  root_ = pattern;
  AddFormat("syscalls", "sys_enter_openat",
            "\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;\n"
            "\tfield:int dfd;\toffset:16;\tsize:8;\tsigned:0;\n"
            "\tfield:const char * filename;\toffset:24;\tsize:8;\tsigned:0;\n"
            "\tfield:int flags;\toffset:32;\tsize:8;\tsigned:0;\n"
            "\tfield:umode_t mode;\toffset:40;\tsize:8;\tsigned:0;\n");
  AddFormat("syscalls", "sys_enter_newstat",
            "\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;\n"
            "\tfield:const char * filename;\toffset:16;\tsize:8;\tsigned:0;\n"
            "\tfield:struct stat * statbuf;\toffset:24;\tsize:8;\tsigned:0;\n");
  AddFormat("syscalls", "sys_exit_read",
            "\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;\n"
            "\tfield:long ret;\toffset:16;\tsize:8;\tsigned:1;\n");
  AddFormat("raw_syscalls", "sys_enter",
            "\tfield:long id;\toffset:8;\tsize:8;\tsigned:1;\n"
            "\tfield:unsigned long args[6];\toffset:16;\tsize:48;\tsigned:0;\n");
  // An array of 3-byte elements, which no probe can read.
  AddFormat("nubpf_test", "odd_array",
            "\tfield:__u8 rows[2][3];\toffset:8;\tsize:6;\tsigned:0;\n");
  AddFormat("sched", "sched_switch",
            "\tfield:char prev_comm[16];\toffset:8;\tsize:16;\tsigned:0;\n"
            "\tfield:pid_t prev_pid;\toffset:24;\tsize:4;\tsigned:1;\n"
            "\tfield:int prev_prio;\toffset:28;\tsize:4;\tsigned:1;\n"
            "\tfield:long prev_state;\toffset:32;\tsize:8;\tsigned:1;\n"
            "\tfield:char next_comm[16];\toffset:40;\tsize:16;\tsigned:0;\n"
            "\tfield:pid_t next_pid;\toffset:56;\tsize:4;\tsigned:1;\n"
            "\tfield:int next_prio;\toffset:60;\tsize:4;\tsigned:1;\n");
  AddFormat("sched", "sched_process_exit",
            "\tfield:char comm[16];\toffset:8;\tsize:16;\tsigned:0;\n"
            "\tfield:pid_t pid;\toffset:24;\tsize:4;\tsigned:1;\n"
            "\tfield:int prio;\toffset:28;\tsize:4;\tsigned:1;\n"
            "\tfield:bool group_dead;\toffset:32;\tsize:1;\tsigned:0;\n");
}

FakeTracefs::~FakeTracefs() {
  std::error_code ignored;
  std::filesystem::remove_all(root_, ignored);
}

void FakeTracefs::AddFormat(const std::string& category, const std::string& name,
                            const std::string& fields) {
  std::string folder = root_ + "/events/" + category + "/" + name;
  std::filesystem::create_directories(folder);
  std::ofstream(folder + "/format") << "name: " << name << "\nID: 1\nformat:\n"
                                    << kCommonFields << fields
                                    << "\nprint fmt: \"\"\n";
}

CheckResult CheckText(const std::string& text, const FakeTracefs& tracefs,
                      const std::string& path, const std::string& btf_path) {
  CheckResult result;
  result.source = frontend::SourceFile(path, text);
  frontend::DiagnosticSink diagnostics;
  frontend::File file;
  if (frontend::Parse(result.source, diagnostics, &file)) {
    compiler::CheckOptions options;
    options.tracefs_root = tracefs.root();
    options.btf_path = btf_path;
    result.ok = compiler::Check(file, options, diagnostics, &result.module);
  }

  std::ostringstream rendered;
  for (const frontend::Diagnostic& diagnostic : diagnostics.diagnostics()) {
    frontend::RenderCompact(result.source, diagnostic, rendered);
  }
  result.diagnostics = rendered.str();
  if (result.ok) {
    std::ostringstream dump;
    mir::PrintModule(result.module, dump);
    result.mir = dump.str();
    // Every program a test checks must also be one the backend can lower,
    // before and after the passes.
    mir::Module optimized = result.module;
    mir::OptimizeModule(&optimized);
    for (const mir::Module* module : {&result.module, &optimized}) {
      for (const mir::Function& function : module->functions) {
        std::optional<std::string> error = mir::VerifyFunction(*module, function);
        EXPECT_FALSE(error.has_value()) << *error << "\n" << result.mir;
      }
    }
  }
  return result;
}

}  // namespace nubpf::testing
