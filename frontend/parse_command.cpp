// Pipelines and the commands in them, with their arguments.
#include <string_view>

#include "frontend/parser_internal.h"

namespace nubpf::frontend {
namespace {

// Nushell command families whose first word is a namespace, so that
// `str starts-with "/tmp"` is the command `str starts-with` with one argument.
constexpr std::string_view kCommandNamespaces[] = {
    "str",  "math",   "into",  "bits", "bytes",  "date",
    "path", "random", "split", "hash", "format", "store",
};

// Commands of the original proposal that may be written `name(args)`.
constexpr std::string_view kCallFormCommands[] = {"send", "count", "emit"};

// Keywords that start a statement and cannot be a pipeline's value.
constexpr std::string_view kStatementKeywords[] = {
    "mut",   "const",    "for",    "while", "loop",
    "break", "continue", "return", "def",   "use",
};

}  // namespace

ExprPtr PipelineValue(std::vector<PipelineElement> elements, Span span) {
  if (elements.size() == 1 && elements[0].expr) {
    return std::move(elements[0].expr);
  }
  auto pipeline = std::make_unique<PipelineExpr>(span);
  pipeline->elements = std::move(elements);
  return pipeline;
}

// pipeline = element { pipe command }
// pipe = "|" { NEWLINE } | NEWLINE { NEWLINE } "|" { NEWLINE }
//
// A `|` may end a line or start the next one, as in Nushell scripts.
bool Parser::ParsePipelineElements(std::vector<PipelineElement>* elements) {
  PipelineElement first;
  first.span.begin = Peek().span.begin;
  if (!ParseFirstElement(&first)) return false;
  first.span.end = previous_end_;
  elements->push_back(std::move(first));

  while (AtPipe()) {
    while (At(TokenKind::kNewline)) Advance();
    Advance();
    while (At(TokenKind::kNewline)) Advance();
    if (At(TokenKind::kCaret)) {
      ReportExternalCommand();
      return false;
    }
    if (!At(TokenKind::kWord)) {
      std::string help;
      if (AtValueStart()) {
        help = "only the first element of a pipeline can be a value";
      }
      ErrorExpected("a command after `|`", Peek(), help);
      return false;
    }

    PipelineElement element;
    element.span.begin = Peek().span.begin;
    element.command = ParseCommand();
    if (!element.command) return false;
    element.span.end = previous_end_;
    elements->push_back(std::move(element));
  }
  return true;
}

// element = if | match | command | expression
bool Parser::ParseFirstElement(PipelineElement* element) {
  const Token& token = Peek();
  if (token.kind == TokenKind::kIf) {
    element->expr = ParseIf();
    return element->expr != nullptr;
  }
  if (AtWord("match")) {
    element->expr = ParseMatch();
    return element->expr != nullptr;
  }
  if (token.kind == TokenKind::kCaret) {
    ReportExternalCommand();
    return false;
  }
  if (token.kind == TokenKind::kWord &&
      ContainsWord(kStatementKeywords, token.text)) {
    Error(token.span, "`" + token.text +
                          "` starts a statement, so it cannot "
                          "be used as a value or in a pipeline");
    return false;
  }
  if (token.kind == TokenKind::kWord) {
    element->command = ParseCommand();
    return element->command != nullptr;
  }
  element->expr = ParseExpression();
  return element->expr != nullptr;
}

// True at a `|`, or at newlines that a line starting with `|` follows.
bool Parser::AtPipe() {
  size_t index = IndexAhead(0);
  while (tokens_[index].kind == TokenKind::kNewline) ++index;
  return tokens_[index].kind == TokenKind::kPipe;
}

// command = NAME [ SUBCOMMAND ] ( call-arguments | { argument } )
//
// Arguments end at a newline, `;`, `|`, `}` or `)`.
std::unique_ptr<CommandCall> Parser::ParseCommand() {
  const Token& name = Advance();
  NotInProbe construct;
  if (CommandNotInProbe(name.text, &construct)) {
    ErrorNotInProbe(name.span, construct, name.text);
    return nullptr;
  }

  auto call = std::make_unique<CommandCall>();
  call->name = name.text;
  call->name_span = name.span;
  if (ContainsWord(kCommandNamespaces, name.text) && At(TokenKind::kWord) &&
      Peek().space_before) {
    const Token& subcommand = Advance();
    call->name += " " + subcommand.text;
    call->name_span.end = subcommand.span.end;
  }

  if (At(TokenKind::kLeftParen) && !Peek().space_before) {
    if (ContainsWord(kCallFormCommands, call->name)) {
      if (!ParseCallForm(call.get())) return nullptr;
      return call;
    }
    ReportCallParentheses(*call);
    return nullptr;
  }

  while (true) {
    TokenKind kind = Peek().kind;
    if (kind == TokenKind::kNewline || kind == TokenKind::kSemicolon ||
        kind == TokenKind::kPipe || kind == TokenKind::kRightBrace ||
        kind == TokenKind::kRightParen || kind == TokenKind::kEndOfFile) {
      break;
    }
    if (!ParseArgument(call.get())) return nullptr;
  }
  call->span = {name.span.begin, previous_end_};
  return call;
}

// call-arguments = "(" [ expression { "," expression } [ "," ] ] ")"
//
// The original proposal's `send($x)` and `count()`. Each argument is a
// whole expression, so `send($a + 1)` needs no inner parentheses.
bool Parser::ParseCallForm(CommandCall* call) {
  OpenScope open(*this, Open::kParen);
  NewlineScope newlines(*this, /*skip=*/true);
  const Token& paren = Advance();
  call->call_form = true;

  while (!At(TokenKind::kRightParen)) {
    Argument argument;
    argument.span.begin = Peek().span.begin;
    argument.value = ParseExpression();
    if (!argument.value) return false;
    argument.span.end = previous_end_;
    call->arguments.push_back(std::move(argument));

    if (At(TokenKind::kComma)) {
      Advance();
      continue;
    }
    if (!At(TokenKind::kRightParen)) {
      Diagnostic& error = ErrorExpected(
          "`,` or `)` after the argument of `" + call->name + "`", Peek());
      AddOpenedHereLabel(error, paren, "the arguments start here");
      return false;
    }
  }
  Advance();
  call->span = {call->name_span.begin, previous_end_};
  return true;
}

// Reports `print($x)` at the `(` after a command name, with the Nushell
// spelling in the help when the arguments are simple.
void Parser::ReportCallParentheses(const CommandCall& call) {
  size_t open = IndexAhead(0);
  size_t close = open + 1;
  int depth = 0;
  bool has_comma = false;
  for (; tokens_[close].kind != TokenKind::kEndOfFile &&
         tokens_[close].kind != TokenKind::kNewline;
       ++close) {
    TokenKind kind = tokens_[close].kind;
    if (kind == TokenKind::kRightParen && depth == 0) break;
    if (kind == TokenKind::kLeftParen) ++depth;
    if (kind == TokenKind::kRightParen) --depth;
    if (kind == TokenKind::kComma && depth == 0) has_comma = true;
  }

  std::string help =
      "Nushell commands take their arguments after a space, without "
      "parentheses";
  if (tokens_[close].kind == TokenKind::kRightParen && !has_comma) {
    std::string arguments =
        close == open + 1 ? ""
                          : " " + SourceText({tokens_[open + 1].span.begin,
                                              tokens_[close - 1].span.end});
    help += ": write `" + call.name + arguments + "`";
  }
  Error(tokens_[open].span,
        "unexpected `(` right after the command name `" + call.name + "`",
        help);
}

// Reports `^name` at the cursor, which Nushell runs as an external program.
void Parser::ReportExternalCommand() {
  const Token& caret = Advance();
  const Token& name = Peek();
  bool named = !name.space_before && (name.kind == TokenKind::kWord ||
                                      name.kind == TokenKind::kString);
  Span span = caret.span;
  if (named) span.end = name.span.end;
  ErrorNotInProbe(span, NotInProbe::kExternalCommand,
                  named ? name.text : std::string("..."));
}

// argument = FLAG [ "=" word-or-value | word-or-value ] | word-or-value
// word-or-value = WORD | value
//
// A bare word argument is a string, as in Nushell.
bool Parser::ParseArgument(CommandCall* call) {
  const Token& token = Peek();
  Argument argument;
  argument.span = token.span;

  if (token.kind == TokenKind::kSpread) {
    Error(token.span, "spreading arguments with `...` is not supported yet",
          "pass each argument on its own");
    return false;
  }

  // Short flags are kept as written, because each command's flag table,
  // in the checker, defines what `-o` means.
  if (token.kind == TokenKind::kFlag || token.kind == TokenKind::kShortFlag) {
    Advance();
    argument.flag = token.text;
    argument.is_short = token.kind == TokenKind::kShortFlag;
    bool has_value = false;
    if (At(TokenKind::kAssign) && !Peek().space_before) {
      Advance();
      if (!AtValueStart() || Peek().space_before) {
        ErrorExpected("a value after `" + argument.FlagSpelling() + "=`", Peek());
        return false;
      }
      has_value = true;
    } else {
      has_value = AtValueStart();
    }
    if (has_value) {
      argument.value = ParseWordOrValue();
      if (!argument.value) return false;
    }
  } else {
    if (ReportUnsupportedOperator(token)) return false;
    if (IsSymbolOperator(token.kind) &&
        !(token.kind == TokenKind::kMinus && !Peek(1).space_before)) {
      Error(token.span,
            "expected an argument for `" + call->name + "`, found `" +
                token.text + "`",
            "to compute with the output of a command, wrap the command in "
            "parentheses, as in `(" +
                call->name + ") " + token.text + " ...`");
      return false;
    }
    argument.value = ParseWordOrValue();
    if (!argument.value) return false;
  }

  if (argument.value &&
      ReportOperatorAfterValue(*argument.value, "a command argument")) {
    return false;
  }
  argument.span.end = previous_end_;
  call->arguments.push_back(std::move(argument));
  return true;
}

// True when the token at the cursor can start an argument or a flag's value.
// A `-` counts only when written against its operand, as in `-1`.
bool Parser::AtValueStart() const {
  switch (Peek().kind) {
    case TokenKind::kInt:
    case TokenKind::kFloat:
    case TokenKind::kString:
    case TokenKind::kVariable:
    case TokenKind::kWord:
    case TokenKind::kTrue:
    case TokenKind::kFalse:
    case TokenKind::kNull:
    case TokenKind::kNot:
    case TokenKind::kLeftParen:
    case TokenKind::kLeftBrace:
    case TokenKind::kLeftBracket:
    case TokenKind::kInterpolationStart:
    case TokenKind::kInvalid:
      return true;
    case TokenKind::kMinus:
      return !Peek(1).space_before;
    case TokenKind::kEndOfFile:
    case TokenKind::kNewline:
    case TokenKind::kSemicolon:
    case TokenKind::kFlag:
    case TokenKind::kShortFlag:
    case TokenKind::kProbeTarget:
    case TokenKind::kInterpolationText:
    case TokenKind::kInterpolationEnd:
    case TokenKind::kProbe:
    case TokenKind::kLet:
    case TokenKind::kIf:
    case TokenKind::kElse:
    case TokenKind::kAnd:
    case TokenKind::kOr:
    case TokenKind::kRightBrace:
    case TokenKind::kRightParen:
    case TokenKind::kRightBracket:
    case TokenKind::kComma:
    case TokenKind::kColon:
    case TokenKind::kDot:
    case TokenKind::kPipe:
    case TokenKind::kAssign:
    case TokenKind::kQuestion:
    case TokenKind::kCaret:
    case TokenKind::kFatArrow:
    case TokenKind::kDotDot:
    case TokenKind::kDotDotLess:
    case TokenKind::kDotDotEqual:
    case TokenKind::kSpread:
    case TokenKind::kEqualEqual:
    case TokenKind::kNotEqual:
    case TokenKind::kLess:
    case TokenKind::kLessEqual:
    case TokenKind::kGreater:
    case TokenKind::kGreaterEqual:
    case TokenKind::kPlus:
    case TokenKind::kStar:
    case TokenKind::kSlash:
    case TokenKind::kSlashSlash:
    case TokenKind::kStarStar:
    case TokenKind::kRegexMatch:
    case TokenKind::kNotRegexMatch:
    case TokenKind::kPlusAssign:
    case TokenKind::kMinusAssign:
    case TokenKind::kStarAssign:
    case TokenKind::kSlashAssign:
    case TokenKind::kUnsupportedOperator:
      return false;
  }
  return false;
}

}  // namespace nubpf::frontend
