// The parser on invalid input: each error's location, message, labels and
// help as rendered, and recovery that reports several errors in one run.
#include <gtest/gtest.h>

#include "parse_helpers.h"

namespace nubpf::frontend::testing {
namespace {

// Parses `text` and returns the compact rendering of its diagnostics,
// expecting the parse to fail.
std::string Errors(const std::string& text) {
  ParseOutput out = ParseText(text);
  EXPECT_FALSE(out.ok) << text;
  return out.compact;
}

// The same for the statements of one probe on the first line.
std::string BodyErrors(const std::string& body) {
  return Errors("probe a:b {|e| " + body + " }\n");
}

TEST(ParserErrors, MissingClosingBraceFramed) {
  ParseOutput out = ParseText("probe a:b {|e|\n    count\n");
  EXPECT_FALSE(out.ok);
  EXPECT_EQ(out.framed,
            "probe.nu:2:10: error: expected `}` to close the probe's closure, "
            "found the end of the file\n"
            "   |\n"
            " 2 |     count\n"
            "   |          ^\n"
            "probe.nu:1:11: note: the probe's closure starts here\n"
            "   |\n"
            " 1 | probe a:b {|e|\n"
            "   |           ^\n");
}

TEST(ParserErrors, MissingBraceBeforeNextProbe) {
  ParseOutput out = ParseText(
      "probe a:b {|e|\n"
      "  if $x { count\n"
      "}\n"
      "probe c:d { count }\n");
  EXPECT_EQ(out.compact,
            "probe.nu:4:1: error: expected `}` to close the probe's closure, "
            "found `probe`\n"
            "probe.nu:1:11: note: the probe's closure starts here\n");
  // Both probes are kept: the second one parses normally.
  ASSERT_EQ(out.ast.probes.size(), 2u);
  EXPECT_EQ(out.ast.probes[1].target, "c:d");
}

TEST(ParserErrors, AssignInConditionFramed) {
  ParseOutput out = ParseText("probe a:b {|e|\n  if $e.pid = 1 { count }\n}\n");
  EXPECT_EQ(out.framed,
            "probe.nu:2:13: error: `=` is not a comparison\n"
            "   |\n"
            " 2 |   if $e.pid = 1 { count }\n"
            "   |             ^\n"
            "  = help: write `==` to compare values: `$e.pid == 1`\n");
}

TEST(ParserErrors, OperatorWithoutSpacesFramed) {
  ParseOutput out = ParseText("probe a:b {|e| if $e.pid==1 { count } }");
  EXPECT_EQ(out.framed,
            "probe.nu:1:25: error: operator `==` needs a space on each side\n"
            "   |\n"
            " 1 | probe a:b {|e| if $e.pid==1 { count } }\n"
            "   |                         ^~\n"
            "  = help: write `$e.pid == 1`\n");
}

TEST(ParserErrors, OperatorSpacing) {
  EXPECT_EQ(BodyErrors("let x = $a +1"),
            "probe.nu:1:27: error: operator `+` needs a space on each side\n"
            "probe.nu:1:27: help: write `$a + 1`\n");
  EXPECT_EQ(BodyErrors("let x = $a+ 1"),
            "probe.nu:1:26: error: operator `+` needs a space on each side\n"
            "probe.nu:1:26: help: write `$a + 1`\n");
}

TEST(ParserErrors, UnclosedParenthesis) {
  EXPECT_EQ(BodyErrors("emit ($a + 1"),
            "probe.nu:1:29: error: expected `)`, found `}`\n"
            "probe.nu:1:21: note: to match this `(`\n");
  EXPECT_EQ(BodyErrors("emit (1; 2)"),
            "probe.nu:1:23: error: expected `)`, found `;`\n"
            "probe.nu:1:21: note: to match this `(`\n");
}

TEST(ParserErrors, UnclosedRecord) {
  EXPECT_EQ(Errors("probe a:b {|e|\n emit {a: 1\n"),
            "probe.nu:2:12: error: expected `}` to close the record, found the "
            "end of the file\n"
            "probe.nu:2:7: note: the record starts here\n"
            "probe.nu:2:12: error: expected `}` to close the probe's closure, "
            "found the end of the file\n"
            "probe.nu:1:11: note: the probe's closure starts here\n");
}

TEST(ParserErrors, ElseOnNextLine) {
  EXPECT_EQ(
      Errors(
          "probe a:b {|e|\n  if $x {\n    count\n  }\n  else { count }\n}\n"),
      "probe.nu:5:3: error: `else` must be on the same line as the `}` "
      "that ends the `if` block\n"
      "probe.nu:5:3: help: write `} else {`\n");
}

TEST(ParserErrors, BlockOnNextLine) {
  // One error: the block is still read, not taken for a record.
  EXPECT_EQ(Errors("probe a:b {|e|\n  if $x\n  { count }\n}\n"),
            "probe.nu:2:8: error: expected `{` to start the `if` block, found "
            "a newline\n"
            "probe.nu:2:8: help: put the `{` on the same line\n");
}

TEST(ParserErrors, MissingBlocks) {
  EXPECT_EQ(BodyErrors("if $x { count } else"),
            "probe.nu:1:37: error: expected `{` to start the `else` block, "
            "found `}`\n");
  EXPECT_EQ(BodyErrors("if $x count"),
            "probe.nu:1:22: error: expected `{` to start the `if` block, found "
            "`count`\n");
}

TEST(ParserErrors, TopLevel) {
  EXPECT_EQ(Errors("let x = 1\nprobe a:b { count }\n"),
            "probe.nu:1:1: error: not supported in a probe: `let` outside a "
            "probe, because only probe bodies run, in the kernel, when their "
            "event fires\n"
            "probe.nu:1:1: help: move it into a probe body, or use `const` for "
            "a value known when compiling\n");
  EXPECT_EQ(Errors("oops\n"),
            "probe.nu:1:1: error: expected a probe, such as `probe TARGET {|e| "
            "... }`, found `oops`\n");
  EXPECT_EQ(Errors("probe\n"),
            "probe.nu:1:6: error: expected a probe target after `probe`, such "
            "as `tracepoint:syscalls:sys_enter_openat`, found a newline\n");
  EXPECT_EQ(Errors("probe a:b count\n"),
            "probe.nu:1:11: error: expected `{` to start the probe's closure, "
            "as in `{|e| ... }`, found `count`\n");
  EXPECT_EQ(Errors("probe a:b {|e| count } count\n"),
            "probe.nu:1:24: error: expected a newline after the probe's "
            "closing `}`, found `count`\n");
  EXPECT_EQ(Errors("}\n"),
            "probe.nu:1:1: error: expected a probe, such as `probe TARGET {|e| "
            "... }`, found `}`\n");
}

TEST(ParserErrors, NotSupportedYet) {
  EXPECT_EQ(BodyErrors("match $x { [1] => 1 }"),
            "probe.nu:1:27: error: list patterns are not supported yet\n"
            "probe.nu:1:27: help: match on one value, such as a field: "
            "`match $e.pid { ... }`\n");
  EXPECT_EQ(BodyErrors("let x = ..5"),
            "probe.nu:1:24: error: a range without a start is not supported "
            "yet\n"
            "probe.nu:1:24: help: write the start, as in `0..5`\n");
  EXPECT_EQ(BodyErrors("def f [] { }"),
            "probe.nu:1:16: error: `def` inside a block is not supported yet\n"
            "probe.nu:1:16: help: move it to the top level of the file\n");
}

TEST(ParserErrors, NotSupportedInProbe) {
  EXPECT_EQ(BodyErrors("emit {|x| 1}"),
            "probe.nu:1:21: error: not supported in a probe: closures as "
            "values, because BPF programs cannot store code or call it later\n"
            "probe.nu:1:21: help: write the code in place, or define a command "
            "with `def`\n");
  EXPECT_EQ(BodyErrors("emit 1.5"),
            "probe.nu:1:21: error: not supported in a probe: floating-point "
            "numbers, because BPF programs have no floating point\n"
            "probe.nu:1:21: help: use an integer; for a fraction of a unit, "
            "use a smaller unit, such as `1500ms` for 1.5 seconds\n");
  EXPECT_EQ(Errors("def --env f [] { }\n"),
            "probe.nu:1:5: error: not supported in a probe: `def --env`, "
            "because a probe has no shell environment to change\n"
            "probe.nu:1:5: help: remove `--env`\n");
}

TEST(ParserErrors, OperatorsFromOtherLanguages) {
  EXPECT_EQ(BodyErrors("$a && $b"),
            "probe.nu:1:19: error: `&&` is not a Nushell operator\n"
            "probe.nu:1:19: help: write `and`\n");
  EXPECT_EQ(BodyErrors("if $a || $b { }"),
            "probe.nu:1:22: error: `||` is not a Nushell operator\n"
            "probe.nu:1:22: help: write `or`\n");
  EXPECT_EQ(BodyErrors("if !$a { }"),
            "probe.nu:1:19: error: `!` is not a Nushell operator\n"
            "probe.nu:1:19: help: write `not`\n");
}

TEST(ParserErrors, UnsupportedNushellOperators) {
  EXPECT_EQ(BodyErrors("let x = $a has 2"),
            "probe.nu:1:27: error: operator `has` is not supported yet\n"
            "probe.nu:1:27: help: test membership with `in`, as in `$value in "
            "$list`\n");
  EXPECT_EQ(BodyErrors("if $a not-has $b { }"),
            "probe.nu:1:22: error: operator `not-has` is not supported yet\n"
            "probe.nu:1:22: help: test membership with `in`, as in `$value in "
            "$list`\n");
}

TEST(ParserErrors, OperatorsNeedParenthesesInArguments) {
  EXPECT_EQ(BodyErrors("emit $a + 1"),
            "probe.nu:1:24: error: an operator in a command argument needs "
            "parentheses\n"
            "probe.nu:1:24: help: write `($a + 1)`\n");
  EXPECT_EQ(BodyErrors("emit {a: 1 + 2, b: 3}"),
            "probe.nu:1:27: error: an operator in a record value needs "
            "parentheses\n"
            "probe.nu:1:27: help: write `(1 + 2)`\n");
  EXPECT_EQ(BodyErrors("histogram --by $a * 2 | count"),
            "probe.nu:1:34: error: an operator in a command argument needs "
            "parentheses\n"
            "probe.nu:1:34: help: write `($a * 2)`\n");
}

TEST(ParserErrors, OperatorAfterCommand) {
  EXPECT_EQ(
      BodyErrors("let x = count + 1"),
      "probe.nu:1:30: error: expected an argument for `count`, found `+`\n"
      "probe.nu:1:30: help: to compute with the output of a command, "
      "wrap the command in parentheses, as in `(count) + ...`\n");
}

TEST(ParserErrors, NewlineAfterOperator) {
  EXPECT_EQ(Errors("probe a:b {|e|\n  let x = 1 +\n    2\n}\n"),
            "probe.nu:2:14: error: expected a value after `+`, found a "
            "newline\n"
            "probe.nu:2:14: help: to continue an expression on the next line, "
            "wrap it in parentheses\n");
}

TEST(ParserErrors, CommandCallParentheses) {
  EXPECT_EQ(
      BodyErrors("print()"),
      "probe.nu:1:21: error: unexpected `(` right after the command name "
      "`print`\n"
      "probe.nu:1:21: help: Nushell commands take their arguments after a "
      "space, without parentheses: write `print`\n");
  EXPECT_EQ(
      BodyErrors("print($e.pid)"),
      "probe.nu:1:21: error: unexpected `(` right after the command name "
      "`print`\n"
      "probe.nu:1:21: help: Nushell commands take their arguments after a "
      "space, without parentheses: write `print $e.pid`\n");
  EXPECT_EQ(
      BodyErrors("print($a, $b)"),
      "probe.nu:1:21: error: unexpected `(` right after the command name "
      "`print`\n"
      "probe.nu:1:21: help: Nushell commands take their arguments after a "
      "space, without parentheses\n");
  EXPECT_EQ(BodyErrors("send($a $b)"),
            "probe.nu:1:24: error: expected `,` or `)` after the argument of "
            "`send`, found `$b`\n"
            "probe.nu:1:20: note: the arguments start here\n");
}

TEST(ParserErrors, CellPaths) {
  EXPECT_EQ(BodyErrors("emit $e. pid"),
            "probe.nu:1:25: error: expected a field name right after `.`, "
            "found `pid`\n"
            "probe.nu:1:25: help: a cell path has no spaces, as in `$e.pid`\n");
  EXPECT_EQ(BodyErrors("emit $e.+"),
            "probe.nu:1:24: error: expected a field name right after `.`, "
            "found `+`\n");
  EXPECT_EQ(BodyErrors("emit $e.a ?"),
            "probe.nu:1:26: error: expected a value, found `?`\n");
}

TEST(ParserErrors, LexerErrorsAreNotRepeated) {
  EXPECT_EQ(
      BodyErrors("emit @"),
      "probe.nu:1:21: error: unexpected characters `@`\n"
      "probe.nu:1:21: help: names are ASCII letters, digits, `_` and `-`, "
      "so quote other text as a string\n");
  EXPECT_EQ(BodyErrors("emit \"a\\q\""),
            "probe.nu:1:23: error: unknown escape `\\q` in a string\n"
            "probe.nu:1:23: help: the escapes are `\\n`, `\\t`, `\\r`, `\\0`, "
            "`\\\"`, `\\'`, `\\(`, `\\xHH`, `\\u{...}` and Nushell's others, "
            "so a backslash is written `\\\\`\n");
}

TEST(ParserErrors, RecoveryReportsSeveralErrors) {
  ParseOutput out = ParseText(
      "probe a:b {|e|\n"
      "  let x = $a has 2\n"
      "  emit {a: (1 + }\n"
      "  count\n"
      "  if $x = 1 { count }\n"
      "}\n"
      "oops\n"
      "probe c:d {|e| $e | }\n"
      "probe e:f {|e| count }\n");
  EXPECT_EQ(out.compact,
            "probe.nu:2:14: error: operator `has` is not supported yet\n"
            "probe.nu:2:14: help: test membership with `in`, as in `$value in "
            "$list`\n"
            "probe.nu:3:17: error: expected a value, found `}`\n"
            "probe.nu:5:9: error: `=` is not a comparison\n"
            "probe.nu:5:9: help: write `==` to compare values: `$x == 1`\n"
            "probe.nu:7:1: error: expected a probe, such as `probe TARGET {|e| "
            "... }`, found `oops`\n"
            "probe.nu:8:21: error: expected a command after `|`, found `}`\n");
  EXPECT_EQ(out.errors, 5);

  // What could be read is kept: `count` in the first probe, all three probes.
  ASSERT_EQ(out.ast.probes.size(), 3u);
  EXPECT_EQ(out.ast.probes[0].body.statements.size(), 1u);
  EXPECT_EQ(out.ast.probes[2].target, "e:f");
  EXPECT_EQ(out.ast.probes[2].body.statements.size(), 1u);
}

TEST(ParserErrors, StrayClosingBrace) {
  ParseOutput out =
      ParseText("probe a:b {|e| emit $a\n} }\nprobe c:d { count }\n");
  EXPECT_EQ(out.compact,
            "probe.nu:2:3: error: expected a newline after the probe's closing "
            "`}`, found `}`\n");
  EXPECT_EQ(out.ast.probes.size(), 2u);
}

TEST(ParserErrors, ParseReportsOnlyItsOwnErrors) {
  // A sink that already contains an error from an earlier stage: a clean parse
  // still succeeds.
  SourceFile file("probe.nu", "probe a:b { count }\n");
  DiagnosticSink diagnostics;
  diagnostics.Error({0, 1}, "an earlier error");
  File ast;
  EXPECT_TRUE(Parse(file, diagnostics, &ast));
  EXPECT_EQ(ast.probes.size(), 1u);
}

}  // namespace
}  // namespace nubpf::frontend::testing
