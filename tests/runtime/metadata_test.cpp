#include "runtime/metadata.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace nubpf::runtime {
namespace {

// The example of docs/object-format.md, plus counters.
constexpr const char* kOpensnoop =
    "nubpf\t1\n"
    "source\tsamples/opensnoop.nu\n"
    "program\tsys_enter_openat\ttracepoint:syscalls:sys_enter_openat\t4\t1\n"
    "event\t0\t288\tsys_enter_openat\t5\t5\n"
    "field\t0\tpid\tu32\t8\t4\n"
    "field\t0\tcomm\tstring\t12\t16\n"
    "field\t0\tfile\tstring\t32\t256\n"
    "counter\tcount_0\tcount\t6\t5\t-\t-\t0\n"
    "counter\tcount_1\tcount by comm\t7\t5\tcomm\tstring\t16\n";

// Returns the error message of parsing `text`, or "" when it parses.
std::string ParseError(const std::string& text) {
  ErrorOr<Metadata> metadata = ParseMetadata(text);
  if (metadata.ok()) {
    return "";
  }
  return metadata.error().message;
}

TEST(MetadataTest, ParsesDocumentedExample) {
  ErrorOr<Metadata> metadata = ParseMetadata(kOpensnoop);
  ASSERT_TRUE(metadata.ok()) << metadata.error().message;

  EXPECT_EQ(metadata->version, 1);
  EXPECT_EQ(metadata->source, "samples/opensnoop.nu");

  ASSERT_EQ(metadata->programs.size(), 1u);
  const ProgramInfo& program = metadata->programs[0];
  EXPECT_EQ(program.function, "sys_enter_openat");
  EXPECT_EQ(program.target, "tracepoint:syscalls:sys_enter_openat");
  EXPECT_EQ(program.position.line, 4u);
  EXPECT_EQ(program.position.column, 1u);

  ASSERT_EQ(metadata->events.size(), 1u);
  const EventInfo& event = metadata->events[0];
  EXPECT_EQ(event.id, 0u);
  EXPECT_EQ(event.size, 288u);
  EXPECT_EQ(event.function, "sys_enter_openat");
  ASSERT_EQ(event.fields.size(), 3u);
  EXPECT_EQ(event.fields[0].name, "pid");
  EXPECT_EQ(event.fields[0].type, FieldType::kU32);
  EXPECT_EQ(event.fields[0].offset, 8u);
  EXPECT_EQ(event.fields[1].name, "comm");
  EXPECT_EQ(event.fields[1].type, FieldType::kString);
  EXPECT_EQ(event.fields[2].name, "file");
  EXPECT_EQ(event.fields[2].offset, 32u);
  EXPECT_EQ(event.fields[2].size, 256u);

  ASSERT_EQ(metadata->aggregations.size(), 2u);
  EXPECT_EQ(metadata->aggregations[0].map, "count_0");
  EXPECT_EQ(metadata->aggregations[0].kind, AggregationKind::kCount);
  EXPECT_EQ(metadata->aggregations[0].key_size, 0u);
  EXPECT_TRUE(metadata->aggregations[0].key.empty());
  EXPECT_EQ(metadata->aggregations[1].name, "count by comm");
  EXPECT_EQ(metadata->aggregations[1].key_size, 16u);
  ASSERT_EQ(metadata->aggregations[1].key.size(), 1u);
  EXPECT_EQ(metadata->aggregations[1].key[0].name, "comm");
  EXPECT_EQ(metadata->aggregations[1].key[0].type, FieldType::kString);
  EXPECT_EQ(metadata->aggregations[1].key[0].offset, 0u);
  EXPECT_EQ(metadata->aggregations[1].key[0].size, 16u);
  EXPECT_FALSE(metadata->aggregations[1].drop_slot.has_value());
}

TEST(MetadataTest, FindsProgramsAndEvents) {
  ErrorOr<Metadata> metadata = ParseMetadata(kOpensnoop);
  ASSERT_TRUE(metadata.ok());
  EXPECT_NE(metadata->FindProgram("sys_enter_openat"), nullptr);
  EXPECT_EQ(metadata->FindProgram("sys_exit_openat"), nullptr);
  EXPECT_NE(metadata->FindEvent(0), nullptr);
  EXPECT_EQ(metadata->FindEvent(1), nullptr);
}

TEST(MetadataTest, SkipsUnknownLineKinds) {
  std::string text = std::string(kOpensnoop) +
                     "histogram\tsomething\tlater\n"
                     "parameter\tcomm\tstring\n";
  ErrorOr<Metadata> metadata = ParseMetadata(text);
  ASSERT_TRUE(metadata.ok()) << metadata.error().message;
  EXPECT_EQ(metadata->aggregations.size(), 2u);
}

TEST(MetadataTest, AcceptsFieldsBeforeTheirEvent) {
  ErrorOr<Metadata> metadata = ParseMetadata(
      "nubpf\t1\n"
      "field\t3\tpid\tu32\t8\t4\n"
      "event\t3\t16\tprobe\t1\t1\n");
  ASSERT_TRUE(metadata.ok()) << metadata.error().message;
  ASSERT_EQ(metadata->events.size(), 1u);
  EXPECT_EQ(metadata->events[0].fields.size(), 1u);
}

TEST(MetadataTest, SortsEventsById) {
  ErrorOr<Metadata> metadata = ParseMetadata(
      "nubpf\t1\n"
      "event\t7\t8\tb\t1\t1\n"
      "event\t2\t8\ta\t1\t1\n");
  ASSERT_TRUE(metadata.ok()) << metadata.error().message;
  ASSERT_EQ(metadata->events.size(), 2u);
  EXPECT_EQ(metadata->events[0].id, 2u);
  EXPECT_EQ(metadata->FindEvent(7)->function, "b");
}

TEST(MetadataTest, AcceptsNoTrailingNewlineAndBlankLines) {
  ErrorOr<Metadata> metadata = ParseMetadata(
      "nubpf\t1\n\nsource\tx.nu\n\nprogram\tp\ttracepoint:a:b\t1\t2");
  ASSERT_TRUE(metadata.ok()) << metadata.error().message;
  EXPECT_EQ(metadata->programs.size(), 1u);
}

TEST(MetadataTest, RejectsOtherVersions) {
  for (const char* version : {"0", "7"}) {
    ErrorOr<Metadata> metadata =
        ParseMetadata(std::string("nubpf\t") + version + "\nsource\tx.nu\n");
    ASSERT_FALSE(metadata.ok()) << version;
    EXPECT_NE(metadata.error().message.find(std::string("metadata is version ") + version),
              std::string::npos)
        << metadata.error().message;
    EXPECT_NE(metadata.error().message.find("reads versions 1 to 6"),
              std::string::npos)
        << metadata.error().message;
    EXPECT_EQ(metadata.error().exit_code, ExitCode::kLoadFailed);
  }
}

TEST(MetadataTest, RejectsMissingVersionLine) {
  EXPECT_NE(ParseError("source\tx.nu\n")
                .find("line 1: the first line must be `nubpf<TAB>6`"),
            std::string::npos);
  EXPECT_NE(ParseError("").find("section is empty"), std::string::npos);
  EXPECT_NE(ParseError("nubpf\tone\n").find("version `one` is not a decimal"),
            std::string::npos);
  EXPECT_NE(ParseError("nubpf\t1\nnubpf\t1\n").find("second `nubpf`"),
            std::string::npos);
}

// A corrupted section shows its bytes escaped and cut, never raw.
TEST(MetadataTest, GarbageIsShownEscaped) {
  std::string garbage = std::string("\xff\x00\x1b[2J", 6) + std::string(60, 'x') + "\n";
  std::string error = ParseError(garbage);
  EXPECT_NE(error.find("found a `\\xff\\x00\\x1b[2J" + std::string(34, 'x') + "...` line"),
            std::string::npos)
      << error;
  EXPECT_EQ(error.find('\x1b'), std::string::npos) << error;
  EXPECT_NE(ParseError("nubpf\t\x01\n").find("version `\\x01` is not a decimal"),
            std::string::npos);
}

TEST(MetadataTest, RejectsWrongValueCount) {
  std::string error = ParseError("nubpf\t1\nprogram\tp\ttracepoint:a:b\t1\n");
  EXPECT_NE(error.find("line 2"), std::string::npos) << error;
  EXPECT_NE(error.find("`program` line needs 4 tab-separated values after "
                       "its kind, found 3"),
            std::string::npos)
      << error;

  error = ParseError("nubpf\t1\nsource\ta\tb\n");
  EXPECT_NE(error.find("`source` line needs 1"), std::string::npos) << error;
}

TEST(MetadataTest, RejectsInvalidNumbers) {
  std::string error =
      ParseError("nubpf\t1\nprogram\tp\ttracepoint:a:b\tfour\t1\n");
  EXPECT_NE(error.find("LINE `four` is not a decimal number"),
            std::string::npos)
      << error;

  error = ParseError("nubpf\t1\nevent\t-1\t16\tp\t1\t1\n");
  EXPECT_NE(error.find("event ID `-1`"), std::string::npos) << error;

  error = ParseError("nubpf\t1\nevent\t99999999999\t16\tp\t1\t1\n");
  EXPECT_NE(error.find("fits in 32 bits"), std::string::npos) << error;

  error = ParseError("nubpf\t1\nevent\t1\t16 \tp\t1\t1\n");
  EXPECT_NE(error.find("event SIZE `16 `"), std::string::npos) << error;
}

TEST(MetadataTest, RejectsBadEvents) {
  std::string error = ParseError("nubpf\t1\nevent\t0\t4\tp\t1\t1\n");
  EXPECT_NE(error.find("smaller than its 8-byte header"), std::string::npos)
      << error;

  error =
      ParseError("nubpf\t1\nevent\t0\t16\tp\t1\t1\nevent\t0\t16\tq\t2\t1\n");
  EXPECT_NE(error.find("line 3: event 0 is already defined at line 2"),
            std::string::npos)
      << error;
}

TEST(MetadataTest, Version4HeaderHasTime) {
  std::string error = ParseError("nubpf\t4\nevent\t0\t8\tp\t1\t1\n");
  EXPECT_NE(error.find("smaller than its 16-byte header"), std::string::npos) << error;

  // A field inside the time, where version 3 put the first field.
  error = ParseError("nubpf\t4\nevent\t0\t24\tp\t1\t1\nfield\t0\tx\tu64\t8\t8\n");
  EXPECT_NE(error.find("outside bytes 16..24 of event 0"), std::string::npos) << error;

  ErrorOr<Metadata> metadata =
      ParseMetadata("nubpf\t4\nevent\t0\t24\tp\t1\t1\nfield\t0\tx\tu64\t16\t8\n");
  ASSERT_TRUE(metadata.ok()) << metadata.error().message;
  EXPECT_TRUE(metadata->HasEventTimes());
  EXPECT_EQ(EventHeaderSize(4), 16u);
  EXPECT_EQ(EventHeaderSize(3), 8u);
}

TEST(MetadataTest, RejectsBadFields) {
  const std::string event = "nubpf\t1\nevent\t0\t24\tp\t1\t1\n";

  std::string error = ParseError(event + "field\t0\tx\tf32\t8\t4\n");
  EXPECT_NE(error.find("field `x` has unknown type `f32`"), std::string::npos)
      << error;

  error = ParseError(event + "field\t0\tx\tu32\t8\t8\n");
  EXPECT_NE(error.find("`x` has type `u32` but size 8; a `u32` is 4 bytes"),
            std::string::npos)
      << error;

  error = ParseError(event + "field\t0\tx\tstring\t8\t0\n");
  EXPECT_NE(error.find("string `x` has size 0"), std::string::npos) << error;

  error = ParseError(event + "field\t0\tx\tu64\t20\t8\n");
  EXPECT_NE(error.find("line 3: field `x` covers bytes 20..28, outside "
                       "bytes 8..24 of event 0"),
            std::string::npos)
      << error;

  error = ParseError(event + "field\t0\tx\tu32\t4\t4\n");
  EXPECT_NE(error.find("outside bytes 8..24"), std::string::npos) << error;

  error = ParseError(event + "field\t1\tx\tu32\t8\t4\n");
  EXPECT_NE(error.find("field `x` belongs to event 1, which has no `event` "
                       "line"),
            std::string::npos)
      << error;

  error =
      ParseError(event + "field\t0\tx\tu32\t8\t4\nfield\t0\tx\tu32\t12\t4\n");
  EXPECT_NE(error.find("event 0 has two fields named `x`"), std::string::npos)
      << error;
}

TEST(MetadataTest, RejectsBadCounters) {
  std::string error =
      ParseError("nubpf\t1\ncounter\tcount_0\tcount\t1\t1\tcomm\t-\t0\n");
  EXPECT_NE(error.find("a keyless counter has `-`, `-`, 0"), std::string::npos)
      << error;

  error = ParseError("nubpf\t1\ncounter\tcount_0\tcount\t1\t1\tk\tu128\t16\n");
  EXPECT_NE(error.find("counter `count_0` has unknown key type `u128`"),
            std::string::npos)
      << error;

  error = ParseError("nubpf\t1\ncounter\tcount_0\tcount\t1\t1\tk\ti16\t4\n");
  EXPECT_NE(error.find("`k` has type `i16` but size 4"), std::string::npos)
      << error;
}

TEST(MetadataTest, ErrorsSuggestRebuilding) {
  ErrorOr<Metadata> metadata = ParseMetadata("nubpf\t1\nevent\t0\n");
  ASSERT_FALSE(metadata.ok());
  EXPECT_NE(metadata.error().help.find("nubpfc"), std::string::npos);
}

// The example of the `print` line in docs/object-format.md.
constexpr const char* kPrintEvent =
    "nubpf\t1\n"
    "event\t2\t32\tsys_enter_openat\t7\t5\n"
    "field\t2\t0\tstring\t8\t16\n"
    "field\t2\t1\tu32\t24\t4\n";

TEST(MetadataTest, ParsesPrintLine) {
  ErrorOr<Metadata> metadata =
      ParseMetadata(std::string(kPrintEvent) + "print\t2\t{0} pid={1}\n");
  ASSERT_TRUE(metadata.ok()) << metadata.error().message;

  const EventInfo* event = metadata->FindEvent(2);
  ASSERT_NE(event, nullptr);
  ASSERT_EQ(event->fields.size(), 2u);
  ASSERT_TRUE(event->print.has_value());
  const std::vector<PrintPart>& parts = event->print->parts;
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0], PrintPart(PrintField{0}));
  EXPECT_EQ(parts[1], PrintPart(std::string(" pid=")));
  EXPECT_EQ(parts[2], PrintPart(PrintField{1}));
}

