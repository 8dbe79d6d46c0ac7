// The parser's state and rules, shared by the files that implement them:
//
//   parser.cpp            token cursor, error recovery, the file
//   parse_top_level.cpp   probes, `def`, `use` and top-level `const`
//   parse_statement.cpp   blocks, `let`, assignments and loops
//   parse_control.cpp     `if` and `match`
//   parse_command.cpp     pipelines and commands
//   parse_expression.cpp  binary operators
//   parse_value.cpp       literals, cell paths, ranges, lists, records
//
// Only those files include this header.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "frontend/ast.h"
#include "frontend/diagnostics.h"
#include "frontend/lexer.h"
#include "frontend/not_in_probe.h"
#include "frontend/source.h"

namespace nubpf::frontend {

// The deepest nesting of blocks, parentheses, records, lists and prefixes,
// and the most operators in one expression or members in one cell path.
// Deep enough for any real probe, and small enough that the recursive rules
// here and in later stages stay far from the end of the stack.
constexpr int kMaxNesting = 128;

class Parser {
 public:
  Parser(const SourceFile& file, DiagnosticSink& diagnostics);

  void ParseFile(File* out);

  // An opening delimiter that has not been closed yet. Error recovery uses
  // them to skip to the end of a broken statement without stopping at a
  // `}` or newline that belongs to an unclosed record or subexpression.
  enum class Open { kParen, kBracket, kRecordBrace, kBlockBrace };

 private:
  // Pushes an open delimiter for the lifetime of a rule.
  class OpenScope {
   public:
    OpenScope(Parser& parser, Open open) : parser_(parser) {
      parser_.open_.push_back(open);
    }
    ~OpenScope() { parser_.open_.pop_back(); }

   private:
    Parser& parser_;
  };

  // Sets whether newlines are whitespace, as they are inside parentheses,
  // records, lists and match arms, or separate statements, as they do in
  // blocks.
  class NewlineScope {
   public:
    NewlineScope(Parser& parser, bool skip)
        : parser_(parser), saved_(parser.skip_newlines_) {
      parser_.skip_newlines_ = skip;
    }
    ~NewlineScope() { parser_.skip_newlines_ = saved_; }

   private:
    Parser& parser_;
    bool saved_;
  };

  // Counts nesting for the lifetime of a rule. Past the limit `ok()` is
  // false, and the error has been reported.
  class NestingScope {
   public:
    explicit NestingScope(Parser& parser);
    ~NestingScope() { --parser_.nesting_; }
    bool ok() const { return ok_; }

   private:
    Parser& parser_;
    bool ok_;
  };

  // Token cursor (parser.cpp).
  size_t IndexAhead(size_t ahead) const;
  const Token& Peek(size_t ahead = 0) const {
    return tokens_[IndexAhead(ahead)];
  }
  bool At(TokenKind kind) const { return Peek().kind == kind; }
  bool AtWord(std::string_view text) const {
    return At(TokenKind::kWord) && Peek().text == text;
  }
  const Token& Advance();
  bool IsProbeKeyword(const Token& token) const;
  bool IsProbeStart(size_t index) const;
  bool AtStatementEnd() const;
  std::string Describe(const Token& token) const;
  std::string SourceText(Span span) const;
  Diagnostic& Error(Span span, std::string message, std::string help = "");
  Diagnostic& ErrorExpected(std::string_view expected, const Token& found,
                            std::string help = "");
  Diagnostic& ErrorNotInProbe(Span span, NotInProbe construct,
                              std::string_view name = "");
  void AddOpenedHereLabel(Diagnostic& diagnostic, const Token& open,
                          std::string_view what);

  // Recovery (parser.cpp).
  void SkipStatement(size_t open_depth);
  void SkipItem();

  // Top level (parse_top_level.cpp).
  void ParseItem(File* out);
  void ParseProbe(File* out, bool in_main);
  bool NormalizeTarget(const Token& keyword, const Token& target,
                       std::string* normalized);
  bool ParseClosure(ProbeDecl* probe);
  void ParseDef(File* out);
  bool ParseParams(DefDecl* def);
  bool ParseParam(DefDecl* def);
  bool ParseMainBody(DefDecl* def, File* out);
  void ParseUse(File* out);
  bool ParseUseMembers(UseDecl* use);
  void ParseTopLevelConst(File* out);
  void ParseTopLevelMut(File* out);
  void ExpectItemEnd(std::string_view what, bool in_main);

