// The parser on valid input: every construct, checked through the AST dump.
#include <gtest/gtest.h>

#include "parse_helpers.h"

namespace nubpf::frontend::testing {
namespace {

// Expects `body` to parse without diagnostics into the statements `dump`.
void ExpectBody(const std::string& body, const std::string& dump) {
  std::string errors;
  EXPECT_EQ(DumpBody(body, &errors), dump) << body;
  EXPECT_EQ(errors, "") << body;
}

TEST(Parser, EmitRecord) {
  ParseOutput out = ParseText(
      "# Files opened, with who opened them.\n"
      "probe tracepoint:syscalls:sys_enter_openat {|e|\n"
      "    emit {pid: $e.pid, comm: $e.comm, file: $e.filename}\n"
      "}\n");
  EXPECT_TRUE(out.ok);
  EXPECT_EQ(out.compact, "");
  EXPECT_EQ(out.dump,
            "probe tracepoint:syscalls:sys_enter_openat |e|\n"
            "  pipeline\n"
            "    command emit\n"
            "      record\n"
            "        pid:\n"
            "          cell-path $e.pid\n"
            "        comm:\n"
            "          cell-path $e.comm\n"
            "        file:\n"
            "          cell-path $e.filename\n");
}

TEST(Parser, ValueIntoCommand) {
  ParseOutput out = ParseText(
      "probe tracepoint:raw_syscalls:sys_enter {|e| $e.comm | count }");
  EXPECT_TRUE(out.ok);
  EXPECT_EQ(out.dump,
            "probe tracepoint:raw_syscalls:sys_enter |e|\n"
            "  pipeline\n"
            "    cell-path $e.comm\n"
            "    command count\n");
}

TEST(Parser, LoneCommand) {
  ExpectBody("count", "pipeline\n  command count\n");
}

TEST(Parser, ClosureWithoutParameter) {
  ParseOutput out =
      ParseText("probe interval:s:1 { count }\nprobe a:b {|| count }\n");
  EXPECT_TRUE(out.ok);
  EXPECT_EQ(out.dump,
            "probe interval:s:1\n  pipeline\n    command count\n"
            "probe a:b\n  pipeline\n    command count\n");
  EXPECT_EQ(out.ast.probes[0].parameter, "");
}

TEST(Parser, EmptyClosure) {
  ParseOutput out = ParseText("probe a:b {|e| }\nprobe c:d {\n\n}\n");
  EXPECT_TRUE(out.ok);
  EXPECT_EQ(out.dump, "probe a:b |e|\nprobe c:d\n");
}

TEST(Parser, SeveralProbes) {
  ParseOutput out = ParseText(
      "probe tracepoint:syscalls:sys_enter_read {|e| start-timer --key $e.tid "
      "}\n"
      "\n"
      "# Read latency.\n"
      "probe tracepoint:syscalls:sys_exit_read {|e|\n"
      "    stop-timer --key $e.tid | histogram     # nanoseconds\n"
      "}\n"
      "probe uprobe:/bin/bash:readline {|e| count }; probe profile:hz:99 { "
      "count }");
  EXPECT_TRUE(out.ok);
  EXPECT_EQ(out.compact, "");
  EXPECT_EQ(out.dump,
            "probe tracepoint:syscalls:sys_enter_read |e|\n"
            "  pipeline\n"
            "    command start-timer\n"
            "      --key\n"
            "        cell-path $e.tid\n"
            "probe tracepoint:syscalls:sys_exit_read |e|\n"
            "  pipeline\n"
            "    command stop-timer\n"
            "      --key\n"
            "        cell-path $e.tid\n"
            "    command histogram\n"
            "probe uprobe:/bin/bash:readline |e|\n"
            "  pipeline\n"
            "    command count\n"
            "probe profile:hz:99\n"
            "  pipeline\n"
            "    command count\n");
  ASSERT_EQ(out.ast.probes.size(), 4u);
}

TEST(Parser, LetWithExpression) {
  ExpectBody("let n = $e.ret + 1",
             "let n\n"
             "  binary +\n"
             "    cell-path $e.ret\n"
             "    int 1\n");
}

TEST(Parser, LetWithPipeline) {
  ExpectBody("let n = $e.comm | str length",
             "let n\n"
             "  pipeline\n"
             "    cell-path $e.comm\n"
             "    command str length\n");
  ExpectBody("let c = count",
             "let c\n"
             "  pipeline\n"
             "    command count\n");
}

TEST(Parser, IfElseChain) {
  ExpectBody(
      "if $e.ret > 0 {\n"
      "  count\n"
      "} else if $e.ret == 0 { emit {zero: true} } else {\n"
      "  let x = 1; emit $x\n"
      "}",
      "pipeline\n"
      "  if\n"
      "    binary >\n"
      "      cell-path $e.ret\n"
      "      int 0\n"
      "    then\n"
      "      pipeline\n"
      "        command count\n"
      "    else\n"
      "      pipeline\n"
      "        if\n"
      "          binary ==\n"
      "            cell-path $e.ret\n"
      "            int 0\n"
      "          then\n"
      "            pipeline\n"
      "              command emit\n"
      "                record\n"
      "                  zero:\n"
      "                    bool true\n"
      "          else\n"
      "            let x\n"
      "              int 1\n"
      "            pipeline\n"
      "              command emit\n"
      "                var $x\n");
}

TEST(Parser, IfWithoutElse) {
  ExpectBody("if true { }", "pipeline\n  if\n    bool true\n    then\n");
}

TEST(Parser, DesignFlagsExample) {
  ExpectBody(
      "if $e.ret >= $min_bytes and ($comm == \"\" or $e.comm == $comm) {\n"
      "    $e.ret | histogram --by $e.comm\n"
      "}",
      "pipeline\n"
      "  if\n"
      "    binary and\n"
      "      binary >=\n"
      "        cell-path $e.ret\n"
      "        var $min_bytes\n"
      "      binary or\n"
      "        binary ==\n"
      "          var $comm\n"
      "          string \"\"\n"
      "        binary ==\n"
      "          cell-path $e.comm\n"
      "          var $comm\n"
      "    then\n"
      "      pipeline\n"
      "        cell-path $e.ret\n"
      "        command histogram\n"
      "          --by\n"
      "            cell-path $e.comm\n");
}

TEST(Parser, Flags) {
  ExpectBody("histogram --linear",
             "pipeline\n  command histogram\n    --linear\n");
  ExpectBody("histogram --by=$e.comm --step 10 --linear | count",
             "pipeline\n"
             "  command histogram\n"
             "    --by\n"
             "      cell-path $e.comm\n"
             "    --step\n"
             "      int 10\n"
             "    --linear\n"
             "  command count\n");
  ExpectBody(
      "to-text --format json",
      "pipeline\n  command to-text\n    --format\n      string \"json\"\n");
}

TEST(Parser, ShortFlagsKeptAsWritten) {
  ExpectBody("$r | get -o a",
             "pipeline\n"
             "  var $r\n"
             "  command get\n"
             "    -o\n"
             "      string \"a\"\n");
}

TEST(Parser, BareWordCellPath) {
  ExpectBody("$r | get a.b?.0 \"c.d\"",
             "pipeline\n"
             "  var $r\n"
             "  command get\n"
             "    string \"a.b?.0\"\n"
             "    string \"c.d\"\n");
}

TEST(Parser, PositionalArguments) {
  ExpectBody("emit 1 -2 \"s\" 'raw' word true $x ($a + 1) {k: 1}",
             "pipeline\n"
             "  command emit\n"
             "    int 1\n"
             "    negate\n"
             "      int 2\n"
             "    string \"s\"\n"
             "    string \"raw\"\n"
             "    string \"word\"\n"
             "    bool true\n"
             "    var $x\n"
             "    binary +\n"
             "      var $a\n"
             "      int 1\n"
             "    record\n"
             "      k:\n"
             "        int 1\n");
}

TEST(Parser, SubcommandNames) {
  ExpectBody("$e.filename | str starts-with \"/tmp\" | into int | math sum",
             "pipeline\n"
             "  cell-path $e.filename\n"
             "  command str starts-with\n"
             "    string \"/tmp\"\n"
             "  command into int\n"
             "  command math sum\n");
}

TEST(Parser, CommandArgumentsStopAtBraceAndParen) {
  ExpectBody("if ($e.comm | str length) > 3 { count }",
             "pipeline\n"
             "  if\n"
             "    binary >\n"
             "      pipeline\n"
             "        cell-path $e.comm\n"
             "        command str length\n"
             "      int 3\n"
             "    then\n"
             "      pipeline\n"
             "        command count\n");
}

TEST(Parser, ParenthesizedCommand) {
  ExpectBody("emit (count)",
             "pipeline\n  command emit\n    pipeline\n      command count\n");
}

TEST(Parser, CellPaths) {
  ExpectBody("emit $e.task.real_parent.tgid $e.\"a key\" $list.0 $e.if",
             "pipeline\n"
             "  command emit\n"
             "    cell-path $e.task.real_parent.tgid\n"
             "    cell-path $e.\"a key\"\n"
             "    cell-path $list.0\n"
             "    cell-path $e.if\n");
}

TEST(Parser, CellPathOnSubexpression) {
  ExpectBody("emit ({a: 1}).a",
             "pipeline\n"
             "  command emit\n"
             "    field a\n"
             "      record\n"
             "        a:\n"
             "          int 1\n");
}

TEST(Parser, RecordSeparators) {
  std::string dump =
      "pipeline\n"
      "  command emit\n"
      "    record\n"
      "      pid:\n"
      "        cell-path $e.pid\n"
      "      \"the comm\":\n"
      "        cell-path $e.comm\n"
      "      1:\n"
      "        string \"one\"\n";
  ExpectBody("emit {pid: $e.pid, \"the comm\": $e.comm, 1: one}", dump);
  ExpectBody("emit {pid: $e.pid \"the comm\": $e.comm 1: one}", dump);
  ExpectBody("emit {\n  pid: $e.pid\n  \"the comm\": $e.comm,\n  1: one,\n}",
             dump);
  ExpectBody("emit {pid:$e.pid,\"the comm\":$e.comm,1:one}", dump);
}

TEST(Parser, KeywordsAsRecordKeys) {
  // `probe` at the start of a line is a key here, not a new probe.
  ExpectBody("emit {\nprobe: 1\nif: 2 let: 3}",
             "pipeline\n"
             "  command emit\n"
             "    record\n"
             "      probe:\n"
             "        int 1\n"
             "      if:\n"
             "        int 2\n"
             "      let:\n"
             "        int 3\n");
}

TEST(Parser, EmptyAndNestedRecords) {
  ExpectBody("emit {} {a: {b: {}}}",
             "pipeline\n"
             "  command emit\n"
             "    record\n"
             "    record\n"
             "      a:\n"
             "        record\n"
             "          b:\n"
             "            record\n");
}

TEST(Parser, Literals) {
  ExpectBody("emit 0x10 0o10 0b10 1_000 \"a\\tb\\u{e9}\" false",
             "pipeline\n"
             "  command emit\n"
             "    int 16\n"
             "    int 8\n"
             "    int 2\n"
             "    int 1000\n"
             "    string \"a\\tb\xC3\xA9\"\n"
             "    bool false\n");
}

TEST(Parser, ExpressionStatement) {
  ExpectBody("$e.pid", "pipeline\n  cell-path $e.pid\n");
  ExpectBody("not $x", "pipeline\n  not\n    var $x\n");
  ExpectBody("-2 * $x",
             "pipeline\n  binary *\n    negate\n      int 2\n    var $x\n");
}

TEST(Parser, Semicolons) {
  ExpectBody("count; let a = 1 ;; emit $a",
             "pipeline\n"
             "  command count\n"
             "let a\n"
             "  int 1\n"
             "pipeline\n"
             "  command emit\n"
             "    var $a\n");
}

TEST(Parser, TrailingPipe) {
  ExpectBody("$e.comm |\n    count",
             "pipeline\n  cell-path $e.comm\n  command count\n");
}

TEST(Parser, LeadingPipe) {
  ExpectBody("$e.comm\n    | str length\n    # a comment\n    | histogram",
             "pipeline\n"
             "  cell-path $e.comm\n"
             "  command str length\n"
             "  command histogram\n");
}

TEST(Parser, NewlinesInsideParentheses) {
  ExpectBody("let big = (\n  $e.ret\n    + 1\n    | into int\n)",
             "let big\n"
             "  pipeline\n"
             "    binary +\n"
             "      cell-path $e.ret\n"
             "      int 1\n"
             "    command into int\n");
  ExpectBody("if ($a and\n    $b) { count }",
             "pipeline\n"
             "  if\n"
             "    binary and\n"
             "      var $a\n"
             "      var $b\n"
             "    then\n"
             "      pipeline\n"
             "        command count\n");
}

TEST(Parser, BlockInsideParenthesesKeepsNewlines) {
  // The record ends its line inside the `(`; the block's newline still
  // separates statements.
  ExpectBody("emit ({a: 1\n}) ; if true {\ncount\ncount }",
             "pipeline\n"
             "  command emit\n"
             "    record\n"
             "      a:\n"
             "        int 1\n"
             "pipeline\n"
             "  if\n"
             "    bool true\n"
             "    then\n"
             "      pipeline\n"
             "        command count\n"
             "      pipeline\n"
             "        command count\n");
}

TEST(Parser, CommentsEverywhere) {
  ParseOutput out = ParseText(
      "# header\n"
      "probe a:b { # after brace\n"
      "  emit { # in record\n"
      "    a: 1 # after field\n"
      "  }\n"
      "} # after probe\n"
      "# trailer");
  EXPECT_TRUE(out.ok) << out.compact;
  EXPECT_EQ(out.dump,
            "probe a:b\n  pipeline\n    command emit\n      record\n"
            "        a:\n          int 1\n");
}

TEST(Parser, CarriageReturnLineEndings) {
  ParseOutput out = ParseText("probe a:b {|e|\r\n  count\r\n}\r\n");
  EXPECT_TRUE(out.ok) << out.compact;
  EXPECT_EQ(out.dump, "probe a:b |e|\n  pipeline\n    command count\n");
}

TEST(Parser, EmptyFile) {
  for (const char* text : {"", "\n\n", "# only a comment\n", " ; ;\n"}) {
    ParseOutput out = ParseText(text);
    EXPECT_TRUE(out.ok) << text;
    EXPECT_EQ(out.dump, "") << text;
  }
}

TEST(Parser, Spans) {
  std::string text =
      "probe tp:a:b {|e|\n"
      "  if $e.pid == 1 { emit {pid: $e.pid} }\n"
      "}\n";
  ParseOutput out = ParseText(text);
  ASSERT_TRUE(out.ok);
  ASSERT_EQ(out.ast.probes.size(), 1u);
  const ProbeDecl& probe = out.ast.probes[0];
  SourceFile file("probe.nu", text);
  EXPECT_EQ(file.Slice(probe.span), text.substr(0, text.size() - 1));
  EXPECT_EQ(file.Slice(probe.target_span), "tp:a:b");
  EXPECT_EQ(file.Slice(probe.parameter_span), "e");
  EXPECT_EQ(file.Slice(probe.body.span), text.substr(13, text.size() - 14));

  ASSERT_EQ(probe.body.statements.size(), 1u);
  const auto& statement =
      static_cast<const PipelineStmt&>(*probe.body.statements[0]);
  const auto& if_stmt = static_cast<const IfExpr&>(*statement.elements[0].expr);
  EXPECT_EQ(file.Slice(if_stmt.span), "if $e.pid == 1 { emit {pid: $e.pid} }");
  const auto& condition = static_cast<const BinaryExpr&>(*if_stmt.condition);
  EXPECT_EQ(file.Slice(condition.span), "$e.pid == 1");
  EXPECT_EQ(file.Slice(condition.op_span), "==");
  const auto& field = static_cast<const FieldExpr&>(*condition.lhs);
  EXPECT_EQ(file.Slice(field.field_span), "pid");
  EXPECT_EQ(file.Slice(field.base->span), "$e");
  EXPECT_EQ(file.Slice(if_stmt.then_block.span), "{ emit {pid: $e.pid} }");

  const auto& pipeline =
      static_cast<const PipelineStmt&>(*if_stmt.then_block.statements[0]);
  EXPECT_EQ(file.Slice(pipeline.span), "emit {pid: $e.pid}");
  const CommandCall& call = *pipeline.elements[0].command;
  EXPECT_EQ(file.Slice(call.span), "emit {pid: $e.pid}");
  EXPECT_EQ(file.Slice(call.name_span), "emit");
  EXPECT_EQ(file.Slice(call.arguments[0].span), "{pid: $e.pid}");
  const auto& record = static_cast<const RecordExpr&>(*call.arguments[0].value);
  EXPECT_EQ(file.Slice(record.fields[0].name_span), "pid");
}

TEST(Parser, SubcommandAndFlagSpans) {
  std::string text = "probe a:b { $x | str starts-with --ignore-case \"a\" }";
  ParseOutput out = ParseText(text);
  ASSERT_TRUE(out.ok);
  SourceFile file("probe.nu", text);
  const auto& pipeline =
      static_cast<const PipelineStmt&>(*out.ast.probes[0].body.statements[0]);
  const CommandCall& call = *pipeline.elements[1].command;
  EXPECT_EQ(file.Slice(call.name_span), "str starts-with");
  EXPECT_EQ(file.Slice(call.arguments[0].span), "--ignore-case \"a\"");
  EXPECT_EQ(file.Slice(pipeline.elements[1].span),
            "str starts-with --ignore-case \"a\"");
}

TEST(Parser, NotComparisonWarns) {
  ParseOutput out =
      ParseText("probe a:b {|e| if not $e.ok == true { count } }");
  EXPECT_TRUE(out.ok);
  EXPECT_EQ(out.warnings, 1);
  EXPECT_EQ(out.compact,
            "probe.nu:1:19: warning: `not` negates only `$e.ok`, not the "
            "comparison\n"
            "probe.nu:1:19: help: write `not ($e.ok == true)` to negate the "
            "comparison, or `(not $e.ok) == true` to keep this meaning\n");
  EXPECT_EQ(DumpBody("if not $e.ok == true { }"),
            "pipeline\n"
            "  if\n"
            "    binary ==\n"
            "      not\n"
            "        cell-path $e.ok\n"
            "      bool true\n"
            "    then\n");
}

TEST(Parser, ParenthesizedNotDoesNotWarn) {
  ParseOutput out = ParseText(
      "probe a:b {|e| if (not $a) == true { }; if not ($a == 1) { } }");
  EXPECT_TRUE(out.ok);
  EXPECT_EQ(out.compact, "");
}

}  // namespace
}  // namespace nubpf::frontend::testing

