// The parser on hostile input: random bytes, random token soup, truncations
// and deletions of a valid file, and very deep nesting. It must return on
// every input, report an error exactly when it returns false, and build only
// spans that lie inside the file. Inputs come from fixed seeds, so every run
// parses the same texts.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "parse_helpers.h"

namespace nubpf::frontend::testing {
namespace {

// A valid file that uses every construct the parser supports.
constexpr char kCorpus[] =
    "# Every construct once.\n"
    "probe tracepoint:syscalls:sys_enter_openat {|e|\n"
    "    emit {pid: $e.pid, \"the comm\": $e.comm, file: $e.filename}\n"
    "}\n"
    "probe tracepoint:raw_syscalls:sys_enter {|e| $e.comm | count }\n"
    "probe uprobe:/bin/bash:readline {\n"
    "    let n = ($e.comm | str length) * 2 + -1\n"
    "    if $n >= 0x10 and (not $e.ok or $e.ret != 0b1) {\n"
    "        $e.ret\n"
    "          | histogram --by $e.task.real_parent.tgid --linear\n"
    "    } else if $n < 1_000 { count; emit 'raw' \"esc\\n\\u{e9}\" } else {\n"
    "        stop-timer --key=$e.tid | into int\n"
    "    }\n"
    "}\n"
    "use nubpf *\n"
    "const LIMIT: int = 4kib\n"
    "def main [--comm (-c): string = \"\", n?: int] {\n"
    "  const STEP = 1.5ms\n"
    "  bpf_tracepoint sched:sched_switch {|e|\n"
    "    mut total = 0; $total += $e.prev_pid\n"
    "    let kind = match $e.prev_state { 0 => \"run\", 1 | 2 => {\n"
    "      \"sleep\" }  # comment\n"
    "      3..9 => other, $s if $s > 100 => null, _ => \"x\" }\n"
    "    for i in 0..<10 { if $i mod 2 == 0 { continue } }\n"
    "    while $total > 0 { $total -= 1; break }\n"
    "    loop { return }\n"
    "    send($\"t=($e.ts) \\(x\\)\", [1 2, 3], $r.a?.0, r#'raw'#)\n"
    "    let b = 1 bit-shl 2 bit-or 3 ** 2 ** 2 xor true\n"
    "  }\n"
    "}\n"
    "bpf_probe kernel:function(\"do_sys_open\") {|e| count() }\n";

class SpanChecker {
 public:
  explicit SpanChecker(uint32_t size) : size_(size) {}

  void Check(Span span) {
    EXPECT_LE(span.begin, span.end);
    EXPECT_LE(span.end, size_);
  }

  void CheckFile(const File& file) {
    for (const UseDecl& use : file.uses) {
      Check(use.span);
      Check(use.module_span);
    }
    for (const auto& constant : file.constants) CheckStmt(*constant);
    for (const DefDecl& def : file.defs) {
      Check(def.span);
      Check(def.name_span);
      for (const Param& param : def.params) {
        Check(param.span);
        if (param.default_value) CheckExpr(*param.default_value);
      }
      CheckBlock(def.body);
    }
    for (const ProbeDecl& probe : file.probes) {
      Check(probe.span);
      Check(probe.target_span);
      CheckBlock(probe.body);
    }
  }

 private:
  void CheckBlock(const Block& block) {
    Check(block.span);
    for (const StmtPtr& stmt : block.statements) CheckStmt(*stmt);
  }

  void CheckStmt(const Stmt& stmt) {
    Check(stmt.span);
    switch (stmt.kind) {
      case StmtKind::kLet: {
        const auto& let = static_cast<const LetStmt&>(stmt);
        Check(let.name_span);
        Check(let.type_span);
        CheckExpr(*let.value);
        return;
      }
      case StmtKind::kAssign: {
        const auto& assign = static_cast<const AssignStmt&>(stmt);
        Check(assign.name_span);
        Check(assign.op_span);
        CheckExpr(*assign.value);
        return;
      }
      case StmtKind::kFor: {
        const auto& for_stmt = static_cast<const ForStmt&>(stmt);
        Check(for_stmt.variable_span);
        CheckExpr(*for_stmt.iterable);
        CheckBlock(for_stmt.body);
        return;
      }
      case StmtKind::kWhile: {
        const auto& while_stmt = static_cast<const WhileStmt&>(stmt);
        CheckExpr(*while_stmt.condition);
        CheckBlock(while_stmt.body);
        return;
      }
      case StmtKind::kLoop:
        CheckBlock(static_cast<const LoopStmt&>(stmt).body);
        return;
      case StmtKind::kBreak:
      case StmtKind::kContinue:
        return;
      case StmtKind::kReturn: {
        const auto& return_stmt = static_cast<const ReturnStmt&>(stmt);
        if (return_stmt.value) CheckExpr(*return_stmt.value);
        return;
      }
      case StmtKind::kPipeline:
        CheckElements(static_cast<const PipelineStmt&>(stmt).elements);
        return;
    }
  }

