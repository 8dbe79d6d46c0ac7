// Kernel symbols from text in the format of /proc/kallsyms.

#include "runtime/kernel_symbols.h"

#include <gtest/gtest.h>

#include "tests/runtime/test_files.h"
#include "tests/support/subprocess.h"

namespace nubpf::runtime {
namespace {

// Out of address order, as kallsyms lists modules after the kernel image,
// with data symbols and lines that do not parse in between.
constexpr const char* kKallsyms =
    "ffffffffc0a01000 t nft_do_chain\t[nf_tables]\n"
    "ffffffffc0a01400 T nft_chain_validate\t[nf_tables]\n"
    "ffffffff81000000 T _stext\n"
    "ffffffff81000000 T startup_64\n"
    "ffffffff8124a1a0 T x64_sys_call\n"
    "ffffffff81382f90 T __x64_sys_getppid\n"
    "ffffffff81382fc0 t getppid_helper\n"
    "ffffffff81390000 D jiffies_data\n"
    "ffffffff81390100 W weak_function\n"
    "ffffffff8223c8e0 T do_syscall_64\n"
    "ffffffff8223d000 T _etext\n"
    "not a symbol line\n"
    "zzzz T bad_address\n"
    "ffffffff82000000\n";

std::string NameOf(const KernelSymbols& symbols, uint64_t address, bool is_return_address = false) {
  return symbols.Name(address, is_return_address).value_or("(none)");
}

TEST(KernelSymbols, NamesAddressWithOffset) {
  KernelSymbols symbols = KernelSymbols::Parse(kKallsyms);
  EXPECT_EQ(NameOf(symbols, 0xffffffff8223c93a), "do_syscall_64+0x5a");
  EXPECT_EQ(NameOf(symbols, 0xffffffff81382f90), "__x64_sys_getppid+0x0");
  EXPECT_EQ(NameOf(symbols, 0xffffffff81382fc4), "getppid_helper+0x4");
  EXPECT_EQ(NameOf(symbols, 0xffffffff81390180), "weak_function+0x80");
}

TEST(KernelSymbols, NamesModuleSymbols) {
  KernelSymbols symbols = KernelSymbols::Parse(kKallsyms);
  EXPECT_EQ(NameOf(symbols, 0xffffffffc0a01044), "nft_do_chain+0x44 [nf_tables]");
}

TEST(KernelSymbols, SkipsDataAndMalformedLines) {
  KernelSymbols symbols = KernelSymbols::Parse(kKallsyms);
  // Ten text symbols: `jiffies_data` is data.
  EXPECT_EQ(symbols.size(), 10u);
  EXPECT_EQ(NameOf(symbols, 0xffffffff81390010), "getppid_helper+0xd050");
}

TEST(KernelSymbols, FirstOfAliasesNamesAddress) {
  KernelSymbols symbols = KernelSymbols::Parse(kKallsyms);
  EXPECT_EQ(NameOf(symbols, 0xffffffff81000010), "_stext+0x10");
}

TEST(KernelSymbols, ReturnAddressBelongsToCaller) {
  // A call that ends getppid_helper's caller returns to the first byte of
  // getppid_helper; that return address is in __x64_sys_getppid.
  KernelSymbols symbols = KernelSymbols::Parse(kKallsyms);
  EXPECT_EQ(NameOf(symbols, 0xffffffff81382fc0, /*is_return_address=*/true),
            "__x64_sys_getppid+0x30");
  EXPECT_EQ(NameOf(symbols, 0xffffffff81382fc0), "getppid_helper+0x0");
}

TEST(KernelSymbols, OutsideSymbolsIsUnnamed) {
  KernelSymbols symbols = KernelSymbols::Parse(kKallsyms);
  EXPECT_EQ(NameOf(symbols, 0xffffffff80000000), "(none)");
  // nft_chain_validate is the last symbol: nothing marks where it ends.
  EXPECT_EQ(NameOf(symbols, 0xffffffffc0a01400), "(none)");
  EXPECT_EQ(NameOf(symbols, 0xffffffffffff0000), "(none)");
}

TEST(KernelSymbols, HiddenAddressesGiveNoSymbols) {
  // What kallsyms shows to a reader without CAP_SYSLOG.
  KernelSymbols symbols = KernelSymbols::Parse(
      "0000000000000000 T _stext\n"
      "0000000000000000 T do_syscall_64\n");
  EXPECT_EQ(symbols.size(), 0u);
  EXPECT_EQ(NameOf(symbols, 0xffffffff8223c93a), "(none)");
}

TEST(KernelSymbols, LoadsFileAndReportsMissingOne) {
  nubpf::testing::TempDir dir;
  testing::WriteFile(dir.File("kallsyms"), kKallsyms);
  ErrorOr<KernelSymbols> symbols = KernelSymbols::Load(dir.File("kallsyms"));
  ASSERT_TRUE(symbols.ok()) << symbols.error().message;
  EXPECT_EQ(NameOf(*symbols, 0xffffffff8124a1a5), "x64_sys_call+0x5");

  ErrorOr<KernelSymbols> missing = KernelSymbols::Load(dir.File("absent"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message,
            "cannot read `" + dir.File("absent") + "`: No such file or directory");
}

}  // namespace
}  // namespace nubpf::runtime
