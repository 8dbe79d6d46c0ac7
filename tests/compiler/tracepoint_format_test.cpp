// Parsing of tracefs `format` files into fields with names and shapes.

#include "compiler/tracepoint_format.h"

#include "gtest/gtest.h"

namespace nubpf::compiler {
namespace {

constexpr char kExecFormat[] =
    "name: sched_process_exec\n"
    "ID: 316\n"
    "format:\n"
    "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
    "\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
    "\n"
    "\tfield:__data_loc char[] filename;\toffset:8;\tsize:4;\tsigned:0;\n"
    "\tfield:pid_t pid;\toffset:12;\tsize:4;\tsigned:1;\n"
    "\tfield:char comm[16];\toffset:16;\tsize:16;\tsigned:0;\n"
    "\tfield:const char * path;\toffset:32;\tsize:8;\tsigned:0;\n"
    "\tfield:unsigned long args[6];\toffset:40;\tsize:48;\tsigned:0;\n"
    "\n"
    "print fmt: \"filename=%s\", __get_str(filename)\n";

TEST(TracepointFormat, ParsesEachShape) {
  TracepointFormat format;
  std::string error;
  ASSERT_TRUE(ParseTracepointFormat(kExecFormat, &format, &error)) << error;

  const TracepointField* filename = format.FindField("filename");
  ASSERT_NE(filename, nullptr);
  EXPECT_EQ(filename->shape, TracepointFieldShape::kDataLoc);
  EXPECT_EQ(filename->offset, 8u);
  EXPECT_EQ(filename->size, 4u);

  const TracepointField* pid = format.FindField("pid");
  ASSERT_NE(pid, nullptr);
  EXPECT_EQ(pid->shape, TracepointFieldShape::kInteger);
  EXPECT_TRUE(pid->is_signed);

  ASSERT_NE(format.FindField("comm"), nullptr);
  EXPECT_EQ(format.FindField("comm")->shape, TracepointFieldShape::kCharArray);
  ASSERT_NE(format.FindField("path"), nullptr);
  EXPECT_EQ(format.FindField("path")->shape, TracepointFieldShape::kCharPointer);
  ASSERT_NE(format.FindField("args"), nullptr);
  EXPECT_EQ(format.FindField("args")->shape, TracepointFieldShape::kArray);
}

TEST(TracepointFormat, DataLocNameFollowsBrackets) {
  TracepointFormat format;
  std::string error;
  ASSERT_TRUE(ParseTracepointFormat(kExecFormat, &format, &error)) << error;
  EXPECT_EQ(format.FindField("char"), nullptr);
}

}  // namespace
}  // namespace nubpf::compiler
