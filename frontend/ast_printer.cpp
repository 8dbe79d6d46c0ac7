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

// Record keys and cell path members print bare when Nushell would read them
// bare, and quoted otherwise.
std::string Name(std::string_view name) {
  bool bare = !name.empty();
  for (char c : name) {
    bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!word) bare = false;
  }
  return bare ? std::string(name) : Quote(name);
}

class Printer {
 public:
  explicit Printer(std::ostream& out) : out_(out) {}

  void PrintProbe(const ProbeDecl& probe);

 private:
  std::ostream& Line(int depth) {
    for (int i = 0; i < depth; ++i) out_ << "  ";
    return out_;
  }

  void PrintBlock(const Block& block, int depth);
  void PrintStmt(const Stmt& stmt, int depth);
  void PrintElements(const std::vector<PipelineElement>& elements, int depth);
  void PrintCommand(const CommandCall& call, int depth);
  void PrintExpr(const Expr& expr, int depth);
  bool PrintCellPath(const Expr& expr, std::string* path);

  std::ostream& out_;
};

void Printer::PrintProbe(const ProbeDecl& probe) {
  Line(0) << "probe " << probe.target;
  if (!probe.parameter.empty()) out_ << " |" << probe.parameter << '|';
  out_ << '\n';
  PrintBlock(probe.body, 1);
}

void Printer::PrintBlock(const Block& block, int depth) {
  for (const StmtPtr& stmt : block.statements) PrintStmt(*stmt, depth);
}

void Printer::PrintStmt(const Stmt& stmt, int depth) {
  switch (stmt.kind) {
    case StmtKind::kLet: {
      const auto& let = static_cast<const LetStmt&>(stmt);
      Line(depth) << "let " << let.name << '\n';
      PrintExpr(*let.value, depth + 1);
      return;
    }
    case StmtKind::kIf: {
      const auto& if_stmt = static_cast<const IfStmt&>(stmt);
      Line(depth) << "if\n";
      PrintExpr(*if_stmt.condition, depth + 1);
      Line(depth) << "then\n";
      PrintBlock(if_stmt.then_block, depth + 1);
      if (if_stmt.else_block) {
        Line(depth) << "else\n";
        PrintBlock(*if_stmt.else_block, depth + 1);
      }
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
  Line(depth) << "command " << call.name << '\n';
  for (const Argument& argument : call.arguments) {
    if (argument.flag.empty()) {
      PrintExpr(*argument.value, depth + 1);
      continue;
    }
    Line(depth + 1) << "--" << argument.flag << '\n';
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
  *path += "." + Name(field.field);
  return true;
}

void Printer::PrintExpr(const Expr& expr, int depth) {
  switch (expr.kind) {
    case ExprKind::kInt:
      Line(depth) << "int " << static_cast<const IntExpr&>(expr).value << '\n';
      return;
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
      Line(depth) << "field " << Name(field.field) << '\n';
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
    case ExprKind::kPipeline: {
      Line(depth) << "pipeline\n";
      PrintElements(static_cast<const PipelineExpr&>(expr).elements, depth + 1);
      return;
    }
  }
}

}  // namespace

void PrintAst(const File& file, std::ostream& out) {
  Printer printer(out);
  for (const ProbeDecl& probe : file.probes) printer.PrintProbe(probe);
}

}  // namespace nubpf::frontend