TEST(MetadataTest, EmitEventHasNoPrint) {
  ErrorOr<Metadata> metadata = ParseMetadata(kOpensnoop);
  ASSERT_TRUE(metadata.ok()) << metadata.error().message;
  EXPECT_FALSE(metadata->FindEvent(0)->print.has_value());
}

TEST(MetadataTest, AcceptsEmptyPrintTemplate) {
  ErrorOr<Metadata> metadata =
      ParseMetadata("nubpf\t1\nevent\t0\t8\tp\t1\t1\nprint\t0\t\n");
  ASSERT_TRUE(metadata.ok()) << metadata.error().message;
  ASSERT_TRUE(metadata->FindEvent(0)->print.has_value());
  EXPECT_TRUE(metadata->FindEvent(0)->print->parts.empty());
}

TEST(MetadataTest, AcceptsPrintBeforeItsEventAndFields) {
  ErrorOr<Metadata> metadata = ParseMetadata(
      "nubpf\t1\n"
      "print\t5\tn={0}\n"
      "event\t5\t16\tp\t1\t1\n"
      "field\t5\t0\tu64\t8\t8\n");
  ASSERT_TRUE(metadata.ok()) << metadata.error().message;
  ASSERT_TRUE(metadata->FindEvent(5)->print.has_value());
  EXPECT_EQ(metadata->FindEvent(5)->print->parts.size(), 2u);
}

