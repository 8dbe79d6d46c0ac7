// Stack values in the loader: `kstack` and `ustack` fields and keys in the
// metadata, their decoding, and how tables and JSON show their frames.

#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "runtime/aggregation_printer.h"
#include "runtime/event_decoder.h"
#include "runtime/event_printer.h"
#include "runtime/metadata.h"

namespace nubpf::runtime {
namespace {

using Lines = std::vector<std::string>;

// The bytes of a stack value: u32 frames, u32 pid, then `depth` u64
// addresses, the first of them `addresses` and the rest 0.
std::string StackBytes(uint32_t frames, uint32_t pid, const std::vector<uint64_t>& addresses,
                       size_t depth) {
  std::string bytes(8 + 8 * depth, '\0');
  std::memcpy(bytes.data(), &frames, 4);
  std::memcpy(bytes.data() + 4, &pid, 4);
  for (size_t i = 0; i < addresses.size() && i < depth; ++i) {
    std::memcpy(bytes.data() + 8 + 8 * i, &addresses[i], 8);
  }
  return bytes;
}

// Names every address from a fixed table, as a symbolizer would.
class FixedNames : public StackNamer {
 public:
  explicit FixedNames(std::map<uint64_t, std::string> names) : names_(std::move(names)) {}
  void Name(StackTrace& stack) override {
    stack.frames.clear();
    for (uint64_t address : stack.addresses) stack.frames.push_back(names_.at(address));
  }

