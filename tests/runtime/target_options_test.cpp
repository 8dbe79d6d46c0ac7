// The flags -c and -p of nubpf-run, and the pid they write into the probe
// file's `--target-pid`.
#include "runtime/target_options.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

namespace nubpf::runtime {
namespace {

TEST(TargetOptions, NeitherFlag) {
  ErrorOr<TargetRequest> request = ParseTargetOptions(std::nullopt, std::nullopt);
  ASSERT_TRUE(request.ok());
  EXPECT_TRUE(request->empty());
}

TEST(TargetOptions, CommandWords) {
  ErrorOr<TargetRequest> request = ParseTargetOptions("sh -c 'echo hi'", std::nullopt);
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(request->command, (std::vector<std::string>{"sh", "-c", "echo hi"}));
  EXPECT_FALSE(request->pid);
}

TEST(TargetOptions, Pid) {
  ErrorOr<TargetRequest> request = ParseTargetOptions(std::nullopt, "1234");
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(request->pid, 1234);

  for (const char* text : {"0", "-5", "12ab", "", "99999999999"}) {
    ErrorOr<TargetRequest> invalid = ParseTargetOptions(std::nullopt, std::string(text));
    ASSERT_FALSE(invalid.ok()) << text;
    EXPECT_EQ(invalid.error().exit_code, ExitCode::kUsage);
    EXPECT_EQ(invalid.error().message,
              std::string("invalid -p `") + text + "`: expected a process id");
  }
}

TEST(TargetOptions, BothFlags) {
  ErrorOr<TargetRequest> request = ParseTargetOptions("ls", "1");
  ASSERT_FALSE(request.ok());
  EXPECT_EQ(request.error().exit_code, ExitCode::kUsage);
  EXPECT_EQ(request.error().message, "-c and -p cannot be given together");
}

TEST(TargetOptions, TargetPidGivenTwice) {
  std::vector<ParameterInfo> parameters = {
      {"comm", FieldType::kString, 0, 16, "\"\""},
      {"target-pid", FieldType::kI64, 16, 8, "0"},
  };
  TargetRequest request;
  request.pid = 7;
  std::optional<Error> error =
      CheckTargetPidNotGiven(request, parameters, {"--comm", "x", "--target-pid=5"});
  ASSERT_TRUE(error);
  EXPECT_EQ(error->exit_code, ExitCode::kUsage);
  EXPECT_EQ(error->message, "--target-pid cannot be given with -p");

  EXPECT_FALSE(CheckTargetPidNotGiven(TargetRequest{}, parameters, {"--target-pid", "5"}));
  // A string value that reads like the flag is a value.
  EXPECT_FALSE(CheckTargetPidNotGiven(request, parameters, {"--comm", "--target-pid"}));
}

TEST(TargetOptions, TargetPidValue) {
  std::vector<ParameterInfo> parameters = {
      {"comm", FieldType::kString, 0, 16, "\"\""},
      {"target-pid", FieldType::kI64, 16, 8, "0"},
  };
  std::vector<ParameterValue> values;
  EXPECT_FALSE(AddTargetPidValue(parameters, 4321, &values));
  ASSERT_EQ(values.size(), 1u);
  EXPECT_EQ(values[0].name, "target-pid");
  EXPECT_EQ(values[0].offset, 16u);
  int64_t pid = 0;
  ASSERT_EQ(values[0].bytes.size(), sizeof(pid));
  std::memcpy(&pid, values[0].bytes.data(), sizeof(pid));
  EXPECT_EQ(pid, 4321);
}

TEST(TargetOptions, NoTargetPidParameter) {
  std::vector<ParameterValue> values;
  EXPECT_FALSE(AddTargetPidValue({{"comm", FieldType::kString, 0, 16, "\"\""}}, 1, &values));
  EXPECT_TRUE(values.empty());
}

TEST(TargetOptions, TargetPidOfOtherType) {
  std::vector<ParameterValue> values;
  std::optional<Error> error =
      AddTargetPidValue({{"target-pid", FieldType::kDuration, 0, 8, "0"}}, 1, &values);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->message,
            "the object's parameter --target-pid is a duration, but -c and -p set it to a pid");
}

}  // namespace
}  // namespace nubpf::runtime
