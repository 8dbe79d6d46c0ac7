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
    "}\n";

class SpanChecker {
 public:
  explicit SpanChecker(uint32_t size) : size_(size) {}

  void Check(Span span) {
    EXPECT_LE(span.begin, span.end);
    EXPECT_LE(span.end, size_);
  }

  void CheckFile(const File& file) {
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
      case StmtKind::kLet:
        CheckExpr(*static_cast<const LetStmt&>(stmt).value);
        return;
      case StmtKind::kIf: {
        const auto& if_stmt = static_cast<const IfStmt&>(stmt);
        CheckExpr(*if_stmt.condition);
        CheckBlock(if_stmt.then_block);
        if (if_stmt.else_block) CheckBlock(*if_stmt.else_block);
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

  void CheckExpr(const Expr& expr) {
    Check(expr.span);
    switch (expr.kind) {
      case ExprKind::kInt:
      case ExprKind::kString:
      case ExprKind::kBool:
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
  EXPECT_EQ(out.ast.probes.size(), 3u);
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
      "probe a:b ", "probe ", "{",     "}",     "{|e|", "{||",    "(",
      ")",          "[",      "]",     "|",     "||",   "$e",     ".",
      "pid",        "\"s\"",  "'r'",   "1",     "0x",   "-",      "--by",
      "-l",         "=",      "==",    "!=",    "<",    ">=",     "+",
      "*",          "/",      "and",   "or",    "not",  "if",     "else",
      "let",        "x",      "count", "emit",  "str",  "length", ",",
      ":",          ";",      "\n",    "\n",    " ",    " ",      " ",
      "# c\n",      "$\"i\"", "@",     "\"\\q", "def",  "for",    "true",
      "false",      "1.5",    "\r\n",  "\t",
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