  // Blocks and statements (parse_statement.cpp).
  bool ParseBlock(Block* block, std::string_view owner);
  bool ParseStatements(Block* block, const Token& open, std::string_view owner);
  StmtPtr ParseStatement();
  std::unique_ptr<LetStmt> ParseLet(LetKind kind);
  bool ParseTypeName(std::string* name, Span* span);
  bool AtAssignment() const;
  StmtPtr ParseAssign();
  StmtPtr ParseFor();
  StmtPtr ParseWhile();
  StmtPtr ParseLoop();
  StmtPtr ParseReturn();
  StmtPtr ParsePipelineStatement();

  // `if` and `match` (parse_control.cpp).
  ExprPtr ParseIf();
  ExprPtr ParseCondition();
  ExprPtr ParseMatch();
  bool ParseMatchArm(MatchExpr* match);
  bool ParsePattern(Pattern* pattern);
  bool ParseArmBody(MatchArm* arm);
  bool AtRecordStart() const;

  // Pipelines and commands (parse_command.cpp).
  bool ParsePipelineElements(std::vector<PipelineElement>* elements);
  bool ParseFirstElement(PipelineElement* element);
  bool AtPipe();
  std::unique_ptr<CommandCall> ParseCommand();
  bool ParseCallForm(CommandCall* call);
  void ReportCallParentheses(const CommandCall& call);
  void ReportExternalCommand();
  bool ParseArgument(CommandCall* call);
  bool AtValueStart() const;

  // Binary operators (parse_expression.cpp).
  ExprPtr ParseExpression();
  ExprPtr ParseBinary(int min_precedence);
  bool ReportUnsupportedOperator(const Token& token);
  void CheckOperatorSpacing(const Token& op, const Expr& lhs);
  bool ReportOperatorAfterValue(const Expr& value, std::string_view where,
                                bool block_follows = false);
  uint32_t EndOfValueList(bool block_follows) const;

  // Values (parse_value.cpp).
  ExprPtr ParseWordOrValue();
  ExprPtr ParseValue();
  ExprPtr ParseRange(ExprPtr start);
  bool AtRangeBound() const;
  ExprPtr ParseUnaryValue();
  ExprPtr ParsePostfix();
  ExprPtr ParsePrimary();
  ExprPtr ParseSubexpression();
  ExprPtr ParseRecord();
  ExprPtr ParseList();
  ExprPtr ParseInterpolation();

  const SourceFile& file_;
  DiagnosticSink& diagnostics_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  uint32_t previous_end_ = 0;
  bool skip_newlines_ = false;
  std::vector<Open> open_;
  // A copy of `open_` taken when the last error was reported.
  std::vector<Open> open_at_error_;
  // Returned by ErrorExpected in place of an error that is not reported.
  Diagnostic discarded_;
  int nesting_ = 0;
  bool reported_nesting_ = false;
};

template <size_t N>
bool ContainsWord(const std::string_view (&words)[N], std::string_view word) {
  for (std::string_view candidate : words) {
    if (candidate == word) return true;
  }
  return false;
}

// Returns the value of a `let` or parenthesized pipeline: the expression
// itself when the pipeline is one expression, else a PipelineExpr.
ExprPtr PipelineValue(std::vector<PipelineElement> elements, Span span);

// Returns the binary operator that `token` is in operator position: a
// symbol such as `+`, or a word such as `mod` or `bit-and` after a space.
std::optional<BinaryOp> BinaryOperatorAt(const Token& token);

// True for symbols that are binary operators, such as `+` and `==`.
bool IsSymbolOperator(TokenKind kind);

// True for `..`, `..<` and `..=`.
bool IsRangeOperator(TokenKind kind);

// Returns the precedence of a binary operator as Nushell ranks it; a higher
// number binds tighter.
int BinaryPrecedence(BinaryOp op);

}  // namespace nubpf::frontend