TEST(MetadataTest, RejectsPrintForUnknownEvent) {
  std::string error = ParseError(std::string(kPrintEvent) + "print\t3\t{0}\n");
  EXPECT_NE(error.find("line 5: `print` line for event 3, which has no "
                       "`event` line"),
            std::string::npos)
      << error;
}

TEST(MetadataTest, RejectsSecondPrintForEvent) {
  std::string error =
      ParseError(std::string(kPrintEvent) + "print\t2\t{0}\nprint\t2\t{1}\n");
  EXPECT_NE(error.find("line 6: event 2 already has a `print` line at line 5"),
            std::string::npos)
      << error;
}

TEST(MetadataTest, RejectsBadPrintLines) {
  std::string error = ParseError(std::string(kPrintEvent) + "print\t2\n");
  EXPECT_NE(error.find("line 5: a `print` line needs 2 tab-separated values "
                       "after its kind, found 1"),
            std::string::npos)
      << error;

  // A tab in the template splits the line, so it must be written `\t`.
  error = ParseError(std::string(kPrintEvent) + "print\t2\ta\tb\n");
  EXPECT_NE(error.find("`print` line needs 2 tab-separated values after its "
                       "kind, found 3"),
            std::string::npos)
      << error;

  error = ParseError(std::string(kPrintEvent) + "print\ttwo\t{0}\n");
  EXPECT_NE(error.find("print EVENT-ID `two` is not a decimal number"),
            std::string::npos)
      << error;
}