  void CheckElements(const std::vector<PipelineElement>& elements) {
    for (const PipelineElement& element : elements) {
      Check(element.span);
      EXPECT_NE(element.expr == nullptr, element.command == nullptr);
      if (element.expr) CheckExpr(*element.expr);
      if (!element.command) continue;
      Check(element.command->span);
      for (const Argument& argument : element.command->arguments) {
        Check(argument.span);
        if (argument.value) CheckExpr(*argument.value);
      }
    }
  }

  void CheckPattern(const Pattern& pattern) {
    Check(pattern.span);
    if (pattern.value) CheckExpr(*pattern.value);
    for (const Pattern& alternative : pattern.alternatives) {
      CheckPattern(alternative);
    }
  }

  void CheckExpr(const Expr& expr) {
    Check(expr.span);
    switch (expr.kind) {
      case ExprKind::kInt:
      case ExprKind::kString:
      case ExprKind::kBool:
      case ExprKind::kNull:
      case ExprKind::kVariable:
        return;
      case ExprKind::kField:
        CheckExpr(*static_cast<const FieldExpr&>(expr).base);
        return;
      case ExprKind::kUnary:
        CheckExpr(*static_cast<const UnaryExpr&>(expr).operand);
        return;
      case ExprKind::kBinary: {
        const auto& binary = static_cast<const BinaryExpr&>(expr);
        Check(binary.op_span);
        CheckExpr(*binary.lhs);
        CheckExpr(*binary.rhs);
        return;
      }
      case ExprKind::kRecord:
        for (const RecordField& field :
             static_cast<const RecordExpr&>(expr).fields) {
          Check(field.name_span);
          CheckExpr(*field.value);
        }
        return;
      case ExprKind::kList:
        for (const ExprPtr& element :
             static_cast<const ListExpr&>(expr).elements) {
          CheckExpr(*element);
        }
        return;
      case ExprKind::kRange: {
        const auto& range = static_cast<const RangeExpr&>(expr);
        ASSERT_NE(range.start, nullptr);
        CheckExpr(*range.start);
        if (range.next) CheckExpr(*range.next);
        if (range.end) CheckExpr(*range.end);
        return;
      }
      case ExprKind::kInterpolation:
        for (const InterpolationPart& part :
             static_cast<const InterpolationExpr&>(expr).parts) {
          Check(part.span);
          if (part.expr) CheckExpr(*part.expr);
        }
        return;
      case ExprKind::kIf: {
        const auto& if_expr = static_cast<const IfExpr&>(expr);
        CheckExpr(*if_expr.condition);
        CheckBlock(if_expr.then_block);
        if (if_expr.else_block) CheckBlock(*if_expr.else_block);
        return;
      }
      case ExprKind::kMatch: {
        const auto& match = static_cast<const MatchExpr&>(expr);
        CheckExpr(*match.subject);
        for (const MatchArm& arm : match.arms) {
          Check(arm.span);
          CheckPattern(arm.pattern);
          if (arm.guard) CheckExpr(*arm.guard);
          CheckBlock(arm.body);
        }
        return;
      }
      case ExprKind::kPipeline:
        CheckElements(static_cast<const PipelineExpr&>(expr).elements);
        return;
    }
  }

