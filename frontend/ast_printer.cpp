#include "frontend/ast_printer.h"

#include <string>
#include <string_view>

namespace nubpf::frontend {
namespace {

// Quotes a string value the way Nushell writes it in double quotes, with
// control bytes as `\u{...}` escapes.
std::string Quote(std::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    unsigned char byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\0') {
      out += "\\0";
    } else if (byte < 0x20 || byte == 0x7F) {
      const char* hex = "0123456789abcdef";
      out += "\\u{";
      if (byte >= 0x10) out += hex[byte >> 4];
      out += hex[byte & 0xF];
      out += '}';
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// Record keys, cell path members and module members print bare when
// Nushell would read them bare, and quoted otherwise.
std::string Name(std::string_view name) {
  bool bare = !name.empty();
  for (char c : name) {
    bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!word) bare = false;
  }
  return bare ? std::string(name) : Quote(name);
}

const char* LetKeyword(LetKind kind) {
  switch (kind) {
    case LetKind::kLet:
      return "let";
    case LetKind::kMut:
      return "mut";
    case LetKind::kConst:
      return "const";
  }
  return "let";
}

class Printer {
 public:
  explicit Printer(std::ostream& out) : out_(out) {}

  void PrintUse(const UseDecl& use);
  void PrintDef(const DefDecl& def);
  void PrintProbe(const ProbeDecl& probe);
  void PrintStmt(const Stmt& stmt, int depth);

 private:
  std::ostream& Line(int depth) {
    for (int i = 0; i < depth; ++i) out_ << "  ";
    return out_;
  }

  void PrintBlock(const Block& block, int depth);
  void PrintLabeledBlock(const char* label, const Block& block, int depth);
  void PrintElements(const std::vector<PipelineElement>& elements, int depth);
  void PrintCommand(const CommandCall& call, int depth);
  void PrintExpr(const Expr& expr, int depth);
  void PrintRange(const RangeExpr& range, int depth);
  void PrintIf(const IfExpr& if_expr, int depth);
  void PrintMatch(const MatchExpr& match, int depth);
  void PrintPattern(const Pattern& pattern, int depth);
  bool PrintCellPath(const Expr& expr, std::string* path);

