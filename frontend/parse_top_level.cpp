// The items of a probe file: probes, `def` with its parameters, `use`,
// top-level `const` and top-level `mut`.
#include <string_view>

#include "frontend/parser_internal.h"

namespace nubpf::frontend {
namespace {

// Nushell statements that are valid at the top of a script but run nowhere
// in a probe file, because only probe bodies run.
constexpr std::string_view kTopLevelStatements[] = {
    "for", "while", "loop", "match", "print", "return",
};

// Returns NAME from `kernel:function("NAME")`, `kernel:function('NAME')` or
// `kernel:function(NAME)`, or an empty string for any other text.
std::string KernelFunctionName(std::string_view target) {
  constexpr std::string_view kPrefix = "kernel:function(";
  if (target.substr(0, kPrefix.size()) != kPrefix || target.back() != ')') {
    return "";
  }
  std::string_view name =
      target.substr(kPrefix.size(), target.size() - kPrefix.size() - 1);
  if (name.size() >= 2 && (name[0] == '"' || name[0] == '\'') &&
      name.back() == name[0]) {
    name = name.substr(1, name.size() - 2);
  }
  if (name.find_first_of("\"'():") != std::string_view::npos) return "";
  return std::string(name);
}

}  // namespace

// item = probe | [ "export" ] def | use | [ "export" ] const | mut
//
// `export` is how a Nushell module makes a command or constant visible to
// the files that `use` it, so module files write it.
void Parser::ParseItem(File* out) {
  if (AtWord("export")) {
    const Token& keyword = Advance();
    if (AtWord("def")) {
      size_t count = out->defs.size();
      ParseDef(out);
      if (out->defs.size() > count) out->defs.back().exported = true;
      return;
    }
    if (AtWord("const")) return ParseTopLevelConst(out);
    Error(keyword.span, "`export` must be followed by `def` or `const`",
          "write `export def NAME [] { ... }` or `export const NAME = VALUE`");
    return SkipItem();
  }
  const Token& token = Peek();
  if (IsProbeKeyword(token)) return ParseProbe(out, /*in_main=*/false);
  if (AtWord("def")) return ParseDef(out);
  if (AtWord("use")) return ParseUse(out);
  if (AtWord("const")) return ParseTopLevelConst(out);
  if (AtWord("mut")) return ParseTopLevelMut(out);

  NotInProbe construct;
  if (token.kind == TokenKind::kWord &&
      CommandNotInProbe(token.text, &construct)) {
    ErrorNotInProbe(token.span, construct, token.text);
    return SkipItem();
  }
  bool statement = token.kind == TokenKind::kLet ||
                   token.kind == TokenKind::kIf ||
                   (token.kind == TokenKind::kWord &&
                    ContainsWord(kTopLevelStatements, token.text));
  if (statement) {
    ErrorNotInProbe(token.span, NotInProbe::kTopLevelStatement, token.text);
    return SkipItem();
  }
  ErrorExpected("a probe, such as `probe TARGET {|e| ... }`", token);
  SkipItem();
}

// probe = ( "probe" | "bpf_probe" | "bpf_tracepoint" ) TARGET closure
//
// `in_main` is true for a probe in the body of `def main`, where the `}`
// that closes `main` may follow on the same line.
void Parser::ParseProbe(File* out, bool in_main) {
  const Token& keyword = Advance();
  std::string spelling =
      keyword.kind == TokenKind::kProbe ? "probe" : keyword.text;
  if (!At(TokenKind::kProbeTarget)) {
    ErrorExpected("a probe target after `" + spelling +
                      "`, such as `tracepoint:syscalls:sys_enter_openat`",
                  Peek());
    return SkipItem();
  }

  ProbeDecl probe;
  const Token& target = Advance();
  probe.target_span = target.span;
  NormalizeTarget(keyword, target, &probe.target);
  if (!At(TokenKind::kLeftBrace)) {
    ErrorExpected("`{` to start the probe's closure, as in `{|e| ... }`",
                  Peek());
    return SkipItem();
  }

  bool closed = ParseClosure(&probe);
  probe.span = {keyword.span.begin, previous_end_};
  out->probes.push_back(std::move(probe));
  if (closed) ExpectItemEnd("the probe's closing `}`", in_main);
}

// Sets `normalized` to the target in the `probe` spelling and returns true,
// or reports a malformed target of the original proposal and returns false.
//
//   probe T                          -> T
//   bpf_probe kernel:function("f")   -> kernel:function:f
//   bpf_tracepoint CATEGORY:NAME     -> tracepoint:CATEGORY:NAME
bool Parser::NormalizeTarget(const Token& keyword, const Token& target,
                             std::string* normalized) {
  *normalized = target.text;
  if (keyword.kind == TokenKind::kProbe) return true;

  if (keyword.text == "bpf_probe") {
    std::string name = KernelFunctionName(target.text);
    if (!name.empty()) {
      *normalized = "kernel:function:" + name;
      return true;
    }
    Error(target.span, "invalid `bpf_probe` target `" + target.text + "`",
          "write `kernel:function(\"NAME\")`, as in `bpf_probe "
          "kernel:function(\"do_sys_openat2\") {|e| ... }`");
    return false;
  }

  size_t colon = target.text.find(':');
  bool valid = colon != std::string::npos && colon > 0 &&
               colon + 1 < target.text.size() &&
               target.text.find(':', colon + 1) == std::string::npos;
  if (valid) {
    *normalized = "tracepoint:" + target.text;
    return true;
  }
  Error(target.span, "invalid `bpf_tracepoint` target `" + target.text + "`",
        "write `CATEGORY:NAME`, as in `bpf_tracepoint "
        "syscalls:sys_enter_openat {|e| ... }`");
  return false;
}

// Expects the end of a top-level item: a newline, `;` or the end of the
// file, or in `def main` also the `}` that closes it.
void Parser::ExpectItemEnd(std::string_view what, bool in_main) {
  if (At(TokenKind::kNewline) || At(TokenKind::kSemicolon) ||
      At(TokenKind::kEndOfFile)) {
    return;
  }
  if (in_main && At(TokenKind::kRightBrace)) return;
  ErrorExpected("a newline after " + std::string(what), Peek());
  SkipItem();
}

// closure = "{" [ "|" [ NAME ] "|" | "||" ] statements "}"
// Returns false when the closing `}` is missing.
bool Parser::ParseClosure(ProbeDecl* probe) {
  NewlineScope newlines(*this, /*skip=*/false);
  OpenScope open(*this, Open::kBlockBrace);
  const Token& brace = Advance();
  probe->body.span = brace.span;

  if (At(TokenKind::kUnsupportedOperator) && Peek().text == "||") {
    Advance();
  } else if (At(TokenKind::kPipe)) {
    Advance();
    const Token& name = Peek();
    if (name.kind == TokenKind::kWord || name.kind == TokenKind::kVariable) {
      Advance();
      probe->parameter = name.text;
      probe->parameter_span = name.span;
      if (name.kind == TokenKind::kVariable) {
        Error(name.span, "closure parameters are written without `$`",
              "write `{|" + name.text + "| ... }`");
      }
    }

    if (!At(TokenKind::kPipe)) {
      std::string help;
      if (At(TokenKind::kComma)) {
        help = "a probe's closure takes one parameter, the event record";
      } else if (At(TokenKind::kColon)) {
        help = "parameter types are not supported yet, so write `{|e| ... }`";
      }
      ErrorExpected("`|` after the closure's parameter", Peek(), help);
      while (!At(TokenKind::kPipe) && !At(TokenKind::kNewline) &&
             !At(TokenKind::kEndOfFile) && !At(TokenKind::kRightBrace)) {
        Advance();
      }
    }
    if (At(TokenKind::kPipe)) Advance();
  }
  return ParseStatements(&probe->body, brace, "the probe's closure");
}

// def = "def" { FLAG } NAME params [ ":" io-types ] block
//
// A `def main` body holds the file's probes and constants (ParseMainBody);
// any other command's body is ordinary statements.
void Parser::ParseDef(File* out) {
  const Token& keyword = Advance();
  while (At(TokenKind::kFlag)) {
    const Token& flag = Advance();
    if (flag.text == "env" || flag.text == "wrapped") {
      ErrorNotInProbe(flag.span, flag.text == "env" ? NotInProbe::kDefEnv
                                                    : NotInProbe::kDefWrapped);
    } else {
      Error(flag.span, "unknown flag `--" + flag.text + "` for `def`",
            "`def` takes `--env` and `--wrapped`, which a probe cannot use");
    }
    return SkipItem();
  }

  const Token& name = Peek();
  if (name.kind != TokenKind::kWord && name.kind != TokenKind::kString) {
    ErrorExpected("a command name after `def`", name);
    return SkipItem();
  }
  Advance();
  DefDecl def;
  def.name = name.text;
  def.name_span = name.span;
  for (const DefDecl& earlier : out->defs) {
    if (earlier.name != def.name) continue;
    Diagnostic& error =
        Error(name.span, "command `" + def.name + "` is defined twice");
    error.labels.push_back({earlier.name_span, "first defined here"});
    break;
  }

  if (!At(TokenKind::kLeftBracket)) {
    ErrorExpected(
        "`[` to start the parameters, as in `def " + def.name + " [] { ... }`",
        Peek());
    return SkipItem();
  }
  if (!ParseParams(&def)) return SkipItem();
  if (At(TokenKind::kColon)) {
    Error(Peek().span, "input and output types on `def` are not supported yet",
          "remove the `: TYPE -> TYPE` after the parameters");
    return SkipItem();
  }

  bool closed = def.name == "main"
                    ? ParseMainBody(&def, out)
                    : ParseBlock(&def.body, "the body of `" + def.name + "`");
  def.span = {keyword.span.begin, previous_end_};
  out->defs.push_back(std::move(def));
  if (!closed) return SkipItem();
  ExpectItemEnd("the command's closing `}`", /*in_main=*/false);
}

// params = "[" { param [ "," ] } "]"
bool Parser::ParseParams(DefDecl* def) {
  OpenScope open(*this, Open::kBracket);
  NewlineScope newlines(*this, /*skip=*/true);
  const Token& bracket = Advance();
  while (!At(TokenKind::kRightBracket)) {
    if (At(TokenKind::kComma)) {
      Advance();
      continue;
    }
    if (At(TokenKind::kEndOfFile)) {
      Diagnostic& error = ErrorExpected("`]` to close the parameters", Peek());
      AddOpenedHereLabel(error, bracket, "the parameters start here");
      return false;
    }
    if (!ParseParam(def)) return false;
  }
  Advance();
  return true;
}

// param = ( NAME [ "?" ] | FLAG [ "(" "-" LETTER ")" ] ) [ ":" TYPE ]
//         [ "=" word-or-value ]
bool Parser::ParseParam(DefDecl* def) {
  Param param;
  const Token& first = Peek();
  if (first.kind == TokenKind::kFlag) {
    Advance();
    param.is_flag = true;
    param.name = first.text;
    if (At(TokenKind::kLeftParen)) {
      Advance();
      if (At(TokenKind::kMinus)) Advance();
      if (!At(TokenKind::kShortFlag) && !At(TokenKind::kWord)) {
        ErrorExpected("a short flag such as `-v` in `( )`", Peek());
        return false;
      }
      param.short_name = Advance().text;
      if (!At(TokenKind::kRightParen)) {
        ErrorExpected("`)` after the short flag", Peek());
        return false;
      }
      Advance();
    }
  } else if (first.kind == TokenKind::kWord) {
    Advance();
    param.name = first.text;
    if (At(TokenKind::kQuestion) && !Peek().space_before) {
      Advance();
      param.optional = true;
    }
  } else if (first.kind == TokenKind::kSpread) {
    Error(first.span, "rest parameters `...name` are not supported yet",
          "declare each value as a parameter of its own, such as `--pid: int`");
    return false;
  } else if (first.kind == TokenKind::kVariable) {
    Error(first.span, "parameter names are written without `$`",
          "write `" + first.text + ": TYPE`, then use `$" + first.text + "`");
    return false;
  } else {
    ErrorExpected("a parameter, such as `count: int` or `--verbose`", first);
    return false;
  }

  if (At(TokenKind::kColon)) {
    Advance();
    Span type_span;
    if (!ParseTypeName(&param.type_name, &type_span)) return false;
  }
  if (At(TokenKind::kAssign)) {
    Advance();
    param.default_value = ParseWordOrValue();
    if (!param.default_value) return false;
  }
  param.span = {first.span.begin, previous_end_};

  for (const Param& earlier : def->params) {
    if (earlier.name != param.name) continue;
    Diagnostic& error =
        Error(first.span, "parameter `" + param.name + "` is declared twice");
    error.labels.push_back({earlier.span, "first declared here"});
    break;
  }
  def->params.push_back(std::move(param));
  return true;
}

// main-body = "{" { probe | const | separator } "}"
//
// Returns false when the closing `}` is missing.
bool Parser::ParseMainBody(DefDecl* def, File* out) {
  if (!At(TokenKind::kLeftBrace)) {
    ErrorExpected("`{` to start the body of `main`", Peek());
    return false;
  }
  NewlineScope newlines(*this, /*skip=*/false);
  OpenScope open(*this, Open::kBlockBrace);
  const Token& brace = Advance();
  def->body.span = brace.span;

  while (true) {
    while (At(TokenKind::kNewline) || At(TokenKind::kSemicolon)) Advance();
    if (At(TokenKind::kRightBrace)) {
      def->body.span.end = Advance().span.end;
      return true;
    }
    if (At(TokenKind::kEndOfFile)) {
      Diagnostic& error =
          ErrorExpected("`}` to close the body of `main`", Peek());
      AddOpenedHereLabel(error, brace, "the body of `main` starts here");
      def->body.span.end = previous_end_;
      return false;
    }

    size_t start = pos_;
    if (IsProbeKeyword(Peek())) {
      ParseProbe(out, /*in_main=*/true);
    } else if (AtWord("const")) {
      std::unique_ptr<LetStmt> constant = ParseLet(LetKind::kConst);
      if (constant && AtStatementEnd()) {
        def->body.statements.push_back(std::move(constant));
        continue;
      }
      if (constant) {
        ErrorExpected("a newline or `;` after the statement", Peek());
      }
      SkipStatement(open_.size());
    } else {
      Error(Peek().span,
            "the body of `def main` can contain only probes and `const` "
            "declarations",
            "move this statement into a probe body");
      SkipStatement(open_.size());
    }
    if (pos_ == start && !At(TokenKind::kRightBrace)) Advance();
  }
}

// use = "use" MODULE [ "*" | NAME | STRING | "[" { NAME | STRING } "]" ]
//
// MODULE is a name or a path such as `std/log` or `./probes.nu`: every token
// up to the next whitespace.
void Parser::ParseUse(File* out) {
  const Token& keyword = Advance();
  UseDecl use;
  const Token& module = Peek();
  if (module.kind == TokenKind::kNewline ||
      module.kind == TokenKind::kEndOfFile ||
      module.kind == TokenKind::kSemicolon) {
    ErrorExpected("a module name after `use`, such as `nubpf`", module);
    return SkipItem();
  }
  Advance();
  while (!Peek().space_before && !AtStatementEnd()) Advance();
  use.module_span = {module.span.begin, previous_end_};
  use.module = module.kind == TokenKind::kString
                   ? module.text
                   : std::string(file_.Slice(use.module_span));

  if (!ParseUseMembers(&use)) return SkipItem();
  use.span = {keyword.span.begin, previous_end_};
  out->uses.push_back(std::move(use));
  ExpectItemEnd("the `use` declaration", /*in_main=*/false);
}

bool Parser::ParseUseMembers(UseDecl* use) {
  if (At(TokenKind::kStar)) {
    Advance();
    use->all_members = true;
    return true;
  }
  if (At(TokenKind::kWord) || At(TokenKind::kString)) {
    use->members.push_back(Advance().text);
    return true;
  }
  if (!At(TokenKind::kLeftBracket)) return true;

  OpenScope open(*this, Open::kBracket);
  NewlineScope newlines(*this, /*skip=*/true);
  const Token& bracket = Advance();
  while (!At(TokenKind::kRightBracket)) {
    if (At(TokenKind::kComma)) {
      Advance();
      continue;
    }
    if (At(TokenKind::kWord) || At(TokenKind::kString)) {
      use->members.push_back(Advance().text);
      continue;
    }
    Diagnostic& error = ErrorExpected(
        "a member name, such as `emit`, or `]` to close the list", Peek());
    AddOpenedHereLabel(error, bracket, "the list starts here");
    return false;
  }
  Advance();
  return true;
}

// const = "const" NAME [ ":" TYPE ] "=" pipeline
void Parser::ParseTopLevelConst(File* out) {
  std::unique_ptr<LetStmt> constant = ParseLet(LetKind::kConst);
  if (!constant) return SkipItem();
  out->constants.push_back(std::move(constant));
  ExpectItemEnd("the `const` declaration", /*in_main=*/false);
}

// mut = "mut" NAME [ ":" TYPE ] "=" pipeline
//
// A top-level `mut` is a global that probes share; the checker takes only
// literal values.
void Parser::ParseTopLevelMut(File* out) {
  std::unique_ptr<LetStmt> global = ParseLet(LetKind::kMut);
  if (!global) return SkipItem();
  out->globals.push_back(std::move(global));
  ExpectItemEnd("the `mut` declaration", /*in_main=*/false);
}

}  // namespace nubpf::frontend
