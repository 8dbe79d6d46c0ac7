// Parameters of `def main` on nubpf-run's command line: the `param`
// metadata lines, and the flag words turned into `.rodata` bytes.
#include "runtime/parameters.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "runtime/metadata.h"

namespace nubpf::runtime {
namespace {

constexpr const char* kHeader =
    "nubpf\t3\n"
    "program\tf\ttracepoint:syscalls:sys_exit_read\t2\t5\n"
    "attach\tf\tsection\n";

std::vector<ParameterInfo> Parameters() {
  return {
      {"comm", FieldType::kString, 0, 16, "\"\""},
      {"min-bytes", FieldType::kI64, 24, 8, "1"},
      {"limit", FieldType::kFileSize, 32, 8, "4kb"},
      {"wait", FieldType::kDuration, 40, 8, "0"},
      {"verbose", FieldType::kBool, 48, 1, "false"},
  };
}

int64_t Int64Of(const std::string& bytes) {
  int64_t value = 0;
  std::memcpy(&value, bytes.data(), 8);
  return value;
}

// Returns the value of the only flag in `words`, as an i64.
int64_t ParseOne(const std::vector<std::string>& words) {
  ErrorOr<std::vector<ParameterValue>> values = ParseParameterArguments(Parameters(), words);
  EXPECT_TRUE(values.ok()) << values.error().message;
  if (!values.ok() || values->size() != 1) return -999;
  return Int64Of((*values)[0].bytes);
}

std::string ErrorOf(const std::vector<std::string>& words) {
  ErrorOr<std::vector<ParameterValue>> values = ParseParameterArguments(Parameters(), words);
  if (values.ok()) return "";
  EXPECT_EQ(values.error().exit_code, ExitCode::kUsage);
  return values.error().message;
}

TEST(ParameterMetadata, ParsesParamLines) {
  ErrorOr<Metadata> metadata = ParseMetadata(std::string(kHeader) +
                                             "param\tcomm\tstring\t0\t256\t\"\"\n"
                                             "param\tmin-bytes\tfilesize\t264\t8\t4kb\n");
  ASSERT_TRUE(metadata.ok()) << metadata.error().message;
  ASSERT_EQ(metadata->parameters.size(), 2u);
  EXPECT_EQ(metadata->parameters[0].name, "comm");
  EXPECT_EQ(metadata->parameters[0].type, FieldType::kString);
  EXPECT_EQ(metadata->parameters[0].size, 256u);
  EXPECT_EQ(metadata->parameters[1].name, "min-bytes");
  EXPECT_EQ(metadata->parameters[1].type, FieldType::kFileSize);
  EXPECT_EQ(metadata->parameters[1].offset, 264u);
  EXPECT_EQ(metadata->parameters[1].default_text, "4kb");
}

TEST(ParameterMetadata, RejectsBadLines) {
  ErrorOr<Metadata> stack = ParseMetadata(std::string(kHeader) + "param\ts\tkstack\t0\t16\t0\n");
  ASSERT_FALSE(stack.ok());
  EXPECT_NE(stack.error().message.find("parameter `s` has TYPE `kstack`"), std::string::npos)
      << stack.error().message;

  ErrorOr<Metadata> twice = ParseMetadata(std::string(kHeader) +
                                          "param\tn\ti64\t0\t8\t0\n"
                                          "param\tn\ti64\t8\t8\t0\n");
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.error().message.find("described twice"), std::string::npos);

