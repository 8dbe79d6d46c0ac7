// The AST dump on trees built by hand, for what the parser tests do not
// reach: escapes in strings and names, and fields on non-variables.
#include "frontend/ast_printer.h"

#include <gtest/gtest.h>

#include <sstream>

namespace nubpf::frontend {
namespace {

std::string Dump(const File& file) {
  std::ostringstream out;
  PrintAst(file, out);
  return out.str();
}

// A file with one probe `probe t:a:b` whose body is `emit VALUE`.
File EmitFile(ExprPtr value) {
  auto call = std::make_unique<CommandCall>();
  call->name = "emit";
  call->arguments.push_back({Span{}, "", std::move(value)});
  auto pipeline = std::make_unique<PipelineStmt>(Span{});
  pipeline->elements.push_back({nullptr, std::move(call), Span{}});

  File file;
  file.probes.emplace_back();
  file.probes[0].target = "t:a:b";
  file.probes[0].body.statements.push_back(std::move(pipeline));
  return file;
}

TEST(AstPrinter, StringEscapes) {
  std::string value("q\"b\\n\nt\tr\rz");
  value += '\0';
  value += "\x01\x7f\xC3\xA9";
  File file = EmitFile(std::make_unique<StringExpr>(Span{}, value));
  EXPECT_EQ(
      Dump(file),
      "probe t:a:b\n"
      "  pipeline\n"
      "    command emit\n"
      "      string \"q\\\"b\\\\n\\nt\\tr\\rz\\0\\u{1}\\u{7f}\xC3\xA9\"\n");
}

TEST(AstPrinter, QuotedNames) {
  auto record = std::make_unique<RecordExpr>(Span{});
  record->fields.push_back(
      {"a key", Span{}, std::make_unique<IntExpr>(Span{}, 1)});
  record->fields.push_back({"", Span{}, std::make_unique<IntExpr>(Span{}, 2)});
  record->fields.push_back(
      {"ok-name_1", Span{}, std::make_unique<IntExpr>(Span{}, 3)});
  EXPECT_EQ(Dump(EmitFile(std::move(record))),
            "probe t:a:b\n"
            "  pipeline\n"
            "    command emit\n"
            "      record\n"
            "        \"a key\":\n"
            "          int 1\n"
            "        \"\":\n"
            "          int 2\n"
            "        ok-name_1:\n"
            "          int 3\n");
}

TEST(AstPrinter, FieldOnNonVariable) {
  auto inner = std::make_unique<FieldExpr>(
      Span{}, std::make_unique<VariableExpr>(Span{}, "e"), "a b", Span{});
  auto negated =
      std::make_unique<UnaryExpr>(Span{}, UnaryOp::kNegate, std::move(inner));
  auto outer =
      std::make_unique<FieldExpr>(Span{}, std::move(negated), "x", Span{});
  EXPECT_EQ(Dump(EmitFile(std::move(outer))),
            "probe t:a:b\n"
            "  pipeline\n"
            "    command emit\n"
            "      field x\n"
            "        negate\n"
            "          cell-path $e.\"a b\"\n");
}

TEST(AstPrinter, EmptyFile) { EXPECT_EQ(Dump(File{}), ""); }

}  // namespace
}  // namespace nubpf::frontend