  std::ostream& out_;
};

void Printer::PrintUse(const UseDecl& use) {
  // A module is often a path such as `std/log`, so it is quoted only when
  // Nushell would need quotes: for whitespace, quotes or nothing at all.
  bool bare = !use.module.empty() &&
              use.module.find_first_of(" \t\n\"'`") == std::string::npos;
  Line(0) << "use " << (bare ? use.module : Quote(use.module));
  if (use.all_members) out_ << " *";
  if (!use.members.empty()) {
    out_ << " [";
    for (size_t i = 0; i < use.members.size(); ++i) {
      out_ << (i == 0 ? "" : " ") << Name(use.members[i]);
    }
    out_ << ']';
  }
  out_ << '\n';
}

void Printer::PrintDef(const DefDecl& def) {
  Line(0) << "def " << Name(def.name) << '\n';
  for (const Param& param : def.params) {
    Line(1) << "param " << (param.is_flag ? "--" : "") << param.name;
    if (!param.short_name.empty()) out_ << " (-" << param.short_name << ')';
    if (param.optional) out_ << '?';
    if (!param.type_name.empty()) out_ << ": " << param.type_name;
    out_ << '\n';
    if (param.default_value) PrintExpr(*param.default_value, 2);
  }
  PrintLabeledBlock("body", def.body, 1);
}

void Printer::PrintProbe(const ProbeDecl& probe) {
  Line(0) << "probe " << probe.target;
  if (!probe.parameter.empty()) out_ << " |" << probe.parameter << '|';
  out_ << '\n';
  PrintBlock(probe.body, 1);
}

void Printer::PrintBlock(const Block& block, int depth) {
  for (const StmtPtr& stmt : block.statements) PrintStmt(*stmt, depth);
}

void Printer::PrintLabeledBlock(const char* label, const Block& block,
                                int depth) {
  Line(depth) << label << '\n';
  PrintBlock(block, depth + 1);
}

void Printer::PrintStmt(const Stmt& stmt, int depth) {
  switch (stmt.kind) {
    case StmtKind::kLet: {
      const auto& let = static_cast<const LetStmt&>(stmt);
      Line(depth) << LetKeyword(let.kind) << ' ' << let.name;
      if (!let.type_name.empty()) out_ << ": " << let.type_name;
      out_ << '\n';
      PrintExpr(*let.value, depth + 1);
      return;
    }
    case StmtKind::kAssign: {
      const auto& assign = static_cast<const AssignStmt&>(stmt);
      Line(depth) << "assign $" << assign.name << ' '
                  << AssignOpSpelling(assign.op) << '\n';
      PrintExpr(*assign.value, depth + 1);
      return;
    }
    case StmtKind::kFor: {
      const auto& for_stmt = static_cast<const ForStmt&>(stmt);
      Line(depth) << "for " << for_stmt.variable << '\n';
      Line(depth + 1) << "in\n";
      PrintExpr(*for_stmt.iterable, depth + 2);
      PrintLabeledBlock("body", for_stmt.body, depth + 1);
      return;
    }
    case StmtKind::kWhile: {
      const auto& while_stmt = static_cast<const WhileStmt&>(stmt);
      Line(depth) << "while\n";
      PrintExpr(*while_stmt.condition, depth + 1);
      PrintLabeledBlock("body", while_stmt.body, depth + 1);
      return;
    }
    case StmtKind::kLoop:
      Line(depth) << "loop\n";
      PrintLabeledBlock("body", static_cast<const LoopStmt&>(stmt).body,
                        depth + 1);
      return;
    case StmtKind::kBreak:
      Line(depth) << "break\n";
      return;
    case StmtKind::kContinue:
      Line(depth) << "continue\n";
      return;
    case StmtKind::kReturn: {
      const auto& return_stmt = static_cast<const ReturnStmt&>(stmt);
      Line(depth) << "return\n";
      if (return_stmt.value) PrintExpr(*return_stmt.value, depth + 1);
      return;
    }
    case StmtKind::kPipeline: {
      const auto& pipeline = static_cast<const PipelineStmt&>(stmt);
      Line(depth) << "pipeline\n";
      PrintElements(pipeline.elements, depth + 1);
      return;
    }
  }
}

void Printer::PrintElements(const std::vector<PipelineElement>& elements,
                            int depth) {
  for (const PipelineElement& element : elements) {
    if (element.command) {
      PrintCommand(*element.command, depth);
    } else if (element.expr) {
      PrintExpr(*element.expr, depth);
    }
  }
}

void Printer::PrintCommand(const CommandCall& call, int depth) {
  Line(depth) << "command " << call.name << (call.call_form ? "()" : "")
              << '\n';
  for (const Argument& argument : call.arguments) {
    if (argument.flag.empty()) {
      PrintExpr(*argument.value, depth + 1);
      continue;
    }
    Line(depth + 1) << argument.FlagSpelling() << '\n';
    if (argument.value) PrintExpr(*argument.value, depth + 2);
  }
}

// Writes `$e.task.pid` for a chain of fields on a variable and returns true,
// or returns false for a chain on any other expression.
bool Printer::PrintCellPath(const Expr& expr, std::string* path) {
  if (expr.kind == ExprKind::kVariable) {
    *path = "$" + static_cast<const VariableExpr&>(expr).name;
    return true;
  }
  if (expr.kind != ExprKind::kField) return false;
  const auto& field = static_cast<const FieldExpr&>(expr);
  if (!PrintCellPath(*field.base, path)) return false;
  *path += "." + Name(field.field) + (field.optional ? "?" : "");
  return true;
}

void Printer::PrintExpr(const Expr& expr, int depth) {
  switch (expr.kind) {
    case ExprKind::kInt: {
      const auto& literal = static_cast<const IntExpr&>(expr);
      Line(depth) << "int " << literal.value;
      if (!literal.unit.empty()) out_ << " (" << literal.unit << ')';
      out_ << '\n';
      return;
    }
    case ExprKind::kString:
      Line(depth) << "string "
                  << Quote(static_cast<const StringExpr&>(expr).value) << '\n';
      return;
    case ExprKind::kBool:
      Line(depth) << "bool "
                  << (static_cast<const BoolExpr&>(expr).value ? "true"
                                                               : "false")
                  << '\n';
      return;
    case ExprKind::kNull:
      Line(depth) << "null\n";
      return;
    case ExprKind::kVariable:
      Line(depth) << "var $" << static_cast<const VariableExpr&>(expr).name
                  << '\n';
      return;
    case ExprKind::kField: {
      const auto& field = static_cast<const FieldExpr&>(expr);
      std::string path;
      if (PrintCellPath(expr, &path)) {
        Line(depth) << "cell-path " << path << '\n';
        return;
      }
      Line(depth) << "field " << Name(field.field)
                  << (field.optional ? "?" : "") << '\n';
      PrintExpr(*field.base, depth + 1);
      return;
    }
    case ExprKind::kUnary: {
      const auto& unary = static_cast<const UnaryExpr&>(expr);
      Line(depth) << (unary.op == UnaryOp::kNot ? "not" : "negate") << '\n';
      PrintExpr(*unary.operand, depth + 1);
      return;
    }
    case ExprKind::kBinary: {
      const auto& binary = static_cast<const BinaryExpr&>(expr);
      Line(depth) << "binary " << BinaryOpSpelling(binary.op) << '\n';
      PrintExpr(*binary.lhs, depth + 1);
      PrintExpr(*binary.rhs, depth + 1);
      return;
    }
    case ExprKind::kRecord: {
      Line(depth) << "record\n";
      for (const RecordField& field :
           static_cast<const RecordExpr&>(expr).fields) {
        Line(depth + 1) << Name(field.name) << ":\n";
        PrintExpr(*field.value, depth + 2);
      }
      return;
    }
    case ExprKind::kList: {
      Line(depth) << "list\n";
      for (const ExprPtr& element :
           static_cast<const ListExpr&>(expr).elements) {
        PrintExpr(*element, depth + 1);
      }
      return;
    }
    case ExprKind::kRange:
      PrintRange(static_cast<const RangeExpr&>(expr), depth);
      return;
    case ExprKind::kInterpolation: {
      Line(depth) << "interpolation\n";
      for (const InterpolationPart& part :
           static_cast<const InterpolationExpr&>(expr).parts) {
        if (part.expr) {
          PrintExpr(*part.expr, depth + 1);
        } else {
          Line(depth + 1) << "text " << Quote(part.text) << '\n';
        }
      }
      return;
    }
    case ExprKind::kIf:
      PrintIf(static_cast<const IfExpr&>(expr), depth);
      return;
    case ExprKind::kMatch:
      PrintMatch(static_cast<const MatchExpr&>(expr), depth);
      return;
    case ExprKind::kPipeline: {
      Line(depth) << "pipeline\n";
      PrintElements(static_cast<const PipelineExpr&>(expr).elements, depth + 1);
      return;
    }
  }
}

void Printer::PrintRange(const RangeExpr& range, int depth) {
  Line(depth) << "range " << (range.inclusive ? ".." : "..<") << '\n';
  Line(depth + 1) << "start:\n";
  PrintExpr(*range.start, depth + 2);
  if (range.next) {
    Line(depth + 1) << "next:\n";
    PrintExpr(*range.next, depth + 2);
  }
  if (range.end) {
    Line(depth + 1) << "end:\n";
    PrintExpr(*range.end, depth + 2);
  }
}

void Printer::PrintIf(const IfExpr& if_expr, int depth) {
  Line(depth) << "if\n";
  PrintExpr(*if_expr.condition, depth + 1);
  PrintLabeledBlock("then", if_expr.then_block, depth + 1);
  if (if_expr.else_block) {
    PrintLabeledBlock("else", *if_expr.else_block, depth + 1);
  }
}

void Printer::PrintMatch(const MatchExpr& match, int depth) {
  Line(depth) << "match\n";
  PrintExpr(*match.subject, depth + 1);
  for (const MatchArm& arm : match.arms) {
    Line(depth + 1) << "arm\n";
    PrintPattern(arm.pattern, depth + 2);
    if (arm.guard) {
      Line(depth + 2) << "guard\n";
      PrintExpr(*arm.guard, depth + 3);
    }
    PrintLabeledBlock("body", arm.body, depth + 2);
  }
}

void Printer::PrintPattern(const Pattern& pattern, int depth) {
  switch (pattern.kind) {
    case PatternKind::kWildcard:
      Line(depth) << "pattern _\n";
      return;
    case PatternKind::kBinding:
      Line(depth) << "pattern $" << pattern.name << '\n';
      return;
    case PatternKind::kLiteral:
    case PatternKind::kRange:
      Line(depth) << "pattern\n";
      PrintExpr(*pattern.value, depth + 1);
      return;
    case PatternKind::kAlternatives:
      Line(depth) << "pattern alternatives\n";
      for (const Pattern& alternative : pattern.alternatives) {
        PrintPattern(alternative, depth + 1);
      }
      return;
  }
}

}  // namespace

void PrintAst(const File& file, std::ostream& out) {
  Printer printer(out);
  for (const UseDecl& use : file.uses) printer.PrintUse(use);
  for (const auto& constant : file.constants) printer.PrintStmt(*constant, 0);
  for (const auto& global : file.globals) printer.PrintStmt(*global, 0);
  for (const DefDecl& def : file.defs) printer.PrintDef(def);
  for (const ProbeDecl& probe : file.probes) printer.PrintProbe(probe);
}

}  // namespace nubpf::frontend