  ErrorOr<Metadata> short_line = ParseMetadata(std::string(kHeader) + "param\tn\ti64\t0\t8\n");
  EXPECT_FALSE(short_line.ok());
}

TEST(ParameterArguments, ParsesInts) {
  EXPECT_EQ(ParseOne({"--min-bytes", "42"}), 42);
  EXPECT_EQ(ParseOne({"--min-bytes=-7"}), -7);
  EXPECT_EQ(ParseOne({"--min-bytes", "1_000"}), 1000);
  EXPECT_EQ(ParseOne({"--min-bytes", "9223372036854775807"}), INT64_MAX);
}

TEST(ParameterArguments, ParsesFileSizes) {
  EXPECT_EQ(ParseOne({"--limit", "4kb"}), 4000);
  EXPECT_EQ(ParseOne({"--limit", "4KiB"}), 4096);
  EXPECT_EQ(ParseOne({"--limit", "2mb"}), 2000000);
  EXPECT_EQ(ParseOne({"--limit", "512"}), 512);
}

TEST(ParameterArguments, ParsesDurations) {
  EXPECT_EQ(ParseOne({"--wait", "500ms"}), 500000000);
  EXPECT_EQ(ParseOne({"--wait", "2sec"}), 2000000000);
  EXPECT_EQ(ParseOne({"--wait", "3us"}), 3000);
  EXPECT_EQ(ParseOne({"--wait", "1min"}), 60000000000);
}

TEST(ParameterArguments, ParsesBoolsAndSwitches) {
  std::vector<ParameterInfo> parameters = Parameters();
  for (auto [words, expected] : std::vector<std::pair<std::vector<std::string>, char>>{
           {{"--verbose"}, 1},
           {{"--verbose", "false"}, 0},
           {{"--verbose", "true"}, 1},
           {{"--verbose=false"}, 0},
       }) {
    ErrorOr<std::vector<ParameterValue>> values = ParseParameterArguments(parameters, words);
    ASSERT_TRUE(values.ok()) << values.error().message;
    ASSERT_EQ(values->size(), 1u);
    EXPECT_EQ((*values)[0].bytes, std::string(1, expected)) << words[0];
    EXPECT_EQ((*values)[0].offset, 48u);
  }

  // A switch followed by another flag leaves that flag alone.
  ErrorOr<std::vector<ParameterValue>> values =
      ParseParameterArguments(parameters, {"--verbose", "--min-bytes", "3"});
  ASSERT_TRUE(values.ok()) << values.error().message;
  ASSERT_EQ(values->size(), 2u);
  EXPECT_EQ(Int64Of((*values)[1].bytes), 3);
}

TEST(ParameterArguments, PadsStringsWithZeros) {
  ErrorOr<std::vector<ParameterValue>> values =
      ParseParameterArguments(Parameters(), {"--comm", "bash"});
  ASSERT_TRUE(values.ok()) << values.error().message;
  ASSERT_EQ(values->size(), 1u);
  EXPECT_EQ((*values)[0].bytes, std::string("bash") + std::string(12, '\0'));
}

TEST(ParameterArguments, RejectsInvalidValues) {
  EXPECT_EQ(ErrorOf({"--min-bytes", "abc"}),
            "invalid value `abc` for --min-bytes: expected an int");
  EXPECT_EQ(ErrorOf({"--min-bytes", "4kb"}),
            "invalid value `4kb` for --min-bytes: expected an int");
  EXPECT_EQ(ErrorOf({"--min-bytes", "9223372036854775808"}),
            "invalid value `9223372036854775808` for --min-bytes: expected an int");
  EXPECT_EQ(ErrorOf({"--wait", "5"}), "invalid value `5` for --wait: expected a duration");
  EXPECT_EQ(ErrorOf({"--wait", "1.5sec"}),
            "invalid value `1.5sec` for --wait: expected a duration");
  EXPECT_EQ(ErrorOf({"--limit", "4 kb"}),
            "invalid value `4 kb` for --limit: expected a file size");
  EXPECT_EQ(ErrorOf({"--verbose=yes"}),
            "invalid value `yes` for --verbose: expected `true` or `false`");
  EXPECT_EQ(ErrorOf({"--verbose", "yes"}),
            "--verbose is a bool, which takes `true` or `false`, not `yes`");
}

TEST(ParameterArguments, RejectsLongStrings) {
  EXPECT_EQ(ErrorOf({"--comm", "0123456789abcdef"}),
            "the value of --comm is 16 bytes, but the object has room for 15");
  EXPECT_EQ(ErrorOf({"--comm", "0123456789abcde"}), "");
}

TEST(ParameterArguments, RejectsUnknownRepeatedAndMissing) {
  EXPECT_EQ(ErrorOf({"--nope", "1"}), "unknown flag `--nope`");
  EXPECT_EQ(ErrorOf({"--min-bytes", "1", "--min-bytes", "2"}), "--min-bytes is given twice");
  EXPECT_EQ(ErrorOf({"--min-bytes"}), "--min-bytes needs a value");
  EXPECT_EQ(ErrorOf({"stray"}), "unexpected argument `stray`");
}

TEST(ParameterHelpText, ListsTypesAndDefaults) {
  std::string help = ParameterHelp(Parameters());
  EXPECT_NE(help.find("  --comm string                default: \"\"\n"), std::string::npos)
      << help;
  EXPECT_NE(help.find("  --limit filesize             default: 4kb\n"), std::string::npos)
      << help;
  EXPECT_NE(help.find("  --verbose                    default: false\n"), std::string::npos)
      << help;
  EXPECT_EQ(ParameterHelp({}), "");
}

}  // namespace
}  // namespace nubpf::runtime
