#include "runtime/user_symbols.h"

#include <fmt/core.h>

#include <charconv>
#include <fstream>
#include <sstream>

namespace nubpf::runtime {
namespace {

// Parses `text` as a hexadecimal number; false unless all of it is one.
bool ParseHex(std::string_view text, uint64_t* value) {
  auto [end, status] = std::from_chars(text.data(), text.data() + text.size(), *value,
                                       /*base=*/16);
  return !text.empty() && status == std::errc() && end == text.data() + text.size();
}

// Returns the next run of characters other than spaces after `*position`,
// and moves `*position` past it.
std::string_view NextWord(std::string_view line, size_t* position) {
  size_t start = line.find_first_not_of(' ', *position);
  if (start == std::string_view::npos) {
    *position = line.size();
    return {};
  }
  size_t end = line.find(' ', start);
  if (end == std::string_view::npos) end = line.size();
  *position = end;
  return line.substr(start, end - start);
}

std::optional<MemoryMapping> ParseMapsLine(std::string_view line) {
  size_t position = 0;
  std::string_view range = NextWord(line, &position);
  NextWord(line, &position);  // permissions
  std::string_view offset = NextWord(line, &position);
  NextWord(line, &position);  // device
  std::string_view inode = NextWord(line, &position);
  if (inode.empty()) return std::nullopt;

  MemoryMapping mapping;
  size_t dash = range.find('-');
  if (dash == std::string_view::npos || !ParseHex(range.substr(0, dash), &mapping.start) ||
      !ParseHex(range.substr(dash + 1), &mapping.end) || !ParseHex(offset, &mapping.offset)) {
    return std::nullopt;
  }
  size_t path_start = line.find_first_not_of(' ', position);
  if (path_start != std::string_view::npos) mapping.path = std::string(line.substr(path_start));
  return mapping;
}

}  // namespace

std::vector<MemoryMapping> ParseMemoryMaps(std::string_view text) {
  std::vector<MemoryMapping> mappings;
  size_t start = 0;
  while (start < text.size()) {
    size_t newline = text.find('\n', start);
    if (newline == std::string_view::npos) newline = text.size();
    if (std::optional<MemoryMapping> mapping = ParseMapsLine(text.substr(start, newline - start))) {
      mappings.push_back(std::move(*mapping));
    }
    start = newline + 1;
  }
  return mappings;
}

std::vector<std::string> UserSymbols::NameFrames(uint32_t pid,
                                                 const std::vector<uint64_t>& addresses) {
  // One read of the maps per stack at most: addresses that a frame pointer
  // walk took from garbage miss every mapping, however often it is read.
  bool missed = !maps_.count(pid);
  for (uint64_t address : addresses) {
    if (missed) break;
    missed = FindMapping(pid, address) == nullptr;
  }
  if (missed) ReadMaps(pid);

  std::vector<std::string> names;
  names.reserve(addresses.size());
  for (size_t i = 0; i < addresses.size(); ++i) {
    names.push_back(NameFrame(FindMapping(pid, addresses[i]), addresses[i], i > 0));
  }
  return names;
}

const MemoryMapping* UserSymbols::FindMapping(uint32_t pid, uint64_t address) const {
  auto maps = maps_.find(pid);
  if (maps == maps_.end()) return nullptr;
  for (const MemoryMapping& mapping : maps->second) {
    if (address >= mapping.start && address < mapping.end) return &mapping;
  }
  return nullptr;
}

// Keeps the maps read before when the process is gone.
void UserSymbols::ReadMaps(uint32_t pid) {
  std::ifstream file(fmt::format("{}/{}/maps", proc_root_, pid));
  if (!file.is_open()) return;
  std::ostringstream text;
  text << file.rdbuf();
  std::vector<MemoryMapping> mappings = ParseMemoryMaps(text.str());
  if (mappings.empty()) return;

  if (!maps_.count(pid)) {
    read_order_.push_back(pid);
    if (read_order_.size() > max_cached_processes_) {
      maps_.erase(read_order_.front());
      read_order_.pop_front();
    }
  }
  maps_[pid] = std::move(mappings);
}

const ElfSymbolTable* UserSymbols::Table(const std::string& path) {
  auto cached = tables_.find(path);
  if (cached != tables_.end()) return cached->second.get();
  ErrorOr<ElfSymbolTable> table = ElfSymbolTable::Load(path);
  auto& slot = tables_[path];
  if (table) slot = std::make_unique<ElfSymbolTable>(std::move(*table));
  return slot.get();
}

// The file offset of `address` is its distance from the mapping's start
// plus the mapping's offset. The PT_LOAD segment that contains that offset
// gives the ELF virtual address, which is what the symbols use.
std::string UserSymbols::NameFrame(const MemoryMapping* mapping, uint64_t address,
                                   bool is_return_address) {
  std::string hex = fmt::format("{:#x}", address);
  if (mapping == nullptr) return hex;
  std::string in_file = hex + " (" + mapping->path + ")";
  if (mapping->path.empty()) return hex;
  if (mapping->path.front() == '[') return in_file;

  const ElfSymbolTable* table = Table(mapping->path);
  if (table == nullptr) return in_file;
  uint64_t lookup = is_return_address && address > mapping->start ? address - 1 : address;
  std::optional<uint64_t> virtual_address =
      table->FileOffsetToAddress(lookup - mapping->start + mapping->offset);
  if (!virtual_address) return in_file;
  std::optional<ElfFunctionHit> hit = table->FindFunction(*virtual_address);
  if (!hit) return in_file;
  return fmt::format("{}+{:#x}", *hit->name, hit->offset + (address - lookup));
}

}  // namespace nubpf::runtime
