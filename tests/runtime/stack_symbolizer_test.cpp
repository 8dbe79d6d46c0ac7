// The loader's StackNamer, with a kallsyms file and a /proc folder that
// the tests write.

#include "runtime/stack_symbolizer.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>

#include "tests/runtime/test_files.h"
#include "tests/support/subprocess.h"

namespace nubpf::runtime {
namespace {

// Collects what the symbolizer warns about.
class Warnings {
 public:
  Warnings() : file_(open_memstream(&buffer_, &size_)) {}
  ~Warnings() {
    std::fclose(file_);
    std::free(buffer_);
  }
  std::FILE* file() { return file_; }
  std::string text() {
    std::fflush(file_);
    return std::string(buffer_, size_);
  }

 private:
  char* buffer_ = nullptr;
  size_t size_ = 0;
  std::FILE* file_;
};

StackTrace Stack(bool user, uint32_t pid, std::vector<uint64_t> addresses) {
  StackTrace stack;
  stack.user = user;
  stack.pid = pid;
  stack.addresses = std::move(addresses);
  return stack;
}

TEST(StackSymbolizer, NamesKernelFrames) {
  nubpf::testing::TempDir dir;
  testing::WriteFile(dir.File("kallsyms"),
                     "ffffffff81382f90 T __x64_sys_getppid\n"
                     "ffffffff81382fc0 T next_function\n"
                     "ffffffff8223c8e0 T do_syscall_64\n"
                     "ffffffff8223d000 T _etext\n");
  Warnings warnings;
  StackSymbolizer symbolizer(warnings.file(), dir.File("kallsyms"), dir.path());
  StackTrace stack = Stack(false, 0, {0xffffffff81382f99, 0xffffffff8223c93a, 0x10});
  symbolizer.Name(stack);
  EXPECT_EQ(stack.frames, (std::vector<std::string>{"__x64_sys_getppid+0x9",
                                                    "do_syscall_64+0x5a", "0x10"}));
  EXPECT_EQ(warnings.text(), "");
}

TEST(StackSymbolizer, MissingKallsymsWarnsOnce) {
  nubpf::testing::TempDir dir;
  Warnings warnings;
  StackSymbolizer symbolizer(warnings.file(), dir.File("absent"), dir.path());
  for (int i = 0; i < 2; ++i) {
    StackTrace stack = Stack(false, 0, {0xffffffff8223c93a});
    symbolizer.Name(stack);
    EXPECT_EQ(stack.frames, std::vector<std::string>{"0xffffffff8223c93a"});
  }
  EXPECT_EQ(warnings.text(), std::string(ProgramName()) + ": warning: cannot read `" + dir.File("absent") +
                                 "`: No such file or directory; kernel stacks show "
                                 "addresses\n");
}

TEST(StackSymbolizer, HiddenKallsymsAddressesWarn) {
  nubpf::testing::TempDir dir;
  testing::WriteFile(dir.File("kallsyms"), "0000000000000000 T do_syscall_64\n");
  Warnings warnings;
  StackSymbolizer symbolizer(warnings.file(), dir.File("kallsyms"), dir.path());
  StackTrace stack = Stack(false, 0, {0xffffffff8223c93a});
  symbolizer.Name(stack);
  EXPECT_EQ(stack.frames, std::vector<std::string>{"0xffffffff8223c93a"});
  EXPECT_NE(warnings.text().find("shows no kernel addresses"), std::string::npos)
      << warnings.text();
}

TEST(StackSymbolizer, UserFramesUseTheProcessMaps) {
  // No maps for pid 4242 in the fake /proc: the addresses stay numbers,
  // and kallsyms, which only kernel stacks need, is never read.
  nubpf::testing::TempDir dir;
  Warnings warnings;
  StackSymbolizer symbolizer(warnings.file(), dir.File("absent"), dir.path());
  StackTrace stack = Stack(true, 4242, {0x7f3a1c03a1c9});
  symbolizer.Name(stack);
  EXPECT_EQ(stack.frames, std::vector<std::string>{"0x7f3a1c03a1c9"});
  EXPECT_EQ(warnings.text(), "");
}

}  // namespace
}  // namespace nubpf::runtime
