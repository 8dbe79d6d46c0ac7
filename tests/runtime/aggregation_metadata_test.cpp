// The version 3 lines of the `.nubpf` metadata: aggregations, their keys
// and linear ranges, stores and globals.
#include <gtest/gtest.h>

#include <string>

#include "runtime/metadata.h"

namespace nubpf::runtime {
namespace {

constexpr const char* kHeader =
    "nubpf\t3\n"
    "program\tprobe\ttracepoint:syscalls:sys_enter_read\t1\t1\n"
    "attach\tprobe\tsection\n";

constexpr const char* kAggregations =
    "aggregation\tcount\tcount\t2\t5\t-\t0\t1\t-\n"
    "aggregation\tsum_bytes_by_comm_pid\tsum\t3\t5\tfilesize\t24\t4096\t0\n"
    "key\tsum_bytes_by_comm_pid\tcomm\tstring\t0\t16\n"
    "key\tsum_bytes_by_comm_pid\tpid\tu32\t16\t4\n"
    "aggregation\tlatency\tlinear\t4\t5\tduration\t8\t10240\t-\n"
    "key\tlatency\ttid\tu32\t0\t4\n"
    "linear\tlatency\t0\t1000000\t100000\n"
    "store\ttimer\t5\t5\t8\t10240\t1\n"
    "key\ttimer\ttid\tu32\t0\t4\n"
    "global\ttotal\ti64\t0\t8\n"
    "global\tbusy\tduration\t8\t8\n";

std::string ParseError(const std::string& lines) {
  ErrorOr<Metadata> metadata = ParseMetadata(std::string(kHeader) + lines);
  if (metadata.ok()) return "";
  return metadata.error().message;
}

TEST(AggregationMetadataTest, ParsesEveryLine) {
  ErrorOr<Metadata> metadata = ParseMetadata(std::string(kHeader) + kAggregations);
  ASSERT_TRUE(metadata.ok()) << metadata.error().message;
  EXPECT_EQ(metadata->version, 3);
  ASSERT_EQ(metadata->aggregations.size(), 3u);

  const AggregationInfo& count = metadata->aggregations[0];
  EXPECT_EQ(count.name, "count");
  EXPECT_EQ(count.kind, AggregationKind::kCount);
  EXPECT_EQ(count.value_type, FieldType::kU64);
  EXPECT_EQ(count.key_size, 0u);
  EXPECT_FALSE(count.drop_slot.has_value());

  const AggregationInfo& sum = metadata->aggregations[1];
  EXPECT_EQ(sum.kind, AggregationKind::kSum);
  EXPECT_EQ(sum.position.line, 3u);
  EXPECT_EQ(sum.value_type, FieldType::kFileSize);
  EXPECT_EQ(sum.key_size, 24u);
  EXPECT_EQ(sum.max_entries, 4096u);
  EXPECT_EQ(sum.drop_slot, std::optional<uint32_t>(0));
  ASSERT_EQ(sum.key.size(), 2u);
  EXPECT_EQ(sum.key[1].name, "pid");
  EXPECT_EQ(sum.key[1].type, FieldType::kU32);
  EXPECT_EQ(sum.key[1].offset, 16u);

  const AggregationInfo& linear = metadata->aggregations[2];
  EXPECT_EQ(linear.kind, AggregationKind::kLinear);
  ASSERT_TRUE(linear.linear.has_value());
  EXPECT_EQ(linear.linear->step, 100000);
  EXPECT_EQ(linear.linear->BucketCount(), 10u);

  ASSERT_EQ(metadata->stores.size(), 1u);
  EXPECT_EQ(metadata->stores[0].map, "timer");
  EXPECT_EQ(metadata->stores[0].drop_slot, std::optional<uint32_t>(1));
  EXPECT_EQ(metadata->stores[0].value_size, 8u);
  ASSERT_EQ(metadata->stores[0].key.size(), 1u);

  ASSERT_EQ(metadata->globals.size(), 2u);
  EXPECT_EQ(metadata->globals[1].name, "busy");
  EXPECT_EQ(metadata->globals[1].type, FieldType::kDuration);
  EXPECT_EQ(metadata->globals[1].offset, 8u);
}

TEST(AggregationMetadataTest, LinearRoundsBucketsUp) {
  EXPECT_EQ((LinearRange{0, 100, 30}.BucketCount()), 4u);
  EXPECT_EQ((LinearRange{-10, 10, 5}.BucketCount()), 4u);
}

TEST(AggregationMetadataTest, RejectsBadAggregationLines) {
  EXPECT_NE(ParseError("aggregation\tx\tmedian\t1\t1\ti64\t0\t1\t-\n")
                .find("unknown KIND `median`"),
            std::string::npos);
  EXPECT_NE(ParseError("aggregation\tx\tcount\t1\t1\ti64\t0\t1\t-\n")
                .find("a count has `-`"),
            std::string::npos);
  EXPECT_NE(ParseError("aggregation\tx\tsum\t1\t1\tstring\t0\t1\t-\n")
                .find("expected `i64`, `duration` or `filesize`"),
            std::string::npos);
  EXPECT_NE(ParseError("aggregation\tx\tsum\t1\t1\ti64\t0\t1\t3\n")
                .find("a keyless map cannot drop"),
            std::string::npos);
  EXPECT_NE(ParseError("aggregation\tx\tsum\t1\t1\ti64\t0\t1\n")
                .find("needs 8 tab-separated values"),
            std::string::npos);
  EXPECT_NE(ParseError("aggregation\tx\tsum\t1\t1\ti64\t0\t1\t-\n"
                       "aggregation\tx\tmax\t1\t1\ti64\t0\t1\t-\n")
                .find("map `x` is already described at line 4"),
            std::string::npos);
}

TEST(AggregationMetadataTest, RejectsBadKeys) {
  EXPECT_NE(ParseError("aggregation\tx\tsum\t1\t1\ti64\t8\t1\t0\n")
                .find("map `x` has a 8-byte key but no `key` lines"),
            std::string::npos);
  EXPECT_NE(ParseError("aggregation\tx\tsum\t1\t1\ti64\t8\t1\t0\n"
                       "key\tx\tpid\tu32\t6\t4\n")
                .find("covers bytes 6..10, outside its 8-byte key"),
            std::string::npos);
  EXPECT_NE(ParseError("aggregation\tx\tsum\t1\t1\ti64\t8\t1\t0\n"
                       "key\ty\tpid\tu32\t0\t4\n")
                .find("does not follow the `aggregation` or `store` line of `y`"),
            std::string::npos);
  EXPECT_NE(ParseError("aggregation\tx\tsum\t1\t1\ti64\t8\t1\t0\n"
                       "key\tx\tpid\tu32\t0\t8\n")
                .find("`pid` has type `u32` but size 8"),
            std::string::npos);
  EXPECT_NE(ParseError("aggregation\tx\tsum\t1\t1\ti64\t0\t1\t-\n"
                       "key\tx\tpid\tu32\t0\t4\n")
                .find("keyless map `x` has `key` lines"),
            std::string::npos);
}

TEST(AggregationMetadataTest, RejectsBadLinearLines) {
  EXPECT_NE(ParseError("aggregation\tx\tlinear\t1\t1\ti64\t0\t1\t-\n")
                .find("linear histogram `x` has no `linear` line"),
            std::string::npos);
  EXPECT_NE(ParseError("aggregation\tx\tlinear\t1\t1\ti64\t0\t1\t-\n"
                       "linear\tx\t10\t0\t1\n")
                .find("expected MIN < MAX, STEP > 0"),
            std::string::npos);
  EXPECT_NE(ParseError("aggregation\tx\tlinear\t1\t1\ti64\t0\t1\t-\n"
                       "linear\tx\t0\t1001\t1\n")
                .find("at most 1000 buckets"),
            std::string::npos);
  EXPECT_NE(ParseError("aggregation\tx\thistogram\t1\t1\ti64\t0\t1\t-\n"
                       "linear\tx\t0\t10\t1\n")
                .find("does not follow the `aggregation` line of a linear"),
            std::string::npos);
}

// Version 5 stores end with VALUE-SIZE, which a string store makes other
// than 8.
TEST(AggregationMetadataTest, StoreValueSize) {
  ErrorOr<Metadata> metadata =
      ParseMetadata(std::string(kHeader) + "store\tpath\t1\t1\t8\t10\t0\t264\n" +
                    "key\tpath\ttid\ti64\t0\t8\n");
  ASSERT_TRUE(metadata.ok()) << metadata.error().message;
  ASSERT_EQ(metadata->stores.size(), 1u);
  EXPECT_EQ(metadata->stores[0].value_size, 264u);

  EXPECT_NE(ParseError("store\ts\t1\t1\t8\t10\t-\t0\n").find("VALUE-SIZE 0"),
            std::string::npos);
  EXPECT_NE(ParseError("store\ts\t1\t1\t8\t10\t-\t12\n").find("multiple of 8"),
            std::string::npos);
}

TEST(AggregationMetadataTest, RejectsBadStoresAndGlobals) {
  EXPECT_NE(ParseError("store\ts\t1\t1\t0\t10\t-\n").find("a store is keyed"),
            std::string::npos);
  EXPECT_NE(ParseError("global\tg\tstring\t0\t8\n").find("global `g` has TYPE `string`"),
            std::string::npos);
  EXPECT_NE(ParseError("global\tg\ti64\t0\t4\n").find("`g` has type `i64` but size 4"),
            std::string::npos);
  EXPECT_NE(ParseError("global\tg\ti64\t0\t8\nglobal\tg\ti64\t8\t8\n")
                .find("global `g` is already described at line 4"),
            std::string::npos);
}

}  // namespace
}  // namespace nubpf::runtime
