#include "compiler/usdt_arguments.h"

#include <cctype>
#include <charconv>
#include <optional>

namespace nubpf::compiler {
namespace {

// A register that an operand may name: where its low byte lies in x86-64's
// struct pt_regs, and how many bytes wide it is.
struct RegisterName {
  std::string_view name;
  uint32_t pt_regs_offset;
  uint8_t width;
};

// The general-purpose registers by their 8-, 4-, 2- and 1-byte names. The
// other pt_regs slots (orig_ax, ip, cs, flags, ss) are never operands.
struct RegisterFamily {
  std::string_view names[4];
  uint32_t pt_regs_offset;
};

constexpr RegisterFamily kRegisterFamilies[] = {
    {{"rax", "eax", "ax", "al"}, 80},     {{"rbx", "ebx", "bx", "bl"}, 40},
    {{"rcx", "ecx", "cx", "cl"}, 88},     {{"rdx", "edx", "dx", "dl"}, 96},
    {{"rsi", "esi", "si", "sil"}, 104},   {{"rdi", "edi", "di", "dil"}, 112},
    {{"rbp", "ebp", "bp", "bpl"}, 32},    {{"rsp", "esp", "sp", "spl"}, 152},
    {{"r8", "r8d", "r8w", "r8b"}, 72},    {{"r9", "r9d", "r9w", "r9b"}, 64},
    {{"r10", "r10d", "r10w", "r10b"}, 56}, {{"r11", "r11d", "r11w", "r11b"}, 48},
    {{"r12", "r12d", "r12w", "r12b"}, 24}, {{"r13", "r13d", "r13w", "r13b"}, 16},
    {{"r14", "r14d", "r14w", "r14b"}, 8},  {{"r15", "r15d", "r15w", "r15b"}, 0},
};
constexpr uint8_t kFamilyWidths[4] = {8, 4, 2, 1};

// The second bytes of ax, bx, cx and dx, one past their families' offsets.
constexpr RegisterName kHighByteRegisters[] = {
    {"ah", 81, 1}, {"bh", 41, 1}, {"ch", 89, 1}, {"dh", 97, 1}};

// Looks up `name`, written without its `%`.
std::optional<RegisterName> FindRegister(std::string_view name) {
  for (const RegisterFamily& family : kRegisterFamilies) {
    for (size_t column = 0; column < 4; ++column) {
      if (family.names[column] == name)
        return RegisterName{name, family.pt_regs_offset, kFamilyWidths[column]};
    }
  }
  for (const RegisterName& high : kHighByteRegisters) {
    if (high.name == name) return high;
  }
  return std::nullopt;
}

// Reads a signed integer in decimal (`-80`) or hexadecimal (`-0x50`) as its
// 64-bit two's complement. Values from 2^63 to 2^64 - 1 wrap, so that an
// unsigned 8-byte constant keeps its bits.
std::optional<int64_t> ParseInteger(std::string_view text) {
  bool negative = !text.empty() && text.front() == '-';
  if (negative) text.remove_prefix(1);
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    text.remove_prefix(2);
  }
  if (text.empty()) return std::nullopt;

