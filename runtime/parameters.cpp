#include "runtime/parameters.h"

#include <fmt/core.h>

#include <cctype>
#include <cstring>
#include <optional>
#include <set>

#include "runtime/target_options.h"

namespace nubpf::runtime {
namespace {

struct UnitScale {
  const char* suffix;
  int64_t scale;
};

// Nushell's duration units, in nanoseconds.
constexpr UnitScale kDurationUnits[] = {
    {"ns", 1},
    {"us", 1000},
    {"µs", 1000},
    {"ms", 1000 * 1000},
    {"sec", int64_t{1000} * 1000 * 1000},
    {"min", int64_t{60} * 1000 * 1000 * 1000},
    {"hr", int64_t{3600} * 1000 * 1000 * 1000},
    {"day", int64_t{24} * 3600 * 1000 * 1000 * 1000},
    {"wk", int64_t{7} * 24 * 3600 * 1000 * 1000 * 1000},
};

// Nushell's file size units, in bytes; they are case-insensitive.
constexpr UnitScale kFileSizeUnits[] = {
    {"b", 1},
    {"kb", 1000},
    {"mb", 1000 * 1000},
    {"gb", int64_t{1000} * 1000 * 1000},
    {"tb", int64_t{1000} * 1000 * 1000 * 1000},
    {"pb", int64_t{1000} * 1000 * 1000 * 1000 * 1000},
    {"eb", int64_t{1000} * 1000 * 1000 * 1000 * 1000 * 1000},
    {"kib", int64_t{1} << 10},
    {"mib", int64_t{1} << 20},
    {"gib", int64_t{1} << 30},
    {"tib", int64_t{1} << 40},
    {"pib", int64_t{1} << 50},
    {"eib", int64_t{1} << 60},
};

// Splits `text` into a signed decimal number, `_` allowed between digits,
// and the rest. Returns nullopt without digits or when it overflows.
std::optional<int64_t> ReadNumber(std::string_view text, std::string_view* rest) {
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  uint64_t magnitude = 0;
  bool any_digit = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '_' && any_digit) continue;
    if (c < '0' || c > '9') break;
    any_digit = true;
    if (__builtin_mul_overflow(magnitude, uint64_t{10}, &magnitude) ||
        __builtin_add_overflow(magnitude, uint64_t(c - '0'), &magnitude)) {
      return std::nullopt;
    }
  }
  uint64_t limit = negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
  if (!any_digit || magnitude > limit) return std::nullopt;
  *rest = text.substr(i);
  return negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
}

std::optional<int64_t> ParseInt(std::string_view text) {
  std::string_view rest;
  std::optional<int64_t> number = ReadNumber(text, &rest);
  if (!number || !rest.empty()) return std::nullopt;
  return number;
}

// A number with one of `units`; a bare number when `bare_unit` is set.
std::optional<int64_t> ParseWithUnit(std::string_view text, const UnitScale* units,
                                     size_t unit_count, bool ignore_case,
                                     std::optional<int64_t> bare_unit) {
  std::string_view suffix;
  std::optional<int64_t> number = ReadNumber(text, &suffix);
  if (!number) return std::nullopt;
  std::string unit(suffix);
  if (ignore_case) {
    for (char& c : unit) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  std::optional<int64_t> scale;
  if (unit.empty()) scale = bare_unit;
  for (size_t i = 0; i < unit_count; ++i) {
    if (unit == units[i].suffix) scale = units[i].scale;
  }
  int64_t value = 0;
  if (!scale || __builtin_mul_overflow(*number, *scale, &value)) return std::nullopt;
  return value;
}

std::string Int64Bytes(int64_t value) {
  std::string bytes(8, '\0');
  std::memcpy(bytes.data(), &value, 8);
  return bytes;
}

// Converts `text` to the bytes of `parameter`, or returns the error.
ErrorOr<std::string> EncodeValue(const ParameterInfo& parameter, std::string_view text) {
  auto invalid = [&](std::string expected, std::string help) {
    return UsageError(fmt::format("invalid value `{}` for --{}: expected {}", text,
                                  parameter.name, expected),
                      std::move(help));
  };
  switch (parameter.type) {
    case FieldType::kBool:
      if (text == "true" || text == "false") return std::string(1, text == "true" ? 1 : 0);
      return invalid("`true` or `false`",
                     fmt::format("pass `--{}` alone for true", parameter.name));
    case FieldType::kString:
      if (text.size() + 1 > parameter.size) {
        return UsageError(
            fmt::format("the value of --{} is {} bytes, but the object has room for {}",
                        parameter.name, text.size(), parameter.size - 1),
            "give a shorter value, or compile the probe file again with a larger "
            "`nubpfc --max-strlen`");
      }
      return std::string(text) + std::string(parameter.size - text.size(), '\0');
    case FieldType::kDuration: {
      std::optional<int64_t> value =
          ParseWithUnit(text, kDurationUnits, std::size(kDurationUnits),
                        /*ignore_case=*/false, /*bare_unit=*/std::nullopt);
      if (!value) {
        return invalid("a duration",
                       "give a whole number with a unit: `ns`, `us`, `ms`, `sec`, "
                       "`min`, `hr`, `day` or `wk`, such as `500ms`");
      }
      return Int64Bytes(*value);
    }
    case FieldType::kFileSize: {
      std::optional<int64_t> value = ParseFileSize(text);
      if (!value) {
        return invalid("a file size",
                       "give a whole number of bytes, or with a unit such as `4kb` "
                       "or `4kib`");
      }
      return Int64Bytes(*value);
    }
    default: {
      std::optional<int64_t> value = ParseInt(text);
      if (!value) return invalid("an int", "give a whole number such as `42` or `-1`");
      return Int64Bytes(*value);
    }
  }
}

std::string FlagList(const std::vector<ParameterInfo>& parameters) {
  std::string list;
  for (const ParameterInfo& parameter : parameters) {
    list += (list.empty() ? "--" : ", --") + parameter.name;
  }
  return list;
}

const ParameterInfo* FindParameter(const std::vector<ParameterInfo>& parameters,
                                   std::string_view name) {
  for (const ParameterInfo& parameter : parameters) {
    if (parameter.name == name) return &parameter;
  }
  return nullptr;
}

}  // namespace

