// nubpfc in a build: `-MD` dependency files that name every file read, real
// Make and Ninja rebuilding only what changed, `--version`, and objects that are
// byte-identical for the same inputs and flags.

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <fstream>
#include <sstream>

#include "gtest/gtest.h"
#include "tests/support/elf_sections.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

namespace fs = std::filesystem;

constexpr char kTracefs[] = "/sys/kernel/tracing";
constexpr char kKernelBtf[] = "/sys/kernel/btf/vmlinux";
constexpr char kTarget[] = NUBPF_UPROBE_TARGET;

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteText(const std::string& path, const std::string& text) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path) << text;
}

// A Make rule read back: its target and inputs, unescaped.
struct Rule {
  std::string target;
  std::vector<std::string> inputs;
};

// Reads the one rule of a dependency file as Make would: `\` and a newline
// join lines, `\ ` and `\#` are the characters, `$$` is `$`.
Rule ReadRule(const std::string& text) {
  Rule rule;
  std::string word;
  bool in_target = true;
  auto finish = [&] {
    if (word.empty()) return;
    if (in_target) {
      rule.target = word;
      in_target = false;
    } else {
      rule.inputs.push_back(word);
    }
    word.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    char next = i + 1 < text.size() ? text[i + 1] : '\0';
    if (c == '\\' && (next == ' ' || next == '#')) {
      word += next;
      ++i;
    } else if (c == '$' && next == '$') {
      word += '$';
      ++i;
    } else if (c == '\\' && next == '\n') {
      finish();
      ++i;
    } else if (in_target && c == ':' && (next == ' ' || next == '\n' || next == '\0')) {
      finish();
      in_target = false;
    } else if (c == ' ' || c == '\n') {
      finish();
    } else {
      word += c;
    }
  }
  finish();
  return rule;
}