 private:
  std::map<uint64_t, std::string> names_;
};

TEST(StackValues, MetadataReadsStackFieldsAndKeys) {
  ErrorOr<Metadata> metadata = ParseMetadata(
      "nubpf\t1\n"
      "event\t0\t536\tf\t1\t1\n"
      "field\t0\tk\tkstack\t8\t264\n"
      "field\t0\tu\tustack\t272\t264\n"
      "counter\tcount_0\tcount by kstack\t2\t5\tkstack\tkstack\t264\n");
  ASSERT_TRUE(metadata.ok()) << metadata.error().message;
  EXPECT_EQ(metadata->events[0].fields[0].type, FieldType::kKernelStack);
  EXPECT_EQ(metadata->events[0].fields[1].type, FieldType::kUserStack);
  EXPECT_EQ(metadata->aggregations[0].key[0].type, FieldType::kKernelStack);
  EXPECT_EQ(metadata->aggregations[0].key[0].size, 264u);
}

TEST(StackValues, MetadataRejectsBadStackSizes) {
  for (const char* size : {"8", "12", "20"}) {
    ErrorOr<Metadata> metadata = ParseMetadata(std::string("nubpf\t1\n"
                                                           "event\t0\t64\tf\t1\t1\n"
                                                           "field\t0\tk\tkstack\t8\t") +
                                               size + "\n");
    ASSERT_FALSE(metadata.ok()) << size;
    EXPECT_NE(metadata.error().message.find("stack `k` has size " + std::string(size) +
                                            "; a `kstack` is 8 bytes of header and 8 "
                                            "bytes per frame, at least one"),
              std::string::npos)
        << metadata.error().message;
  }
}

TEST(StackValues, DecodesFramesPidAndAddresses) {
  FieldValue value =
      DecodeValue(FieldType::kUserStack, StackBytes(2, 4242, {0x401000, 0x402000}, 4));
  const StackTrace& stack = std::get<StackTrace>(value);
  EXPECT_TRUE(stack.user);
  EXPECT_EQ(stack.pid, 4242u);
  EXPECT_EQ(stack.addresses, (std::vector<uint64_t>{0x401000, 0x402000}));
  EXPECT_TRUE(stack.frames.empty());
}

TEST(StackValues, FrameCountPastBufferIsCut) {
  // A count larger than the buffer keeps the addresses that fit.
  FieldValue value = DecodeValue(FieldType::kKernelStack, StackBytes(9, 0, {1, 2}, 2));
  EXPECT_EQ(std::get<StackTrace>(value).addresses, (std::vector<uint64_t>{1, 2}));
  FieldValue empty = DecodeValue(FieldType::kKernelStack, StackBytes(0, 0, {7}, 1));
  EXPECT_TRUE(std::get<StackTrace>(empty).addresses.empty());
}

TEST(StackValues, JsonIsArrayOfFrames) {
  StackTrace stack;
  stack.addresses = {0xffffffff8223c8e0, 0x10};
  EXPECT_EQ(JsonValue(stack), R"(["0xffffffff8223c8e0", "0x10"])");
  stack.frames = {"do_syscall_64+0x5a", "0x10 (/lib/a \"b\".so)"};
  EXPECT_EQ(JsonValue(stack), R"json(["do_syscall_64+0x5a", "0x10 (/lib/a \"b\".so)"])json");
  EXPECT_EQ(JsonValue(StackTrace()), "[]");
}

TEST(StackValues, TableLinesHoldOneFrameEach) {
  StackTrace stack;
  stack.addresses = {1, 2};
  stack.frames = {"inner+0x4", "main+0x1e"};
  EXPECT_EQ(TableLines(stack), (Lines{"inner+0x4", "main+0x1e"}));
  EXPECT_EQ(TableLines(StackTrace()), Lines{"(no frames)"});
  EXPECT_EQ(TableLines(uint64_t{7}), Lines{"7"});
}

TEST(StackValues, EventRowContinuesInStackColumn) {
  EventInfo event{0, 296, "f", {1, 1}, {}, std::nullopt};
  event.fields = {FieldInfo{"pid", FieldType::kU32, 8, 4},
                  FieldInfo{"stack", FieldType::kKernelStack, 16, 264},
                  FieldInfo{"comm", FieldType::kString, 280, 16}};
  StackTrace stack;
  stack.addresses = {1, 2, 3};
  stack.frames = {"__x64_sys_getppid+0x9", "do_syscall_64+0x5a",
                  "entry_SYSCALL_64_after_hwframe+0x76"};
  DecodedEvent decoded{&event, {uint64_t{42}, stack, std::string("sh")}, std::nullopt};

  // pid is 10 wide and the stack 32. A long frame widens its own line.
  EXPECT_EQ(FormatTableHeader(event), "       pid  stack                             comm");
  EXPECT_EQ(FormatTableRow(decoded),
            "        42  __x64_sys_getppid+0x9             sh\n"
            "            do_syscall_64+0x5a\n"
            "            entry_SYSCALL_64_after_hwframe+0x76");
  EXPECT_EQ(FormatRecordLine(OutputFormat::kJson, EventRecord(decoded)),
            R"({"pid": 42, "stack": ["__x64_sys_getppid+0x9", "do_syscall_64+0x5a", )"
            R"("entry_SYSCALL_64_after_hwframe+0x76"], "comm": "sh"})");
}

AggregationInfo ByKernelStack() {
  AggregationInfo info;
  info.map = "count_0";
  info.name = "count by kstack";
  info.key_size = 32;
  info.key = {FieldInfo{"kstack", FieldType::kKernelStack, 0, 32}};
  return info;
}

AggregationRow CountRow(std::string key, uint64_t count) {
  AggregationValue value;
  value.count = count;
  return {std::move(key), value};
}

Lines Format(std::vector<AggregationRow> rows, OutputFormat format,
             StackNamer* names = nullptr) {
  return FormatAggregation(ByKernelStack(), std::move(rows), {format, std::nullopt, names});
}

TEST(StackValues, CounterTablePutsCountBeforeFrames) {
  FixedNames names({{1, "a+0x1"}, {2, "main+0x2"}, {3, "b+0x3"}});
  std::vector<AggregationRow> rows = {CountRow(StackBytes(1, 0, {3}, 3), 7),
                                      CountRow(StackBytes(2, 0, {1, 2}, 3), 1234)};
  EXPECT_EQ(Format(rows, OutputFormat::kTable, &names),
            (Lines{"count by kstack",
                   "count  kstack",
                   " 1234  a+0x1",
                   "       main+0x2",
                   "    7  b+0x3"}));
}

TEST(StackValues, CounterJsonKeyIsArray) {
  FixedNames names({{1, "a+0x1"}, {2, "main+0x2"}});
  std::vector<AggregationRow> rows = {CountRow(StackBytes(2, 0, {1, 2}, 3), 5)};
  EXPECT_EQ(Format(rows, OutputFormat::kJson, &names),
            Lines{R"({"aggregation": "count by kstack", "kstack": ["a+0x1", "main+0x2"], "count": 5})"});
  EXPECT_EQ(Format(rows, OutputFormat::kNuon, &names),
            Lines{R"({"aggregation": "count by kstack", "kstack": ["a+0x1", "main+0x2"], "count": 5})"});
  EXPECT_EQ(Format(rows, OutputFormat::kCsv, &names),
            (Lines{"aggregation,kstack,count", "count by kstack,\"a+0x1\nmain+0x2\",5"}));
}

TEST(StackValues, CounterWithoutNamerShowsAddresses) {
  std::vector<AggregationRow> rows = {CountRow(StackBytes(1, 0, {0xabc}, 3), 2),
                                      CountRow(StackBytes(0, 0, {}, 3), 1)};
  EXPECT_EQ(Format(rows, OutputFormat::kTable),
            (Lines{"count by kstack", "count  kstack", "    2  0xabc", "    1  (no frames)"}));
}

}  // namespace
}  // namespace nubpf::runtime
