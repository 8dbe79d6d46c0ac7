#include "runtime/kernel_symbols.h"

#include <fmt/core.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

namespace nubpf::runtime {
namespace {

// Splits `line` at runs of spaces and tabs.
std::vector<std::string_view> SplitWords(std::string_view line) {
  std::vector<std::string_view> words;
  size_t start = 0;
  while (true) {
    start = line.find_first_not_of(" \t", start);
    if (start == std::string_view::npos) return words;
    size_t end = line.find_first_of(" \t", start);
    if (end == std::string_view::npos) end = line.size();
    words.push_back(line.substr(start, end - start));
    start = end;
  }
}

bool IsTextSymbol(std::string_view type) {
  return type == "t" || type == "T" || type == "w" || type == "W";
}

}  // namespace

// Example line: `ffffffffc0a01040 t nft_do_chain	[nf_tables]`.
KernelSymbols KernelSymbols::Parse(std::string_view text) {
  KernelSymbols table;
  std::map<std::string, int32_t, std::less<>> module_indexes;
  size_t start = 0;
  while (start < text.size()) {
    size_t newline = text.find('\n', start);
    if (newline == std::string_view::npos) newline = text.size();
    std::vector<std::string_view> words = SplitWords(text.substr(start, newline - start));
    start = newline + 1;

    if (words.size() < 3 || !IsTextSymbol(words[1])) continue;
    uint64_t address = 0;
    auto [end, status] = std::from_chars(words[0].data(), words[0].data() + words[0].size(),
                                         address, /*base=*/16);
    if (status != std::errc() || end != words[0].data() + words[0].size() || address == 0) {
      continue;
    }

    Symbol symbol{address, std::string(words[2]), -1};
    bool has_module = words.size() >= 4 && words[3].size() > 2 && words[3].front() == '[' &&
                      words[3].back() == ']';
    if (has_module) {
      std::string_view module = words[3].substr(1, words[3].size() - 2);
      auto found = module_indexes.find(module);
      if (found == module_indexes.end()) {
        found = module_indexes.emplace(std::string(module),
                                       static_cast<int32_t>(table.modules_.size())).first;
        table.modules_.emplace_back(module);
      }
      symbol.module = found->second;
    }
    table.symbols_.push_back(std::move(symbol));
  }
  std::stable_sort(table.symbols_.begin(), table.symbols_.end(),
                   [](const Symbol& a, const Symbol& b) { return a.address < b.address; });
  return table;
}

ErrorOr<KernelSymbols> KernelSymbols::Load(const std::string& path) {
  std::ifstream file(path);
  if (!file.is_open()) {
    Error error;
    error.message = fmt::format("cannot read `{}`: {}", path, std::strerror(errno));
    return error;
  }
  std::ostringstream text;
  text << file.rdbuf();
  return Parse(text.str());
}

std::optional<std::string> KernelSymbols::Name(uint64_t address,
                                               bool is_return_address) const {
  uint64_t lookup = is_return_address && address > 0 ? address - 1 : address;
  auto after = std::upper_bound(
      symbols_.begin(), symbols_.end(), lookup,
      [](uint64_t value, const Symbol& symbol) { return value < symbol.address; });
  if (after == symbols_.begin() || after == symbols_.end()) return std::nullopt;

  // The first of the symbols that share the address below `lookup`.
  auto symbol = std::prev(after);
  while (symbol != symbols_.begin() && std::prev(symbol)->address == symbol->address) {
    --symbol;
  }
  std::string name = fmt::format("{}+{:#x}", symbol->name, address - symbol->address);
  if (symbol->module >= 0) name += " [" + modules_[symbol->module] + "]";
  return name;
}

}  // namespace nubpf::runtime
