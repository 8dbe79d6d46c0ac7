#include "compiler/dependency_file.h"

namespace nubpf::compiler {

std::string EscapeMakePath(std::string_view path) {
  std::string escaped;
  for (char c : path) {
    if (c == ' ' || c == '#') escaped += '\\';
    if (c == '$') escaped += '$';
    escaped += c;
  }
  return escaped;
}

std::string FormatDependencyFile(const std::string& target,
                                 const std::vector<std::string>& inputs,
                                 bool phony_inputs) {
  std::string rule = EscapeMakePath(target) + ":";
  for (const std::string& input : inputs) {
    rule += " \\\n  " + EscapeMakePath(input);
  }
  rule += "\n";
  if (!phony_inputs) return rule;

  for (size_t i = 1; i < inputs.size(); ++i) {
    rule += "\n" + EscapeMakePath(inputs[i]) + ":\n";
  }
  return rule;
}

}  // namespace nubpf::compiler
