// Runs a sample from samples/ against a workload, as a user would: compile
// it, start nubpf-run, wait until it attached, run the workload and stop
// nubpf-run with Ctrl-C, which prints the aggregations.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "nlohmann/json.hpp"

namespace nubpf::testing {

struct SampleRun {
  // Empty when the sample compiled, attached, the workload succeeded and
  // nubpf-run exited with 0; otherwise what failed, with the tools' messages.
  std::string error;
  std::string output;
  std::string stderr_text;
};

// Runs the probe file `source` with `run_flags` after the object on
// nubpf-run's command line, and `workload` once it attached; `workload`
// returns false when it failed.
SampleRun RunProbeFile(const std::string& source, const std::vector<std::string>& run_flags,
                       const std::function<bool()>& workload);

// RunProbeFile() for samples/`sample`.nu.
SampleRun RunSample(const std::string& sample, const std::vector<std::string>& run_flags,
                    const std::function<bool()>& workload);

// Parses `--format json` output, one record a line, and returns the records
// of the aggregation `name` in the order printed. A line that is not a JSON
// object sets `error`.
std::vector<nlohmann::json> AggregationRecords(const std::string& output,
                                               const std::string& name, std::string* error);

// Parses `--format json` output and returns the events, the records that
// belong to no aggregation or global, in the order printed. A line that is
// not a JSON object sets `error`.
std::vector<nlohmann::json> EventRecords(const std::string& output, std::string* error);

// Splits a line of a table that nubpf-run printed into its words, because
// the columns are padded to their widest cell.
std::vector<std::string> Words(const std::string& line);

}  // namespace nubpf::testing