TEST(MetadataTest, RejectsBadPrintTemplates) {
  struct Case {
    const char* template_text;
    const char* expected;
  };
  const Case cases[] = {
      {"{0} pid={2}",
       "line 5: `print` template of event 2: `{2}` at offset 8 refers to "
       "field 2, but the event has 2 fields"},
      {"pid={1",
       "line 5: `print` template of event 2: unterminated `{` at offset 4"},
      {"{0}} pid", "line 5: `print` template of event 2: lone `}` at offset 3"},
      {"{0}\\q",
       "line 5: `print` template of event 2: unknown escape `\\q` at "
       "offset 3"},
  };
  for (const Case& test_case : cases) {
    std::string error = ParseError(std::string(kPrintEvent) + "print\t2\t" +
                                   test_case.template_text + "\n");
    EXPECT_NE(error.find(test_case.expected), std::string::npos)
        << "template: " << test_case.template_text << "\nerror: " << error;
  }
}

TEST(MetadataTest, ReportsFirstBadPrintInLineOrder) {
  std::string error = ParseError(
      "nubpf\t1\n"
      "event\t9\t8\tp\t1\t1\n"
      "event\t1\t8\tq\t1\t1\n"
      "print\t9\t{0}\n"
      "print\t1\t{0}\n");
  EXPECT_NE(error.find("line 4: `print` template of event 9"),
            std::string::npos)
      << error;
}

