// Golden files: a folder of NAME.nu inputs, each with the expected output of
// one stage in NAME.EXTENSION beside it. Header-only, so that the frontend
// and compiler test binaries use it without linking the tools' helpers.
//
// With NUBPF_UPDATE_GOLDEN=1 in the environment, a comparison writes the
// actual output to the expected file instead of checking it.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace nubpf::testing {

// Returns the folder `tests/golden/KIND` of the source tree.
inline std::string GoldenFolder(const std::string& kind) {
  return std::string(NUBPF_SOURCE_DIR) + "/tests/golden/" + kind;
}

// Returns NAME for every NAME.nu in `folder`, sorted, so test names and
// their order do not depend on the file system.
inline std::vector<std::string> ListGoldenCases(const std::string& folder) {
  std::vector<std::string> names;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
    if (entry.path().extension() == ".nu") {
      names.push_back(entry.path().stem().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

// Returns the contents of `path`, or an empty string when it cannot be read.
inline std::string ReadGoldenFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline bool UpdatingGoldenFiles() {
  const char* update = std::getenv("NUBPF_UPDATE_GOLDEN");
  return update != nullptr && std::string(update) == "1";
}

// Expects `actual` to equal the contents of `expected_path`, or writes it
// there when NUBPF_UPDATE_GOLDEN=1.
inline void ExpectGolden(const std::string& expected_path,
                         const std::string& actual) {
  if (UpdatingGoldenFiles()) {
    std::ofstream(expected_path, std::ios::binary | std::ios::trunc) << actual;
    return;
  }
  ASSERT_TRUE(std::filesystem::exists(expected_path))
      << expected_path
      << " is missing; run the test with NUBPF_UPDATE_GOLDEN=1 to write it";
  EXPECT_EQ(ReadGoldenFile(expected_path), actual)
      << "output differs from " << expected_path
      << "; if the change is intended, rerun with NUBPF_UPDATE_GOLDEN=1 and "
         "review the diff";
}

}  // namespace nubpf::testing
