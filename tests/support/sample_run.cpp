#include "tests/support/sample_run.h"

#include <signal.h>

#include <chrono>
#include <sstream>

#include "tests/support/subprocess.h"

namespace nubpf::testing {

using std::chrono::seconds;

SampleRun RunProbeFile(const std::string& source, const std::vector<std::string>& run_flags,
                       const std::function<bool()>& workload) {
  SampleRun result;
  TempDir dir;
  std::string object = dir.File("probe.bpf.o");
  result.error = Compile(source, object);
  if (!result.error.empty()) return result;

  std::vector<std::string> argv = {NubpfRunPath(), object};
  argv.insert(argv.end(), run_flags.begin(), run_flags.end());
  Subprocess run(argv);
  // A loaded machine can take long to load and attach the programs.
  if (!run.WaitForStderr("attached", seconds(30))) {
    result.error = "nubpf-run did not attach:\n" + run.stderr_text();
    return result;
  }

  bool workload_done = workload();

  int exit_code = run.Stop(SIGINT);
  result.output = run.ReadRemaining(seconds(5));
  // Reads the rest of stderr, which has the drop reports.
  run.WaitForStderr("\x01never", seconds(2));
  result.stderr_text = run.stderr_text();
  if (!workload_done) {
    result.error = "the workload failed";
  } else if (exit_code != 0) {
    result.error = "nubpf-run exited with " + std::to_string(exit_code) + ":\n" +
                   result.stderr_text;
  }
  return result;
}

SampleRun RunSample(const std::string& sample, const std::vector<std::string>& run_flags,
                    const std::function<bool()>& workload) {
  return RunProbeFile(SourcePath("samples/" + sample + ".nu"), run_flags, workload);
}

std::vector<nlohmann::json> AggregationRecords(const std::string& output,
                                               const std::string& name, std::string* error) {
  std::vector<nlohmann::json> records;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    nlohmann::json record = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!record.is_object()) {
      *error += "not a JSON object: " + line + "\n";
      continue;
    }
    if (record.value("aggregation", "") == name) records.push_back(std::move(record));
  }
  return records;
}

std::vector<nlohmann::json> EventRecords(const std::string& output, std::string* error) {
  std::vector<nlohmann::json> records;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    nlohmann::json record = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!record.is_object()) {
      *error += "not a JSON object: " + line + "\n";
      continue;
    }
    if (record.contains("aggregation") || record.contains("global")) continue;
    records.push_back(std::move(record));
  }
  return records;
}

std::vector<std::string> Words(const std::string& line) {
  std::istringstream stream(line);
  std::vector<std::string> words;
  for (std::string word; stream >> word;) words.push_back(word);
  return words;
}

}  // namespace nubpf::testing
