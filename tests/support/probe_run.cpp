#include "tests/support/probe_run.h"

#include <signal.h>

#include <chrono>
#include <fstream>

#include "tests/support/subprocess.h"

namespace nubpf::testing {

using std::chrono::seconds;

ProbeRun RunProbeForChild(const std::string& text, const char* comm,
                          size_t expected_lines) {
  return RunProbeWithChild(
      text, [comm] { return CallGetppidAs(comm); }, expected_lines);
}

ProbeRun RunProbeWithChild(const std::string& text, const std::function<bool()>& run_child,
                           size_t expected_lines,
                           const std::vector<std::string>& nubpfc_flags) {
  ProbeRun result;
  TempDir dir;
  std::string source = dir.File("probe.nu");
  std::string object = dir.File("probe.bpf.o");
  std::ofstream(source) << text;
  std::string compile_error = Compile(source, object, nubpfc_flags);
  if (!compile_error.empty()) {
    result.error = compile_error + "\nthe probe file:\n" + text;
    return result;
  }

  Subprocess run({NubpfRunPath(), object, "--format", "json"});
  if (!run.WaitForStderr("attached", seconds(20))) {
    result.error = "nubpf-run did not attach:\n" + run.stderr_text();
    return result;
  }
  if (!run_child()) {
    result.error = "the child process failed";
    return result;
  }
  while (result.lines.size() < expected_lines) {
    std::optional<std::string> line = run.ReadLine(seconds(10));
    if (!line) break;
    result.lines.push_back(*line);
  }
  if (run.Stop(SIGINT) != 0) {
    result.error = "nubpf-run did not stop cleanly:\n" + run.stderr_text();
  } else if (result.lines.size() < expected_lines) {
    result.error = "expected " + std::to_string(expected_lines) + " lines, got " +
                   std::to_string(result.lines.size()) + ":\n" + run.stderr_text();
  }
  return result;
}

std::map<size_t, nlohmann::json> ValuesByIndex(const std::vector<std::string>& lines,
                                               std::string* error) {
  std::map<size_t, nlohmann::json> values;
  for (const std::string& line : lines) {
    nlohmann::json event = nlohmann::json::parse(line, nullptr, false);
    bool indexed = event.is_object() && event.size() == 1 &&
                   event.begin().key().size() > 1 && event.begin().key()[0] == 'e';
    if (!indexed) {
      *error += "not an indexed value: " + line + "\n";
      continue;
    }
    values[std::stoul(event.begin().key().substr(1))] = event.begin().value();
  }
  return values;
}

}  // namespace nubpf::testing
