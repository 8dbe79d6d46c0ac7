#include "tests/support/nushell.h"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <tuple>

#include "nlohmann/json.hpp"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

constexpr char kUseModule[] = "use nubpf *\n";

// `nu --ide-check` stops after this many diagnostics.
constexpr char kMaxDiagnostics[] = "1000";

bool UsesModule(const std::string& source) {
  static const std::regex use_line(R"((^|\n)[ \t]*use[ \t]+nubpf\b)");
  return std::regex_search(source, use_line);
}

// Byte offsets where each line of `text` starts.
std::vector<size_t> LineStarts(const std::string& text) {
  std::vector<size_t> starts{0};
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') starts.push_back(i + 1);
  }
  return starts;
}

// Reads one line of `nu --ide-check` output. nu 0.115 prints one JSON object
// per line: `{"type":"diagnostic","severity":"Error","message":"...",
// "span":{"start":10,"end":11}}` for each problem and `{"type":"hint",...}`
// for each inferred type, with spans as byte offsets into the checked file.
// Spans past its end lie in a module it loaded.
bool ReadDiagnostic(const std::string& line, size_t prefix_length,
                    const std::string& checked, NuDiagnostic* out,
                    bool* is_diagnostic) {
  nlohmann::json entry = nlohmann::json::parse(line, nullptr,
                                               /*allow_exceptions=*/false);
  if (!entry.is_object() || !entry.contains("type")) return false;
  *is_diagnostic = entry["type"] == "diagnostic";
  if (!*is_diagnostic) return true;

  nlohmann::json span = entry.value("span", nlohmann::json::object());
  nlohmann::json start_offset = span.value("start", nlohmann::json());
  if (!entry["message"].is_string() || !entry["severity"].is_string() ||
      !start_offset.is_number_unsigned()) {
    return false;
  }
  out->severity = entry["severity"];
  out->message = entry["message"];

  size_t start = start_offset.get<size_t>();
  if (start < prefix_length) {
    out->outside = "in the `use nubpf *` line that the check adds";
    return true;
  }
  if (start > checked.size()) {
    out->outside = "in a module that the file uses";
    return true;
  }
  std::vector<size_t> starts = LineStarts(checked);
  auto line_start = std::upper_bound(starts.begin(), starts.end(), start) - 1;
  out->line = static_cast<int>(line_start - starts.begin()) + 1;
  out->column = static_cast<int>(start - *line_start) + 1;
  return true;
}

}  // namespace

std::string NuPath() {
  std::string path = NUBPF_NU_PATH;
  if (path.empty() || access(path.c_str(), X_OK) != 0) return "";
  return path;
}

NuCheckResult CheckWithNushell(const std::string& source, const std::string& name,
                               int first_line) {
  NuCheckResult result;
  if (NuPath().empty()) {
    result.failure = kNuMissing;
    return result;
  }

  // nu --ide-check reads a file, and prints nothing at all when the file is
  // missing, so the text goes through a temporary copy.
  std::string prefix = UsesModule(source) ? "" : kUseModule;
  std::string checked = prefix + source;
  TempDir dir;
  std::string path = dir.File("probe.nu");
  std::ofstream(path) << checked;

  // -n keeps the user's config out. nu exits 0 whatever it finds.
  RunResult run = RunToExit({NuPath(), "-n", "--include-path", SourcePath("tools"),
                             "--ide-check", kMaxDiagnostics, path});
  if (run.exit_code != 0) {
    result.failure = name + ": nu --ide-check exited with " +
                     std::to_string(run.exit_code) + ": " + run.err;
    return result;
  }

  int prefix_lines = prefix.empty() ? 0 : 1;
  size_t at = 0;
  while (at < run.out.size()) {
    size_t newline = run.out.find('\n', at);
    if (newline == std::string::npos) newline = run.out.size();
    std::string line = run.out.substr(at, newline - at);
    at = newline + 1;
    if (line.empty()) continue;

    NuDiagnostic diagnostic;
    bool is_diagnostic = false;
    if (!ReadDiagnostic(line, prefix.size(), checked, &diagnostic, &is_diagnostic)) {
      result.failure = name + ": unexpected output from nu --ide-check: " + line;
      return result;
    }
    if (!is_diagnostic) continue;
    diagnostic.file = name;
    if (diagnostic.line > 0) diagnostic.line += first_line - 1 - prefix_lines;
    result.diagnostics.push_back(diagnostic);
  }

  auto key = [](const NuDiagnostic& d) {
    return std::tie(d.line, d.column, d.severity, d.message);
  };
  std::sort(
      result.diagnostics.begin(), result.diagnostics.end(),
      [&](const NuDiagnostic& a, const NuDiagnostic& b) { return key(a) < key(b); });
  auto repeats = std::unique(
      result.diagnostics.begin(), result.diagnostics.end(),
      [&](const NuDiagnostic& a, const NuDiagnostic& b) { return key(a) == key(b); });
  result.diagnostics.erase(repeats, result.diagnostics.end());
  return result;
}

RunResult EvaluateWithNushell(const std::string& expression) {
  if (NuPath().empty()) return {/*exit_code=*/-1, "", kNuMissing};
  return RunToExit(
      {NuPath(), "-n", "--no-std-lib", "-c", "(" + expression + ") | to json --raw"});
}

std::string FormatNuErrors(const NuCheckResult& result) {
  std::string text;
  if (!result.failure.empty()) text += result.failure + "\n";
  for (const NuDiagnostic& diagnostic : result.diagnostics) {
    if (diagnostic.severity != "Error") continue;
    // NOTE: Nushell rejects a closure that captures a `mut`, so every probe
    // that uses a nubpf global (a top-level `mut`) gets this error. The
    // globals are nubpf's own extension, and this one error is expected.
    if (diagnostic.message == "Capture of mutable variable.") continue;
    if (diagnostic.line == 0) {
      text += diagnostic.file + ": " + diagnostic.outside + ": " + diagnostic.message +
              "\n";
      continue;
    }
    text += diagnostic.file + ":" + std::to_string(diagnostic.line) + ":" +
            std::to_string(diagnostic.column) + ": " + diagnostic.message + "\n";
  }
  return text;
}

}  // namespace nubpf::testing
