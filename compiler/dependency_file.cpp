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
                                 const std::vector<std::string>& inputs) {
  std::string rule = EscapeMakePath(target) + ":";
  for (const std::string& input : inputs) {
    rule += " \\\n  " + EscapeMakePath(input);
  }
  return rule + "\n";
}

}  // namespace nubpf::compiler
