#include "runtime/counter_printer.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "runtime/map_reader.h"

namespace nubpf::runtime {
namespace {

using Lines = std::vector<std::string>;

template <typename T>
std::string Bytes(T value) {
  std::string bytes(sizeof(T), '\0');
  std::memcpy(bytes.data(), &value, sizeof(T));
  return bytes;
}

// A char[16] key, as bpf_get_current_comm() fills it.
std::string CommKey(const char* comm) {
  std::string key(16, '\0');
  std::memcpy(key.data(), comm, std::strlen(comm));
  return key;
}

CounterInfo Keyless() {
  return CounterInfo{"count_0", "count", {3, 5}, std::nullopt};
}

CounterInfo ByComm() {
  return CounterInfo{"count_1",
                     "count by comm",
                     {4, 5},
                     CounterKey{"comm", FieldType::kString, 16}};
}

CounterInfo ByRet() {
  return CounterInfo{
      "count_2", "count by ret", {5, 5}, CounterKey{"ret", FieldType::kI64, 8}};
}

TEST(CounterPrinterTest, KeylessTableIsOneRow) {
  EXPECT_EQ(FormatCounter(Keyless(), {{"", 1234}}, OutputFormat::kTable),
            Lines{"count  1234"});
}

TEST(CounterPrinterTest, KeylessJson) {
  EXPECT_EQ(FormatCounter(Keyless(), {{"", 18446744073709551615u}},
                          OutputFormat::kJson),
            Lines{R"({"counter": "count", "count": 18446744073709551615})"});
}

TEST(CounterPrinterTest, KeylessWithoutRowPrintsZero) {
  EXPECT_EQ(FormatCounter(Keyless(), {}, OutputFormat::kTable),
            Lines{"count  0"});
}

TEST(CounterPrinterTest, KeyedTableSortsByCountDescending) {
  std::vector<CounterRow> rows = {
      {CommKey("sshd"), 3}, {CommKey("bash"), 120}, {CommKey("cat"), 7}};
  EXPECT_EQ(FormatCounter(ByComm(), rows, OutputFormat::kTable),
            (Lines{"count by comm", "comm  count", "bash    120", "cat       7",
                   "sshd      3"}));
}

TEST(CounterPrinterTest, KeyedTableBreaksTiesByKey) {
  std::vector<CounterRow> rows = {
      {CommKey("zsh"), 5}, {CommKey("awk"), 5}, {CommKey("make"), 9}};
  EXPECT_EQ(FormatCounter(ByComm(), rows, OutputFormat::kTable),
            (Lines{"count by comm", "comm  count", "make      9", "awk       5",
                   "zsh       5"}));
}

TEST(CounterPrinterTest, KeyedTableAlignsNumericKeysRight) {
  std::vector<CounterRow> rows = {{Bytes<int64_t>(-2), 1},
                                  {Bytes<int64_t>(100000), 4}};
  EXPECT_EQ(FormatCounter(ByRet(), rows, OutputFormat::kTable),
            (Lines{"count by ret", "   ret  count", "100000      4",
                   "    -2      1"}));
}

TEST(CounterPrinterTest, KeyedJsonOneLinePerKey) {
  std::vector<CounterRow> rows = {{Bytes<int64_t>(-9), 2},
                                  {Bytes<int64_t>(0), 5}};
  EXPECT_EQ(FormatCounter(ByRet(), rows, OutputFormat::kJson),
            (Lines{R"({"counter": "count by ret", "ret": 0, "count": 5})",
                   R"({"counter": "count by ret", "ret": -9, "count": 2})"}));
}

TEST(CounterPrinterTest, KeyedJsonEscapesStringKeys) {
  std::vector<CounterRow> rows = {{CommKey("a\"b\x01"), 1}};
  EXPECT_EQ(
      FormatCounter(ByComm(), rows, OutputFormat::kJson),
      Lines{
          R"({"counter": "count by comm", "comm": "a\"b\u0001", "count": 1})"});
}

TEST(CounterPrinterTest, FullLengthStringKey) {
  std::vector<CounterRow> rows = {{"0123456789abcdef", 1}};
  EXPECT_EQ(FormatCounter(ByComm(), rows, OutputFormat::kTable)[2],
            "0123456789abcdef      1");
}

TEST(CounterPrinterTest, EmptyKeyedCounterSaysSo) {
  EXPECT_EQ(FormatCounter(ByComm(), {}, OutputFormat::kTable),
            (Lines{"count by comm", "(no entries)"}));
  EXPECT_EQ(FormatCounter(ByComm(), {}, OutputFormat::kJson), Lines{});
}

TEST(SumPerCpuValuesTest, AddsEverySlot) {
  std::string values =
      Bytes<uint64_t>(1) + Bytes<uint64_t>(2) + Bytes<uint64_t>(40);
  EXPECT_EQ(SumPerCpuValues(values, 8), 43u);
}

TEST(SumPerCpuValuesTest, SkipsPaddingOfWiderSlots) {
  std::string values = Bytes<uint64_t>(5) + Bytes<uint64_t>(999) +
                       Bytes<uint64_t>(6) + Bytes<uint64_t>(999);
  EXPECT_EQ(SumPerCpuValues(values, 16), 11u);
}

TEST(SumPerCpuValuesTest, WrapsAtTwoToThe64) {
  std::string values =
      Bytes<uint64_t>(18446744073709551615u) + Bytes<uint64_t>(2);
  EXPECT_EQ(SumPerCpuValues(values, 8), 1u);
}

}  // namespace
}  // namespace nubpf::runtime
