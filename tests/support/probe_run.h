// Runs a probe file for one child process: compiles it, starts nubpf-run
// with JSON output, makes a child with a known comm call getppid(2) and
// collects the JSON lines that follow.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "nlohmann/json.hpp"

namespace nubpf::testing {

struct ProbeRun {
  // Empty when the probe compiled, attached and nubpf-run stopped cleanly;
  // otherwise what failed, with nubpfc's or nubpf-run's messages.
  std::string error;
  std::vector<std::string> lines;
};

// Writes `text` to a probe file and runs it as above, reading until
// `expected_lines` lines arrived or none came for 10 seconds.
ProbeRun RunProbeForChild(const std::string& text, const char* comm,
                          size_t expected_lines = 1);

// As RunProbeForChild, with `run_child` in place of CallGetppidAs: it runs
// a child process to its end and returns false when the child failed.
// `nubpfc_flags` go to nubpfc, such as `--btf FILE`.
ProbeRun RunProbeWithChild(const std::string& text, const std::function<bool()>& run_child,
                           size_t expected_lines = 1,
                           const std::vector<std::string>& nubpfc_flags = {});

// Reads lines of the form `{"eN": VALUE}`, which probes that send one
// expression per event use, into VALUE by N. A line of another form sets
// `error`.
std::map<size_t, nlohmann::json> ValuesByIndex(const std::vector<std::string>& lines,
                                               std::string* error);

}  // namespace nubpf::testing
