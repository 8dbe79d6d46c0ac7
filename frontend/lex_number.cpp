// Numbers: integers in four bases, floats (which the parser rejects), and
// durations and file sizes folded to integer nanoseconds and bytes.
//
//   1_000 -> 1000    0x2a -> 42    5ms -> 5000000 (unit "ms")
//   1.5sec -> 1500000000 (unit "sec")    4KiB -> 4096 (unit "kib")
#include <string_view>

#include "frontend/lexer_internal.h"

namespace nubpf::frontend {
namespace {

constexpr uint64_t kMaxUnitValue = 9223372036854775807ull;  // 2^63 - 1

int HexDigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

struct Unit {
  std::string_view name;
  uint64_t factor;  // nanoseconds or bytes in one unit
  bool is_duration;
};

// Nushell's units. Durations are matched exactly and file sizes in any case,
// as nu-parser's `parse_duration` and `parse_filesize` do: `10KB`, `10kb`
// and `10Kib` are all valid, `5SEC` is not.
constexpr Unit kUnits[] = {
    {"ns", 1, true},
    {"us", 1000, true},
    {"ms", 1000 * 1000, true},
    {"sec", 1000ull * 1000 * 1000, true},
    {"min", 60ull * 1000 * 1000 * 1000, true},
    {"hr", 60ull * 60 * 1000 * 1000 * 1000, true},
    {"day", 24ull * 60 * 60 * 1000 * 1000 * 1000, true},
    {"wk", 7ull * 24 * 60 * 60 * 1000 * 1000 * 1000, true},
    {"b", 1, false},
    {"kb", 1000, false},
    {"mb", 1000ull * 1000, false},
    {"gb", 1000ull * 1000 * 1000, false},
    {"tb", 1000ull * 1000 * 1000 * 1000, false},
    {"pb", 1000ull * 1000 * 1000 * 1000 * 1000, false},
    {"eb", 1000ull * 1000 * 1000 * 1000 * 1000 * 1000, false},
    {"kib", 1ull << 10, false},
    {"mib", 1ull << 20, false},
    {"gib", 1ull << 30, false},
    {"tib", 1ull << 40, false},
    {"pib", 1ull << 50, false},
    {"eib", 1ull << 60, false},
};

const Unit* FindUnit(std::string_view written) {
  // `µs` (micro sign) and `μs` (Greek mu) are Nushell's other spellings of
  // `us`.
  if (written == "\xC2\xB5s" || written == "\xCE\xBCs") written = "us";

  std::string lower;
  for (char c : written) {
    lower += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  for (const Unit& unit : kUnits) {
    if (unit.is_duration ? written == unit.name : lower == unit.name) {
      return &unit;
    }
  }
  return nullptr;
}

// True for `e10`, `E+3` or `e-7`: the exponent of a float.
bool IsExponent(std::string_view suffix) {
  if (suffix.size() < 2 || (suffix[0] != 'e' && suffix[0] != 'E')) {
    return false;
  }
  size_t at = 1;
  if (suffix[at] == '+' || suffix[at] == '-') ++at;
  if (at == suffix.size()) return false;
  for (; at < suffix.size(); ++at) {
    if (!IsDigit(suffix[at]) && suffix[at] != '_') return false;
  }
  return true;
}

}  // namespace

// True when the number being read is a cell path member, as the `0` in
// `$list.0`: right after a `.` with no space between.
bool Lexer::AfterCellPathDot() const {
  return !space_before_ && !tokens_.empty() &&
         tokens_.back().kind == TokenKind::kDot;
}

// number = digits [ "." digits ] [ exponent | unit ] | based-integer
//
// The whole run of letters and digits is read first, so `10kb` is one
// token rather than `10` and a word. A fraction is read only where it
// cannot be a cell path or a range: `$l.0.1` is two members and `1..5` a
// range.
void Lexer::LexNumber() {
  size_t begin = pos_;
  bool member = AfterCellPathDot();
  auto read_alnum = [&] {
    while (!AtEnd() && (IsLetter(text_[pos_]) || IsDigit(text_[pos_]))) ++pos_;
  };
  read_alnum();

  // `$e.1st` is a member named `1st`, as in Nushell.
  std::string_view run = text_.substr(begin, pos_ - begin);
  if (member) {
    if (run.find_first_not_of("0123456789") != std::string_view::npos) {
      return AddSource(TokenKind::kWord, begin);
    }
    return LexDecimal(begin, run, "");
  }

  if (run.size() >= 2 && run[0] == '0') {
    char prefix = run[1];
    if (prefix == 'x' || prefix == 'X') return LexBasedInteger(begin, 16);
    if (prefix == 'o' || prefix == 'O') return LexBasedInteger(begin, 8);
    // `0b` alone is zero bytes in Nushell, a file size, not a binary prefix.
    bool binary = (prefix == 'b' || prefix == 'B') && run.size() > 2;
    if (binary) return LexBasedInteger(begin, 2);
  }

  // The fraction of `1.5`, `1.5sec` or `4.` (a float in Nushell).
  size_t digits_end = begin;
  auto skip_digits = [&] {
    while (IsDigit(At(digits_end)) || At(digits_end) == '_') ++digits_end;
  };
  skip_digits();
  if (digits_end == pos_ && At(pos_) == '.') {
    char after = At(pos_ + 1);
    if (IsDigit(after)) {
      digits_end = pos_ + 1;
      skip_digits();
      pos_ = digits_end;
      read_alnum();
    } else if (after == '\0' || IsSpace(after) || after == '\n' ||
               after == ')' || after == ']' || after == '}' || after == ',') {
      ++pos_;
      digits_end = pos_;
    }
  }

  // The sign of an exponent, as in `1e-7`, and the two-byte `µ` or `μ` of
  // `µs`.
  std::string_view suffix = text_.substr(digits_end, pos_ - digits_end);
  if ((suffix == "e" || suffix == "E") &&
      (At(pos_) == '-' || At(pos_) == '+') && IsDigit(At(pos_ + 1))) {
    ++pos_;
    read_alnum();
    suffix = text_.substr(digits_end, pos_ - digits_end);
  }
  bool micro = (At(pos_) == '\xC2' && At(pos_ + 1) == '\xB5') ||
               (At(pos_) == '\xCE' && At(pos_ + 1) == '\xBC');
  if (suffix.empty() && micro && At(pos_ + 2) == 's') {
    pos_ += 3;
    suffix = text_.substr(digits_end, pos_ - digits_end);
  }
  LexDecimal(begin, text_.substr(begin, digits_end - begin), suffix);
}

// Reads `0x2a`, `0o52` or `0b101010` with `_` separators.
void Lexer::LexBasedInteger(size_t begin, int base) {
  std::string_view spelling = text_.substr(begin, pos_ - begin);
  std::string_view digits = spelling.substr(2);
  uint64_t value = 0;
  bool valid = !digits.empty() && digits[0] != '_';
  bool overflow = false;
  bool any_digit = false;
  for (char digit : digits) {
    if (digit == '_') continue;
    int d = HexDigitValue(digit);
    if (d < 0 || d >= base) {
      valid = false;
      break;
    }
    any_digit = true;
    if (value > (UINT64_MAX - static_cast<uint64_t>(d)) / base) overflow = true;
    value = value * base + static_cast<uint64_t>(d);
  }

  AddSource(TokenKind::kInt, begin);
  Span span = tokens_.back().span;
  if (!valid || !any_digit) {
    diagnostics_.Error(
        span, "invalid integer literal `" + std::string(spelling) + "`");
    return;
  }
  if (overflow) {
    diagnostics_.Error(span, "integer literal `" + std::string(spelling) +
                                 "` does not fit in 64 bits");
    return;
  }
  tokens_.back().int_value = value;
}

// Reads a decimal number: `number` contains the digits and any fraction, and
// `suffix` what follows them (empty, an exponent or a unit).
void Lexer::LexDecimal(size_t begin, std::string_view number,
                       std::string_view suffix) {
  bool has_fraction = number.find('.') != std::string_view::npos;
  if (IsExponent(suffix) || (has_fraction && suffix.empty())) {
    return AddSource(TokenKind::kFloat, begin);
  }
  if (!suffix.empty()) return LexNumberWithUnit(begin, number, suffix);

  uint64_t value = 0;
  bool overflow = false;
  for (char digit : number) {
    if (digit == '_') continue;
    uint64_t d = static_cast<uint64_t>(digit - '0');
    if (value > (UINT64_MAX - d) / 10) overflow = true;
    value = value * 10 + d;
  }
  AddSource(TokenKind::kInt, begin);
  if (overflow) {
    diagnostics_.Error(tokens_.back().span, "integer literal `" +
                                                tokens_.back().text +
                                                "` does not fit in 64 bits");
    return;
  }
  tokens_.back().int_value = value;
}

// Folds `5ms` or `1.5KiB` to an integer count of the base unit, exactly.
// Worked example: `1.25sec` is 1 * 10^9 + 25 * 10^9 / 10^2 = 1250000000 ns.
// A value that is not a whole number of base units (`1.5b`), or that does
// not fit in Nushell's 64-bit signed durations and file sizes, is an error.
void Lexer::LexNumberWithUnit(size_t begin, std::string_view number,
                              std::string_view suffix) {
  AddSource(TokenKind::kInt, begin);
  Token& token = tokens_.back();
  const Unit* unit = FindUnit(suffix);
  if (unit == nullptr) {
    diagnostics_.Error(
        token.span,
        "unknown unit `" + std::string(suffix) + "` in `" + token.text + "`",
        "durations take `ns`, `us`, `ms`, `sec`, `min`, `hr`, `day` or `wk`, "
        "and file sizes `b`, `kb`, `mb`, `gb`, `tb`, `pb`, `eb`, `kib`, "
        "`mib`, `gib`, `tib`, `pib` or `eib`");
    return;
  }
  token.unit = unit->name;
  std::string what = unit->is_duration ? "duration" : "file size";

  // The whole part, then the fraction without trailing zeros.
  size_t dot = number.find('.');
  std::string_view whole = number.substr(0, dot);
  std::string fraction;
  if (dot != std::string_view::npos) {
    for (char c : number.substr(dot + 1)) {
      if (c != '_') fraction += c;
    }
  }
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();

  unsigned __int128 value = 0;
  for (char digit : whole) {
    if (digit == '_') continue;
    value = value * 10 + static_cast<unsigned>(digit - '0');
    if (value > kMaxUnitValue) break;
  }
  value *= unit->factor;

  // 18 fraction digits keep `fraction * factor` below 2^121.
  bool whole_number = fraction.size() <= 18;
  if (whole_number && !fraction.empty()) {
    unsigned __int128 scale = 1;
    unsigned __int128 numerator = 0;
    for (char digit : fraction) {
      numerator = numerator * 10 + static_cast<unsigned>(digit - '0');
      scale *= 10;
    }
    numerator *= unit->factor;
    whole_number = numerator % scale == 0;
    value += numerator / scale;
  }

  if (!whole_number) {
    diagnostics_.Error(token.span,
                       what + " `" + token.text +
                           "` is not a whole number of " +
                           (unit->is_duration ? "nanoseconds" : "bytes"),
                       "BPF programs have no floating point; write the value "
                       "with a smaller unit");
    return;
  }
  if (value > kMaxUnitValue) {
    diagnostics_.Error(
        token.span, what + " `" + token.text + "` does not fit in 64 bits",
        unit->is_duration
            ? "the longest duration is 9223372036854775807ns, about 292 years"
            : "the largest file size is 9223372036854775807b, 1 byte less "
              "than 8eib");
    return;
  }
  token.int_value = static_cast<uint64_t>(value);
}

}  // namespace nubpf::frontend
