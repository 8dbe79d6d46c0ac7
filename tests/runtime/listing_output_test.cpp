#include "runtime/listing_output.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace nubpf::runtime {
namespace {

std::vector<ListingRecord> SampleRecords() {
  ListingRecord probe{{{"kind", std::string("probe")},
                       {"name", std::string("sys_enter_openat")},
                       {"fallback", std::monostate{}}}};
  std::vector<ListingRecord> fields = {
      {{{"name", std::string("pid")}, {"type", std::string("u32")}}},
      {{{"name", std::string("comm")}, {"type", std::string("string")}}}};
  ListingRecord event{{{"kind", std::string("event")},
                       {"id", uint64_t{0}},
                       {"fields", std::move(fields)}}};
  return {probe, event};
}

std::string Print(OutputFormat format) {
  char* buffer = nullptr;
  size_t size = 0;
  std::FILE* out = open_memstream(&buffer, &size);
  PrintListing(SampleRecords(), format, out);
  std::fclose(out);
  std::string text(buffer, size);
  std::free(buffer);
  return text;
}

TEST(ListingOutput, JsonOneRecordPerLine) {
  EXPECT_EQ(Print(OutputFormat::kJson),
            "{\"kind\": \"probe\", \"name\": \"sys_enter_openat\", \"fallback\": null}\n"
            "{\"kind\": \"event\", \"id\": 0, \"fields\": [{\"name\": \"pid\", \"type\": "
            "\"u32\"}, {\"name\": \"comm\", \"type\": \"string\"}]}\n");
}

TEST(ListingOutput, NuonOneRecordPerLine) {
  std::string text = Print(OutputFormat::kNuon);
  EXPECT_NE(text.find("{\"kind\": \"probe\", \"name\": \"sys_enter_openat\", \"fallback\": "
                      "null}\n"),
            std::string::npos)
      << text;
}

TEST(ListingOutput, TablePerKindWithFieldLines) {
  EXPECT_EQ(Print(OutputFormat::kTable),
            "probes\n"
            "  name              fallback\n"
            "  sys_enter_openat  -\n"
            "\n"
            "events\n"
            "  id  fields\n"
            "   0  pid: u32\n"
            "      comm: string\n");
}

}  // namespace
}  // namespace nubpf::runtime