namespace nubpf::frontend::testing {
namespace {

// Returns the statements of the only probe in `text`, which must parse.
const std::vector<StmtPtr>& OnlyProbeBody(const ParseOutput& out) {
  EXPECT_TRUE(out.ok) << out.compact;
  EXPECT_EQ(out.ast.probes.size(), 1u);
  return out.ast.probes[0].body.statements;
}

// Returns the expression of statement `index`, a one-element pipeline.
const Expr& PipelineExprAt(const std::vector<StmtPtr>& body, size_t index) {
  const auto& pipeline = static_cast<const PipelineStmt&>(*body.at(index));
  return *pipeline.elements.at(0).expr;
}

TEST(ParserSpans, ControlFlow) {
  std::string text =
      "probe a:b {|e|\n"
      "  if $x { count } else if $y { count }\n"
      "  match $x { 1 | 2 => \"a\", $v if $v > 1 => { count } }\n"
      "  for i in 0..<3 { break }\n"
      "  mut n: int = 0\n"
      "  $n += 1\n"
      "}\n";
  ParseOutput out = ParseText(text);
  SourceFile file("probe.nu", text);
  const std::vector<StmtPtr>& body = OnlyProbeBody(out);
  ASSERT_EQ(body.size(), 5u);

  const auto& if_expr = static_cast<const IfExpr&>(PipelineExprAt(body, 0));
  EXPECT_EQ(file.Slice(if_expr.span), "if $x { count } else if $y { count }");
  ASSERT_NE(if_expr.else_block, nullptr);
  EXPECT_EQ(file.Slice(if_expr.else_block->span), "if $y { count }");
  const Expr& nested = PipelineExprAt(if_expr.else_block->statements, 0);
  EXPECT_EQ(nested.kind, ExprKind::kIf);

  const auto& match = static_cast<const MatchExpr&>(PipelineExprAt(body, 1));
  EXPECT_EQ(file.Slice(match.subject->span), "$x");
  ASSERT_EQ(match.arms.size(), 2u);
  EXPECT_EQ(file.Slice(match.arms[0].span), "1 | 2 => \"a\"");
  EXPECT_EQ(file.Slice(match.arms[0].pattern.span), "1 | 2");
  EXPECT_EQ(match.arms[0].pattern.kind, PatternKind::kAlternatives);
  EXPECT_EQ(file.Slice(match.arms[0].body.span), "\"a\"");
  EXPECT_EQ(match.arms[1].pattern.kind, PatternKind::kBinding);
  EXPECT_EQ(match.arms[1].pattern.name, "v");
  EXPECT_EQ(file.Slice(match.arms[1].guard->span), "$v > 1");
  EXPECT_EQ(file.Slice(match.arms[1].body.span), "{ count }");

  const auto& for_stmt = static_cast<const ForStmt&>(*body[2]);
  EXPECT_EQ(file.Slice(for_stmt.span), "for i in 0..<3 { break }");
  EXPECT_EQ(file.Slice(for_stmt.variable_span), "i");
  EXPECT_EQ(file.Slice(for_stmt.iterable->span), "0..<3");
  EXPECT_EQ(for_stmt.body.statements[0]->kind, StmtKind::kBreak);

  const auto& let = static_cast<const LetStmt&>(*body[3]);
  EXPECT_EQ(let.kind, LetKind::kMut);
  EXPECT_EQ(file.Slice(let.type_span), "int");
  EXPECT_EQ(let.type_name, "int");

  const auto& assign = static_cast<const AssignStmt&>(*body[4]);
  EXPECT_EQ(assign.op, AssignOp::kAdd);
  EXPECT_EQ(file.Slice(assign.span), "$n += 1");
  EXPECT_EQ(file.Slice(assign.name_span), "$n");
  EXPECT_EQ(file.Slice(assign.op_span), "+=");
}

TEST(ParserSpans, Values) {
  std::string text =
      "probe a:b {|e|\n"
      "  emit $\"x=($e.pid)!\" 1..2..9 [1, 2] 5ms $l.0.a? null\n"
      "}\n";
  ParseOutput out = ParseText(text);
  SourceFile file("probe.nu", text);
  const std::vector<StmtPtr>& body = OnlyProbeBody(out);
  const auto& pipeline = static_cast<const PipelineStmt&>(*body.at(0));
  const std::vector<Argument>& arguments =
      pipeline.elements[0].command->arguments;
  ASSERT_EQ(arguments.size(), 6u);

  const auto& interpolation =
      static_cast<const InterpolationExpr&>(*arguments[0].value);
  EXPECT_EQ(file.Slice(interpolation.span), "$\"x=($e.pid)!\"");
  ASSERT_EQ(interpolation.parts.size(), 3u);
  EXPECT_EQ(file.Slice(interpolation.parts[0].span), "x=");
  EXPECT_EQ(interpolation.parts[0].expr, nullptr);
  EXPECT_EQ(file.Slice(interpolation.parts[1].span), "($e.pid)");
  ASSERT_NE(interpolation.parts[1].expr, nullptr);
  EXPECT_EQ(file.Slice(interpolation.parts[1].expr->span), "$e.pid");
  EXPECT_EQ(interpolation.parts[2].text, "!");

  const auto& range = static_cast<const RangeExpr&>(*arguments[1].value);
  EXPECT_EQ(file.Slice(range.span), "1..2..9");
  EXPECT_TRUE(range.inclusive);
  EXPECT_EQ(file.Slice(range.next->span), "2");
  EXPECT_EQ(file.Slice(range.end->span), "9");

  const auto& list = static_cast<const ListExpr&>(*arguments[2].value);
  EXPECT_EQ(file.Slice(list.span), "[1, 2]");
  EXPECT_EQ(list.elements.size(), 2u);

  const auto& duration = static_cast<const IntExpr&>(*arguments[3].value);
  EXPECT_EQ(duration.value, 5000000u);
  EXPECT_EQ(duration.unit, "ms");

  const auto& optional = static_cast<const FieldExpr&>(*arguments[4].value);
  EXPECT_EQ(file.Slice(optional.span), "$l.0.a?");
  EXPECT_TRUE(optional.optional);
  EXPECT_EQ(file.Slice(optional.field_span), "a");
  const auto& index = static_cast<const FieldExpr&>(*optional.base);
  ASSERT_TRUE(index.index.has_value());
  EXPECT_EQ(*index.index, 0u);
  EXPECT_FALSE(index.optional);

  EXPECT_EQ(arguments[5].value->kind, ExprKind::kNull);
}

TEST(ParserSpans, TopLevel) {
  std::string text =
      "use nubpf *\n"
      "const N = 1\n"
      "def main [--min (-m): int = 1, n?: string] {\n"
      "  const M = 2\n"
      "  bpf_probe kernel:function(\"f\") {|e| send($e.pid) }\n"
      "}\n"
      "bpf_tracepoint a:b { count }\n";
  ParseOutput out = ParseText(text);
  ASSERT_TRUE(out.ok) << out.compact;
  SourceFile file("probe.nu", text);

  ASSERT_EQ(out.ast.uses.size(), 1u);
  EXPECT_EQ(file.Slice(out.ast.uses[0].span), "use nubpf *");
  EXPECT_TRUE(out.ast.uses[0].all_members);
  ASSERT_EQ(out.ast.constants.size(), 1u);
  EXPECT_EQ(out.ast.constants[0]->kind, LetKind::kConst);

  ASSERT_EQ(out.ast.defs.size(), 1u);
  const DefDecl& main = out.ast.defs[0];
  EXPECT_EQ(file.Slice(main.name_span), "main");
  ASSERT_EQ(main.params.size(), 2u);
  EXPECT_EQ(file.Slice(main.params[0].span), "--min (-m): int = 1");
  EXPECT_TRUE(main.params[0].is_flag);
  EXPECT_EQ(main.params[0].short_name, "m");
  EXPECT_EQ(main.params[0].type_name, "int");
  EXPECT_TRUE(main.params[1].optional);
  ASSERT_EQ(main.body.statements.size(), 1u);

  ASSERT_EQ(out.ast.probes.size(), 2u);
  const ProbeDecl& kernel = out.ast.probes[0];
  EXPECT_EQ(kernel.target, "kernel:function:f");
  EXPECT_EQ(file.Slice(kernel.target_span), "kernel:function(\"f\")");
  const auto& send =
      static_cast<const PipelineStmt&>(*kernel.body.statements.at(0));
  EXPECT_TRUE(send.elements[0].command->call_form);
  EXPECT_EQ(file.Slice(send.elements[0].command->span), "send($e.pid)");
  EXPECT_EQ(out.ast.probes[1].target, "tracepoint:a:b");
  EXPECT_EQ(file.Slice(out.ast.probes[1].target_span), "a:b");
}

}  // namespace
}  // namespace nubpf::frontend::testing