// Returns the first executable `name` in PATH, or "" when there is none.
std::string FindProgram(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::istringstream folders(path == nullptr ? "/usr/bin:/bin" : path);
  std::string folder;
  while (std::getline(folders, folder, ':')) {
    std::string candidate = (folder.empty() ? "." : folder) + "/" + name;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

std::string FormatPath(const std::string& category, const std::string& name) {
  return std::string(kTracefs) + "/events/" + category + "/" + name + "/format";
}

class BuildTool : public ::testing::Test {
 protected:
  RunResult Nubpfc(std::vector<std::string> arguments) {
    arguments.insert(arguments.begin(), NubpfcPath());
    return RunToExit(arguments);
  }

  TempDir dir_;
};

// One file whose probes touch each kind of input: a module, a tracepoint's
// format, kernel BTF through a `tp_btf` probe's kernel types, and the ELF
// file of a uprobe. The rule names each once, in the order they were read.
TEST_F(BuildTool, DependencyFileListsEveryInput) {
  std::string module = dir_.File("lib dir$#/helpers.nu");
  WriteText(module, "export def double [x: int] { $x * 2 }\n");
  std::string probe = dir_.File("probe.nu");
  WriteText(probe,
            "use helpers.nu *\n"
            "probe tracepoint:syscalls:sys_enter_openat {|e| emit {n: (double $e.pid)} }\n"
            "probe tp_btf:sched_process_exec {|e| emit {ppid: $e.task.real_parent.tgid} }\n"
            "probe uprobe:" + std::string(kTarget) + ":nubpf_test_add {|e| count }\n");
  std::string object = dir_.File("probe.bpf.o");

  RunResult result = Nubpfc({probe, "-o", object, "-MD", "--tracefs", kTracefs, "-I",
                             dir_.File("lib dir$#")});
  ASSERT_EQ(result.exit_code, 0) << result.err;

  std::string text = ReadText(object + ".d");
  Rule rule = ReadRule(text);
  EXPECT_EQ(rule.target, object) << text;
  std::vector<std::string> expected{probe, module, FormatPath("syscalls", "sys_enter_openat"),
                                    kKernelBtf, kTarget};
  EXPECT_EQ(rule.inputs, expected) << text;
  EXPECT_NE(text.find("lib\\ dir$$\\#/helpers.nu"), std::string::npos) << text;
}

TEST_F(BuildTool, DependencyFileOmitsKernelBtfUnread) {
  std::string probe = dir_.File("probe.nu");
  WriteText(probe, "probe tracepoint:sched:sched_process_exec {|e| count }\n");
  std::string object = dir_.File("probe.bpf.o");
  RunResult result = Nubpfc({probe, "-o", object, "-MD", "--tracefs", kTracefs});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::vector<std::string> expected{probe, FormatPath("sched", "sched_process_exec")};
  EXPECT_EQ(ReadRule(ReadText(object + ".d")).inputs, expected);
}

TEST_F(BuildTool, DependencyFileNamesBtfFlagFile) {
  std::string btf = dir_.File("kernel.btf");
  fs::copy_file(kKernelBtf, btf);
  std::string probe = dir_.File("probe.nu");
  WriteText(probe, "probe tp_btf:sched_process_exec {|e| emit {ppid: $e.task.real_parent.tgid} }\n");
  std::string object = dir_.File("probe.bpf.o");
  RunResult result = Nubpfc({probe, "-o", object, "-MD", "--btf", btf});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::vector<std::string> expected{probe, btf};
  EXPECT_EQ(ReadRule(ReadText(object + ".d")).inputs, expected);
}

TEST_F(BuildTool, DependencyFileAndTargetFlags) {
  std::string probe = dir_.File("probe.nu");
  WriteText(probe, "probe interval:s:1 { count }\n");
  std::string object = dir_.File("probe.bpf.o");
  std::string depfile = dir_.File("deps/probe.d");
  fs::create_directories(dir_.File("deps"));

  RunResult result = Nubpfc({probe, "-o", object, "-MD", "-MF", depfile, "-MT", "my target"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_FALSE(fs::exists(object + ".d"));
  EXPECT_EQ(ReadText(depfile), "my\\ target: \\\n  " + probe + "\n");
}

TEST_F(BuildTool, DependencyFileNeedsMD) {
  std::string probe = dir_.File("probe.nu");
  WriteText(probe, "probe interval:s:1 { count }\n");
  std::string object = dir_.File("probe.bpf.o");
  RunResult result = Nubpfc({probe, "-o", object, "-MF", dir_.File("probe.d")});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("-MF has no effect without -MD"), std::string::npos) << result.err;
  EXPECT_FALSE(fs::exists(dir_.File("probe.d")));
  EXPECT_FALSE(fs::exists(object + ".d"));
}

TEST_F(BuildTool, StandardOutputNeedsFileAndTarget) {
  std::string probe = dir_.File("probe.nu");
  WriteText(probe, "probe interval:s:1 { count }\n");
  RunResult result = Nubpfc({probe, "--emit", "mir", "-MD"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("needs `-MF FILE` and `-MT TARGET`"), std::string::npos)
      << result.err;

  std::string depfile = dir_.File("mir.d");
  result = Nubpfc({probe, "--emit", "mir", "-MD", "-MF", depfile, "-MT", "probe.mir"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("attach interval"), std::string::npos) << result.out;
  EXPECT_EQ(ReadText(depfile), "probe.mir: \\\n  " + probe + "\n");
}

TEST_F(BuildTool, FailedCompileWritesNothing) {
  std::string probe = dir_.File("probe.nu");
  WriteText(probe, "probe interval:s:1 { emit {n: $nowhere} }\n");
  std::string object = dir_.File("probe.bpf.o");
  RunResult result = Nubpfc({probe, "-o", object, "-MD"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(fs::is_regular_file(probe));
  size_t files = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir_.path())) ++files;
  EXPECT_EQ(files, 1u) << "only the probe file should be left";
}

// Make with a pattern rule and the dependency files included: a second run
// builds nothing, a touched module rebuilds the object that uses it, and a
// deleted module is no error with -MP.
TEST_F(BuildTool, MakeRebuildsWhatChanged) {
  std::string make = FindProgram("make");
  ASSERT_NE(make, "") << "GNU Make is not in PATH; Debian's build-essential installs it";

  WriteText(dir_.File("lib/helpers.nu"), "export def double [x: int] { $x * 2 }\n");
  WriteText(dir_.File("uses.nu"),
            "use helpers.nu *\nprobe interval:s:1 { emit {n: (double 2)} }\n");
  WriteText(dir_.File("plain.nu"), "probe interval:s:1 { count }\n");
  WriteText(dir_.File("Makefile"),
            "NUBPFC := " + NubpfcPath() + "\n"
            "OBJECTS := uses.bpf.o plain.bpf.o\n"
            "all: $(OBJECTS)\n"
            "%.bpf.o: %.nu\n"
            "\t$(NUBPFC) $< -o $@ -MD -MP -I lib\n"
            "-include $(OBJECTS:=.d)\n");

  RunResult first = RunToExit({make, "-C", dir_.path()});
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  EXPECT_NE(first.out.find("uses.nu -o uses.bpf.o"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("plain.nu -o plain.bpf.o"), std::string::npos) << first.out;

  RunResult again = RunToExit({make, "-C", dir_.path()});
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_EQ(again.out.find(NubpfcPath()), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("Nothing to be done for 'all'"), std::string::npos) << again.out;

  fs::last_write_time(dir_.File("lib/helpers.nu"), fs::file_time_type::clock::now());
  RunResult touched = RunToExit({make, "-C", dir_.path()});
  ASSERT_EQ(touched.exit_code, 0) << touched.out << touched.err;
  EXPECT_NE(touched.out.find("uses.nu -o uses.bpf.o"), std::string::npos) << touched.out;
  EXPECT_EQ(touched.out.find("plain.nu"), std::string::npos) << touched.out;

  // -MP's empty rule for the module lets Make go on when it is deleted.
  fs::remove(dir_.File("lib/helpers.nu"));
  WriteText(dir_.File("uses.nu"), "probe interval:s:1 { emit {n: 4} }\n");
  RunResult deleted = RunToExit({make, "-C", dir_.path()});
  ASSERT_EQ(deleted.exit_code, 0) << deleted.out << deleted.err;
  EXPECT_NE(deleted.out.find("uses.nu -o uses.bpf.o"), std::string::npos) << deleted.out;
}

// Ninja reads the same rule with `deps = gcc`, which it moves into its own
// log: a second run has no work, and a touched module rebuilds its user.
TEST_F(BuildTool, NinjaRebuildsWhatChanged) {
  std::string ninja = FindProgram("ninja");
  ASSERT_NE(ninja, "") << "ninja is not in PATH; Debian's ninja-build package installs it";

  WriteText(dir_.File("lib/helpers.nu"), "export def double [x: int] { $x * 2 }\n");
  WriteText(dir_.File("uses.nu"),
            "use helpers.nu *\nprobe interval:s:1 { emit {n: (double 2)} }\n");
  WriteText(dir_.File("plain.nu"), "probe interval:s:1 { count }\n");
  WriteText(dir_.File("build.ninja"),
            "rule nubpfc\n"
            "  command = " + NubpfcPath() + " $in -o $out -MD -I lib\n"
            "  depfile = $out.d\n"
            "  deps = gcc\n"
            "build uses.bpf.o: nubpfc uses.nu\n"
            "build plain.bpf.o: nubpfc plain.nu\n");

  RunResult first = RunToExit({ninja, "-C", dir_.path(), "-v"});
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  EXPECT_NE(first.out.find("uses.nu -o uses.bpf.o"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("plain.nu -o plain.bpf.o"), std::string::npos) << first.out;

  RunResult again = RunToExit({ninja, "-C", dir_.path(), "-v"});
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_NE(again.out.find("no work to do"), std::string::npos) << again.out;

  fs::last_write_time(dir_.File("lib/helpers.nu"), fs::file_time_type::clock::now());
  RunResult touched = RunToExit({ninja, "-C", dir_.path(), "-v"});
  ASSERT_EQ(touched.exit_code, 0) << touched.out << touched.err;
  EXPECT_NE(touched.out.find("uses.nu -o uses.bpf.o"), std::string::npos) << touched.out;
  EXPECT_EQ(touched.out.find("plain.nu"), std::string::npos) << touched.out;
}

TEST_F(BuildTool, VersionNamesNubpfcAndLlvm) {
  RunResult result = Nubpfc({"--version"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out.rfind(std::string("nubpfc ") + NUBPF_VERSION + "\n", 0), 0u)
      << result.out;
  EXPECT_NE(result.out.find("\nLLVM 19."), std::string::npos) << result.out;
}

TEST_F(BuildTool, HelpListsExitCodes) {
  RunResult result = Nubpfc({"--help"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_NE(result.out.find("1 errors in the probe file or its modules"), std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("2 usage or file errors"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("3 internal compiler error"), std::string::npos) << result.out;
}

// The same inputs and flags give the same bytes, whatever the output path
// and the working directory, as long as the probe file's path on the command
// line is the same. That path is written as given into the `.nubpf`
// section's `source` line and the BTF line info.
TEST_F(BuildTool, ObjectsAreReproducible) {
  WriteText(dir_.File("src/lib/helpers.nu"), "export def double [x: int] { $x * 2 }\n");
  WriteText(dir_.File("src/probe.nu"),
            "use helpers.nu *\n"
            "probe tracepoint:syscalls:sys_enter_openat {|e|\n"
            "    emit {pid: $e.pid, n: (double $e.pid), file: $e.filename}\n"
            "}\n"
            "probe tracepoint:raw_syscalls:sys_enter {|e| $e.comm | count }\n");
  fs::create_directories(dir_.File("out/a"));
  fs::create_directories(dir_.File("elsewhere/b"));

  // `src/probe.nu` relative to the test folder, from two working folders:
  // the second run reaches the same relative paths through a symlink.
  fs::create_directory_symlink(dir_.File("src"), dir_.File("elsewhere/src"));
  std::vector<std::string> flags{"--tracefs", kTracefs, "-I", "src/lib"};
  auto compile = [&](const std::string& folder, const std::string& output) {
    std::string command = "cd '" + folder + "' && '" + NubpfcPath() + "' src/probe.nu -o '" +
                          output + "'";
    for (const std::string& flag : flags) command += " '" + flag + "'";
    return RunToExit({"/bin/sh", "-c", command});
  };
  RunResult first = compile(dir_.path(), dir_.File("out/a/first.bpf.o"));
  ASSERT_EQ(first.exit_code, 0) << first.err;
  RunResult second = compile(dir_.File("elsewhere"), dir_.File("elsewhere/b/second.bpf.o"));
  ASSERT_EQ(second.exit_code, 0) << second.err;

  std::string first_bytes = ReadText(dir_.File("out/a/first.bpf.o"));
  EXPECT_FALSE(first_bytes.empty());
  EXPECT_TRUE(first_bytes == ReadText(dir_.File("elsewhere/b/second.bpf.o")))
      << "the two objects differ";
  EXPECT_EQ(first_bytes.find(dir_.path()), std::string::npos)
      << "the object contains the absolute path of the test folder";

  std::map<std::string, std::string> sections = ReadElfSections(dir_.File("out/a/first.bpf.o"));
  EXPECT_NE(sections[".nubpf"].find("source\tsrc/probe.nu\n"), std::string::npos)
      << sections[".nubpf"];
  EXPECT_NE(sections[".BTF"].find("src/lib/helpers.nu"), std::string::npos)
      << "line info should name the module file as found through -I";
}

// Absolute paths, as build systems pass them, give the same bytes from two
// checkouts when `--file-prefix-map` maps each checkout's folder to `.`,
// modules found through `-I` included.
TEST_F(BuildTool, FilePrefixMapMakesCheckoutsAgree) {
  for (const char* checkout : {"one", "two"}) {
    std::string root = dir_.File(checkout);
    WriteText(root + "/lib/helpers.nu", "export def double [x: int] { $x * 2 }\n");
    WriteText(root + "/probe.nu",
              "use helpers.nu *\n"
              "probe tracepoint:syscalls:sys_enter_openat {|e|\n"
              "    emit {pid: $e.pid, n: (double $e.pid)}\n"
              "}\n");
    RunResult result = RunToExit({NubpfcPath(), root + "/probe.nu", "-o", root + ".bpf.o",
                                  "--tracefs", kTracefs, "-I", root + "/lib",
                                  "--file-prefix-map", root + "=."});
    ASSERT_EQ(result.exit_code, 0) << result.err;
  }

  std::string first = ReadText(dir_.File("one.bpf.o"));
  EXPECT_FALSE(first.empty());
  EXPECT_TRUE(first == ReadText(dir_.File("two.bpf.o"))) << "the two objects differ";
  EXPECT_EQ(first.find(dir_.path()), std::string::npos)
      << "the object contains the absolute path of the test folder";
  std::map<std::string, std::string> sections = ReadElfSections(dir_.File("one.bpf.o"));
  EXPECT_NE(sections[".nubpf"].find("source\t./probe.nu\n"), std::string::npos)
      << sections[".nubpf"];
  EXPECT_NE(sections[".BTF"].find("./lib/helpers.nu"), std::string::npos);
}

TEST_F(BuildTool, FilePrefixMapNeedsOldAndNew) {
  WriteText(dir_.File("probe.nu"), "probe tracepoint:syscalls:sys_enter_openat {|e| count }\n");
  RunResult result = RunToExit({NubpfcPath(), dir_.File("probe.nu"), "-o", dir_.File("p.o"),
                                "--tracefs", kTracefs, "--file-prefix-map", "no-equals"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("expected OLD=NEW"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace nubpf::testing