std::optional<int64_t> ParseFileSize(std::string_view text) {
  return ParseWithUnit(text, kFileSizeUnits, std::size(kFileSizeUnits),
                       /*ignore_case=*/true, /*bare_unit=*/1);
}

ErrorOr<std::vector<ParameterValue>> ParseParameterArguments(
    const std::vector<ParameterInfo>& parameters, const std::vector<std::string>& words) {
  std::vector<ParameterValue> values;
  std::set<std::string> given;
  // The bool parameter given alone just before this word, if any.
  const ParameterInfo* previous_switch = nullptr;
  for (size_t i = 0; i < words.size(); ++i) {
    std::string_view word = words[i];
    if (word.substr(0, 2) != "--" || word.size() == 2) {
      if (previous_switch != nullptr) {
        return UsageError(
            fmt::format("--{} is a bool, which takes `true` or `false`, not `{}`",
                        previous_switch->name, word),
            fmt::format("write `--{0}` alone for true, or `--{0} false`",
                        previous_switch->name));
      }
      return UsageError(fmt::format("unexpected argument `{}`", word),
                        "nubpf-run takes one object, then its parameters as "
                        "`--NAME VALUE`");
    }
    previous_switch = nullptr;

    // `--name=value` or `--name value`.
    std::string_view name = word.substr(2);
    std::optional<std::string_view> text;
    if (size_t equals = name.find('='); equals != std::string_view::npos) {
      text = name.substr(equals + 1);
      name = name.substr(0, equals);
    }
    const ParameterInfo* parameter = FindParameter(parameters, name);
    if (parameter == nullptr) {
      return UsageError(
          fmt::format("unknown flag `--{}`", name),
          parameters.empty()
              ? "the object has no parameters; see `nubpf-run --help` for the options"
              : fmt::format("the object's parameters are {}; see `nubpf-run OBJECT "
                            "--help`",
                            FlagList(parameters)));
    }
    if (!given.insert(parameter->name).second) {
      return UsageError(fmt::format("--{} is given twice", parameter->name),
                        "give each parameter once");
    }

    // A bool takes `true` or `false` only when they follow; alone it is true.
    bool is_bool = parameter->type == FieldType::kBool;
    if (!text && is_bool) {
      bool next_is_bool = i + 1 < words.size() &&
                          (words[i + 1] == "true" || words[i + 1] == "false");
      text = next_is_bool ? std::string_view(words[++i]) : std::string_view("true");
      if (!next_is_bool) previous_switch = parameter;
    }
    if (!text) {
      if (i + 1 >= words.size()) {
        return UsageError(fmt::format("--{} needs a value", parameter->name),
                          fmt::format("give a {}, as in `--{} {}`",
                                      ParameterTypeLabel(parameter->type), parameter->name,
                                      parameter->default_text));
      }
      text = words[++i];
    }

    ErrorOr<std::string> bytes = EncodeValue(*parameter, *text);
    if (!bytes) return bytes.TakeError();
    values.push_back({parameter->name, parameter->offset, std::move(*bytes)});
  }
  return values;
}

const char* ParameterTypeLabel(FieldType type) {
  switch (type) {
    case FieldType::kBool:
      return "bool";
    case FieldType::kString:
      return "string";
    case FieldType::kDuration:
      return "duration";
    case FieldType::kFileSize:
      return "filesize";
    default:
      return "int";
  }
}

std::string ParameterHelp(const std::vector<ParameterInfo>& parameters) {
  if (parameters.empty()) return "";
  std::string help = "Parameters of this object, given after it (its `def main` flags):\n";
  for (const ParameterInfo& parameter : parameters) {
    std::string flag = "--" + parameter.name;
    if (parameter.type != FieldType::kBool) {
      flag += fmt::format(" {}", ParameterTypeLabel(parameter.type));
    }
    help += fmt::format("  {:<28} default: {}{}\n", flag, parameter.default_text,
                        parameter.name == kTargetPidParameter ? "; -c and -p set it to their pid" : "");
  }
  return help;
}

}  // namespace nubpf::runtime
