#include "runtime/event_decoder.h"

#include <gtest/gtest.h>

#include <cstring>
#include <limits>
#include <string>

namespace nubpf::runtime {
namespace {

template <typename T>
std::string Bytes(T value) {
  std::string bytes(sizeof(T), '\0');
  std::memcpy(bytes.data(), &value, sizeof(T));
  return bytes;
}

// Writes `value` at `offset` of `record`.
template <typename T>
void Put(std::string& record, size_t offset, T value) {
  std::memcpy(record.data() + offset, &value, sizeof(T));
}

Metadata TwoFieldMetadata() {
  ErrorOr<Metadata> metadata = ParseMetadata(
      "nubpf\t1\n"
      "event\t5\t32\tprobe\t1\t1\n"
      "field\t5\tpid\tu32\t8\t4\n"
      "field\t5\tcomm\tstring\t12\t16\n");
  EXPECT_TRUE(metadata.ok());
  return *metadata;
}

TEST(DecodeValueTest, UnsignedExtremes) {
  EXPECT_EQ(
      std::get<uint64_t>(DecodeValue(FieldType::kU8, Bytes<uint8_t>(255))),
      255u);
  EXPECT_EQ(
      std::get<uint64_t>(DecodeValue(FieldType::kU16, Bytes<uint16_t>(65535))),
      65535u);
  EXPECT_EQ(std::get<uint64_t>(
                DecodeValue(FieldType::kU32, Bytes<uint32_t>(4294967295u))),
            4294967295u);
  EXPECT_EQ(std::get<uint64_t>(DecodeValue(
                FieldType::kU64,
                Bytes<uint64_t>(std::numeric_limits<uint64_t>::max()))),
            std::numeric_limits<uint64_t>::max());
}

TEST(DecodeValueTest, SignedExtremesKeepTheirSign) {
  EXPECT_EQ(std::get<int64_t>(DecodeValue(FieldType::kI8, Bytes<int8_t>(-128))),
            -128);
  EXPECT_EQ(
      std::get<int64_t>(DecodeValue(FieldType::kI16, Bytes<int16_t>(-32768))),
      -32768);
  EXPECT_EQ(std::get<int64_t>(DecodeValue(
                FieldType::kI32,
                Bytes<int32_t>(std::numeric_limits<int32_t>::min()))),
            std::numeric_limits<int32_t>::min());
  EXPECT_EQ(std::get<int64_t>(DecodeValue(
                FieldType::kI64,
                Bytes<int64_t>(std::numeric_limits<int64_t>::min()))),
            std::numeric_limits<int64_t>::min());
  EXPECT_EQ(std::get<int64_t>(DecodeValue(
                FieldType::kI64,
                Bytes<int64_t>(std::numeric_limits<int64_t>::max()))),
            std::numeric_limits<int64_t>::max());
}

TEST(DecodeValueTest, BoolIsAnyNonZeroByte) {
  EXPECT_FALSE(
      std::get<bool>(DecodeValue(FieldType::kBool, Bytes<uint8_t>(0))));
  EXPECT_TRUE(std::get<bool>(DecodeValue(FieldType::kBool, Bytes<uint8_t>(1))));
  EXPECT_TRUE(std::get<bool>(DecodeValue(FieldType::kBool, Bytes<uint8_t>(7))));
}

TEST(DecodeValueTest, StringEndsAtFirstNul) {
  std::string buffer("bash\0junk\0\0", 11);
  EXPECT_EQ(std::get<std::string>(DecodeValue(FieldType::kString, buffer)),
            "bash");
}

TEST(DecodeValueTest, StringFillingWholeBufferIsKept) {
  std::string buffer = "0123456789abcdef";
  EXPECT_EQ(std::get<std::string>(DecodeValue(FieldType::kString, buffer)),
            "0123456789abcdef");
}

TEST(DecodeValueTest, EmptyString) {
  std::string buffer(16, '\0');
  EXPECT_EQ(std::get<std::string>(DecodeValue(FieldType::kString, buffer)), "");
}

TEST(DecodeEventTest, DecodesFieldsInRecordOrder) {
  Metadata metadata = TwoFieldMetadata();
  std::string record(32, '\0');
  Put<uint32_t>(record, 0, 5);
  Put<uint32_t>(record, 8, 4242);
  std::memcpy(record.data() + 12, "bash", 4);

  ErrorOr<DecodedEvent> event = DecodeEvent(metadata, record);
  ASSERT_TRUE(event.ok()) << event.error().message;
  EXPECT_EQ(event->event->id, 5u);
  ASSERT_EQ(event->values.size(), 2u);
  EXPECT_EQ(std::get<uint64_t>(event->values[0]), 4242u);
  EXPECT_EQ(std::get<std::string>(event->values[1]), "bash");
}

TEST(DecodeEventTest, AcceptsRecordLongerThanEvent) {
  // The ring buffer may round a record up; the extra bytes are ignored.
  Metadata metadata = TwoFieldMetadata();
  std::string record(40, '\0');
  Put<uint32_t>(record, 0, 5);
  EXPECT_TRUE(DecodeEvent(metadata, record).ok());
}

TEST(DecodeEventTest, RejectsRecordShorterThanHeader) {
  Metadata metadata = TwoFieldMetadata();
  ErrorOr<DecodedEvent> event = DecodeEvent(metadata, std::string(4, '\0'));
  ASSERT_FALSE(event.ok());
  EXPECT_NE(event.error().message.find("record of 4 bytes is shorter than "
                                       "the 8-byte header"),
            std::string::npos)
      << event.error().message;
}

// Version 4 records have a 16-byte header that ends with the time.
Metadata TimedMetadata() {
  ErrorOr<Metadata> metadata = ParseMetadata(
      "nubpf\t4\n"
      "event\t5\t24\tprobe\t1\t1\n"
      "field\t5\tpid\tu32\t16\t4\n");
  EXPECT_TRUE(metadata.ok()) << metadata.error().message;
  return *metadata;
}

TEST(DecodeEventTest, ReadsTimeFromVersion4Header) {
  Metadata metadata = TimedMetadata();
  std::string record(24, '\0');
  Put<uint32_t>(record, 0, 5);
  Put<uint64_t>(record, 8, 123456789012345);
  Put<uint32_t>(record, 16, 4242);

  ErrorOr<DecodedEvent> event = DecodeEvent(metadata, record);
  ASSERT_TRUE(event.ok()) << event.error().message;
  ASSERT_TRUE(event->time_ns.has_value());
  EXPECT_EQ(*event->time_ns, 123456789012345u);
  ASSERT_EQ(event->values.size(), 1u);
  EXPECT_EQ(std::get<uint64_t>(event->values[0]), 4242u);
}

TEST(DecodeEventTest, OlderVersionsHaveNoTime) {
  Metadata metadata = TwoFieldMetadata();
  std::string record(32, '\0');
  Put<uint32_t>(record, 0, 5);
  ErrorOr<DecodedEvent> event = DecodeEvent(metadata, record);
  ASSERT_TRUE(event.ok()) << event.error().message;
  EXPECT_FALSE(event->time_ns.has_value());
}

TEST(DecodeEventTest, RejectsRecordShorterThanVersion4Header) {
  Metadata metadata = TimedMetadata();
  ErrorOr<DecodedEvent> event = DecodeEvent(metadata, std::string(12, '\0'));
  ASSERT_FALSE(event.ok());
  EXPECT_NE(event.error().message.find("record of 12 bytes is shorter than "
                                       "the 16-byte header"),
            std::string::npos)
      << event.error().message;
}

TEST(DecodeEventTest, RejectsUnknownEventId) {
  Metadata metadata = TwoFieldMetadata();
  std::string record(32, '\0');
  Put<uint32_t>(record, 0, 9);
  ErrorOr<DecodedEvent> event = DecodeEvent(metadata, record);
  ASSERT_FALSE(event.ok());
  EXPECT_NE(event.error().message.find("event id 9"), std::string::npos)
      << event.error().message;
}

TEST(DecodeEventTest, RejectsTruncatedRecord) {
  Metadata metadata = TwoFieldMetadata();
  std::string record(20, '\0');
  Put<uint32_t>(record, 0, 5);
  ErrorOr<DecodedEvent> event = DecodeEvent(metadata, record);
  ASSERT_FALSE(event.ok());
  EXPECT_NE(event.error().message.find("is 20 bytes, but the event is 32"),
            std::string::npos)
      << event.error().message;
}

TEST(DecodeEventIntoTest, ReusesEventAcrossRecordsAndKinds) {
  ErrorOr<Metadata> metadata = ParseMetadata(
      "nubpf\t1\n"
      "event\t5\t32\tprobe\t1\t1\n"
      "field\t5\tpid\tu32\t8\t4\n"
      "field\t5\tcomm\tstring\t12\t16\n"
      "event\t6\t16\tother\t2\t1\n"
      "field\t6\tcount\tu64\t8\t8\n");
  ASSERT_TRUE(metadata.ok()) << metadata.error().message;
  std::string long_name(32, '\0');
  Put<uint32_t>(long_name, 0, 5);
  std::memcpy(long_name.data() + 12, "0123456789abcdef", 16);
  std::string short_name(32, '\0');
  Put<uint32_t>(short_name, 0, 5);
  std::memcpy(short_name.data() + 12, "ab", 2);
  std::string other(16, '\0');
  Put<uint32_t>(other, 0, 6);
  Put<uint64_t>(other, 8, 77);

  DecodedEvent event;
  ASSERT_FALSE(DecodeEventInto(*metadata, long_name, event).has_value());
  EXPECT_EQ(std::get<std::string>(event.values[1]), "0123456789abcdef");

  ASSERT_FALSE(DecodeEventInto(*metadata, short_name, event).has_value());
  EXPECT_EQ(event.event->id, 5u);
  ASSERT_EQ(event.values.size(), 2u);
  EXPECT_EQ(std::get<std::string>(event.values[1]), "ab");

  ASSERT_FALSE(DecodeEventInto(*metadata, other, event).has_value());
  EXPECT_EQ(event.event->id, 6u);
  ASSERT_EQ(event.values.size(), 1u);
  EXPECT_EQ(std::get<uint64_t>(event.values[0]), 77u);

  ASSERT_FALSE(DecodeEventInto(*metadata, short_name, event).has_value());
  ASSERT_EQ(event.values.size(), 2u);
  EXPECT_EQ(std::get<uint64_t>(event.values[0]), 0u);
  EXPECT_EQ(std::get<std::string>(event.values[1]), "ab");
}

TEST(DecodeEventIntoTest, ReportsUnknownEventId) {
  Metadata metadata = TwoFieldMetadata();
  std::string record(32, '\0');
  Put<uint32_t>(record, 0, 9);
  DecodedEvent event;
  std::optional<Error> error = DecodeEventInto(metadata, record, event);
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(error->message.find("event id 9"), std::string::npos) << error->message;
}

}  // namespace
}  // namespace nubpf::runtime