  uint64_t magnitude = 0;
  const char* end = text.data() + text.size();
  std::from_chars_result result = std::from_chars(text.data(), end, magnitude, base);
  if (result.ec != std::errc() || result.ptr != end) return std::nullopt;
  if (negative && magnitude > (uint64_t{1} << 63)) return std::nullopt;
  return static_cast<int64_t>(negative ? 0 - magnitude : magnitude);
}

// Fills a kRegister argument from `%NAME`, or sets `error`.
void ReadRegisterOperand(std::string_view operand, UsdtArgument* argument) {
  std::optional<RegisterName> found = FindRegister(operand.substr(1));
  if (!found) {
    argument->error = "USDT argument `" + argument->text + "` names an unknown register `" +
                      std::string(operand) + "`";
    return;
  }

  // Reading `size` bytes from the register's slot is right while they fit
  // in the register. The one wider case is an unsigned 8-byte value in a
  // 32-bit register, whose upper half x86-64 clears on every write.
  bool zero_extended = found->width == 4 && argument->size == 8;
  if (zero_extended && argument->is_signed) {
    argument->error = "USDT argument `" + argument->text +
                      "` is invalid: x86-64 zero-extends the 4-byte register `" +
                      std::string(operand) + "`, so it cannot hold a signed 8-byte value";
    return;
  }
  if (argument->size > found->width && !zero_extended) {
    argument->error = "USDT argument `" + argument->text + "` is invalid: " +
                      std::to_string(argument->size) + " bytes do not fit in the " +
                      std::to_string(found->width) + "-byte register `" +
                      std::string(operand) + "`";
    return;
  }
  argument->kind = UsdtArgumentKind::kRegister;
  argument->pt_regs_offset = found->pt_regs_offset;
}

// Fills a kMemory argument from `DISPLACEMENT(%BASE)`, or sets `error`.
//
// TODO: read the other memory forms: `(%base,%index,scale)`, which needs
// two register loads and a multiply, and `symbol(%rip)`, which needs the
// address where the file is loaded in the traced process.
void ReadMemoryOperand(std::string_view operand, UsdtArgument* argument) {
  const std::string prefix = "USDT argument `" + argument->text + "` ";
  size_t open = operand.find('(');
  if (operand.back() != ')') {
    argument->error = prefix + "is invalid: its memory operand does not end in `)`";
    return;
  }
  std::string_view displacement = operand.substr(0, open);
  std::string_view inside = operand.substr(open + 1, operand.size() - open - 2);

  if (inside.find(',') != std::string_view::npos) {
    argument->error = prefix + "uses an index register, which is not supported yet";
    return;
  }
  if (inside == "%rip") {
    argument->error = prefix + "is relative to `%rip`, which is not supported yet";
    return;
  }
  if (inside.empty() || inside.front() != '%') {
    argument->error = prefix + "is invalid: its base `" + std::string(inside) +
                      "` is not a register";
    return;
  }
  std::optional<RegisterName> base = FindRegister(inside.substr(1));
  if (!base) {
    argument->error = prefix + "names an unknown register `" + std::string(inside) + "`";
    return;
  }
  if (base->width != 8) {
    argument->error = prefix + "is invalid: its base register `" + std::string(inside) +
                      "` is not a 64-bit register";
    return;
  }

  std::optional<int64_t> offset =
      displacement.empty() ? std::optional<int64_t>(0) : ParseInteger(displacement);
  if (!offset) {
    argument->error = prefix + "has the displacement `" + std::string(displacement) +
                      "`, which is not a number; symbols there are not supported yet";
    return;
  }
  argument->kind = UsdtArgumentKind::kMemory;
  argument->pt_regs_offset = base->pt_regs_offset;
  argument->displacement = *offset;
}

// Fills a kConstant argument from `$VALUE`, or sets `error`.
void ReadConstantOperand(std::string_view operand, UsdtArgument* argument) {
  if (operand.size() == 1) {
    argument->error = "USDT argument `" + argument->text + "` is invalid: `$` has no value";
    return;
  }
  std::optional<int64_t> value = ParseInteger(operand.substr(1));
  if (!value) {
    argument->error = "USDT argument `" + argument->text + "` is the address of `" +
                      std::string(operand.substr(1)) +
                      "`, and symbol constants are not supported yet";
    return;
  }
  argument->kind = UsdtArgumentKind::kConstant;
  argument->constant = *value;
}

}  // namespace

UsdtArgument ParseUsdtArgument(std::string_view text) {
  UsdtArgument argument;
  argument.text = std::string(text);
  const std::string prefix = "USDT argument `" + argument.text + "` ";

  // The `[-]SIZE@` prefix.
  size_t at = text.find('@');
  if (at == std::string_view::npos) {
    argument.error = prefix + "is invalid: it lacks the `SIZE@` prefix, as in `8@%rdi`";
    return argument;
  }
  std::string_view size = text.substr(0, at);
  argument.is_signed = !size.empty() && size.front() == '-';
  if (argument.is_signed) size.remove_prefix(1);
  if (size != "1" && size != "2" && size != "4" && size != "8") {
    argument.error = prefix + "is invalid: its size must be 1, 2, 4 or 8 bytes";
    return argument;
  }
  argument.size = static_cast<uint8_t>(size.front() - '0');

  // The operand, by its first character.
  std::string_view operand = text.substr(at + 1);
  if (operand.empty()) {
    argument.error = prefix + "is invalid: it has no operand after `@`";
    return argument;
  }
  if (operand.front() == '$') {
    ReadConstantOperand(operand, &argument);
    return argument;
  }
  if (operand.front() == '%' && operand.find(':') != std::string_view::npos) {
    argument.error = prefix + "uses a segment register, which is not supported yet";
    return argument;
  }
  if (operand.front() == '%') {
    ReadRegisterOperand(operand, &argument);
    return argument;
  }
  if (operand.find('(') != std::string_view::npos) {
    ReadMemoryOperand(operand, &argument);
    return argument;
  }
  argument.error =
      prefix + "reads memory at a fixed address, which is not supported yet";
  return argument;
}

std::vector<UsdtArgument> ParseUsdtArguments(std::string_view text) {
  std::vector<UsdtArgument> arguments;
  size_t start = 0;
  while (start < text.size()) {
    if (std::isspace(static_cast<unsigned char>(text[start]))) {
      ++start;
      continue;
    }
    size_t end = start;
    while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end]))) ++end;
    arguments.push_back(ParseUsdtArgument(text.substr(start, end - start)));
    start = end;
  }
  return arguments;
}

}  // namespace nubpf::compiler