  uint32_t size_;
};

// Parses `text` and checks the invariants that hold for any input.
void ParseAnything(const std::string& text) {
  ParseOutput out = ParseText(text);
  EXPECT_EQ(out.ok, out.errors == 0) << ::testing::PrintToString(text);
  SpanChecker(static_cast<uint32_t>(text.size())).CheckFile(out.ast);
}

TEST(ParserFuzz, CorpusIsValid) {
  ParseOutput out = ParseText(kCorpus);
  EXPECT_TRUE(out.ok) << out.compact;
  EXPECT_EQ(out.compact, "");
  EXPECT_EQ(out.ast.probes.size(), 5u);
  EXPECT_EQ(out.ast.defs.size(), 1u);
}

TEST(ParserFuzz, RandomBytes) {
  std::mt19937 random(/*seed=*/20240601);
  std::uniform_int_distribution<int> length(0, 200);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int i = 0; i < 2000; ++i) {
    std::string text(length(random), '\0');
    for (char& c : text) c = static_cast<char>(byte(random));
    ParseAnything(text);
  }
}

TEST(ParserFuzz, RandomTokens) {
  const char* fragments[] = {
      "probe a:b ",
      "probe ",
      "{",
      "}",
      "{|e|",
      "{||",
      "(",
      ")",
      "[",
      "]",
      "|",
      "||",
      "$e",
      ".",
      "pid",
      "\"s\"",
      "'r'",
      "1",
      "0x",
      "-",
      "--by",
      "-l",
      "=",
      "==",
      "!=",
      "<",
      ">=",
      "+",
      "*",
      "/",
      "and",
      "or",
      "not",
      "if",
      "else",
      "let",
      "x",
      "count",
      "emit",
      "str",
      "length",
      ",",
      ":",
      ";",
      "\n",
      "\n",
      " ",
      " ",
      " ",
      "# c\n",
      "$\"i\"",
      "@",
      "\"\\q",
      "def",
      "for",
      "true",
      "false",
      "1.5",
      "\r\n",
      "\t",
      "match",
      "=>",
      "_",
      "..",
      "..<",
      "[",
      "]",
      "mut",
      "+=",
      "for",
      "in",
      "while",
      "loop",
      "break",
      "$\"",
      "\"",
      "$'(",
      "def main [",
      "--x: int = 1",
      "null",
      "?",
      "r#'",
      "'#",
      "5ms",
      "bpf_probe ",
      "kernel:function(\"f\")",
      "use nubpf *",
      "const ",
  };
  constexpr int kFragmentCount = sizeof(fragments) / sizeof(fragments[0]);
  std::mt19937 random(/*seed=*/7);
  std::uniform_int_distribution<int> count(0, 60);
  std::uniform_int_distribution<int> pick(0, kFragmentCount - 1);
  for (int i = 0; i < 3000; ++i) {
    std::string text;
    for (int n = count(random); n > 0; --n) text += fragments[pick(random)];
    ParseAnything(text);
  }
}

TEST(ParserFuzz, Truncations) {
  std::string corpus = kCorpus;
  for (size_t length = 0; length <= corpus.size(); ++length) {
    ParseAnything(corpus.substr(0, length));
  }
}

TEST(ParserFuzz, DeletedBytes) {
  std::string corpus = kCorpus;
  for (size_t at = 0; at < corpus.size(); ++at) {
    ParseAnything(corpus.substr(0, at) + corpus.substr(at + 1));
  }
}

TEST(ParserFuzz, DeepNesting) {
  constexpr int kDepth = 100000;
  auto repeat = [](const std::string& piece, int times) {
    std::string out;
    for (int i = 0; i < times; ++i) out += piece;
    return out;
  };
  struct Case {
    std::string body;
    bool valid;
  };
  const Case cases[] = {
      {"let x = " + repeat("(", kDepth) + "1" + repeat(")", kDepth), false},
      {"let x = " + repeat("(", kDepth), false},
      {"emit " + repeat("{a: ", kDepth) + "1" + repeat("}", kDepth), false},
      {"let x = " + repeat("not ", kDepth) + "true", false},
      {"let x = " + repeat("-", kDepth) + "1", false},
      {repeat("if true { ", kDepth) + repeat("} ", kDepth), false},
      {"if true { count } " + repeat("else if true { count } ", kDepth), false},
      {"let x = $e" + repeat(".a", kDepth), false},
      {"let x = 1" + repeat(" + 1", kDepth), false},
      {"let x = 1" + repeat(" * 1 + 1", kDepth), false},
      {"let x = 1" + repeat(" ** 1", kDepth), false},
      {"let x = " + repeat("[", kDepth) + repeat("]", kDepth), false},
      {"let x = " + repeat("$\"(", kDepth) + "1" + repeat(")\"", kDepth),
       false},
      {repeat("match 1 { _ => { ", kDepth) + repeat("} } ", kDepth), false},
      {repeat("for x in 1..2 { ", kDepth) + repeat("} ", kDepth), false},
      {"let x = " + repeat("if true { 1 } else ", kDepth) + "{ 2 }", false},
      {repeat("count | ", kDepth) + "count", true},
      {repeat("count; ", kDepth), true},
  };
  for (const Case& c : cases) {
    std::string text = "probe a:b {|e| " + c.body + " }\n";
    ParseOutput out = ParseText(text);
    EXPECT_EQ(out.ok, c.valid) << c.body.substr(0, 40);
    EXPECT_EQ(out.ok, out.errors == 0);
    SpanChecker(static_cast<uint32_t>(text.size())).CheckFile(out.ast);
  }
}

TEST(ParserFuzz, NestingLimitMessage) {
  std::string body = "let x = ";
  for (int i = 0; i < 200; ++i) body += "(";
  ParseOutput out = ParseText("probe a:b { " + body + "1 }\n");
  EXPECT_FALSE(out.ok);
  EXPECT_EQ(out.compact.substr(0, out.compact.find('\n')),
            "probe.nu:1:149: error: nesting is deeper than 128 levels");
}

TEST(ParserFuzz, LongOperatorChainMessage) {
  std::string body = "let x = 1";
  for (int i = 0; i < 200; ++i) body += " + 1";
  ParseOutput out = ParseText("probe a:b { " + body + " }\n");
  EXPECT_FALSE(out.ok);
  EXPECT_EQ(out.compact,
            "probe.nu:1:535: error: expression has more than 128 operators\n"
            "probe.nu:1:535: help: split the expression with `let`\n");
}

}  // namespace
}  // namespace nubpf::frontend::testing