TEST(MetadataTest, ParsesEveryFieldType) {
  struct Case {
    const char* name;
    FieldType type;
    uint32_t size;
  };
  const Case cases[] = {
      {"u8", FieldType::kU8, 1},     {"u16", FieldType::kU16, 2},
      {"u32", FieldType::kU32, 4},   {"u64", FieldType::kU64, 8},
      {"i8", FieldType::kI8, 1},     {"i16", FieldType::kI16, 2},
      {"i32", FieldType::kI32, 4},   {"i64", FieldType::kI64, 8},
      {"bool", FieldType::kBool, 1},
  };
  for (const Case& test_case : cases) {
    std::optional<FieldType> type = ParseFieldType(test_case.name);
    ASSERT_TRUE(type.has_value()) << test_case.name;
    EXPECT_EQ(*type, test_case.type) << test_case.name;
    EXPECT_EQ(FixedFieldSize(*type), test_case.size) << test_case.name;
    EXPECT_STREQ(FieldTypeName(*type), test_case.name);
  }
  EXPECT_EQ(ParseFieldType("string"), FieldType::kString);
  EXPECT_FALSE(FixedFieldSize(FieldType::kString).has_value());
  EXPECT_FALSE(ParseFieldType("U32").has_value());
}

}  // namespace
}  // namespace nubpf::runtime
