#include "runtime/ring_buffer_size.h"

#include <bpf/libbpf.h>
#include <fmt/core.h>

#include <cstring>
#include <optional>

#include "runtime/load_state.h"
#include "runtime/parameters.h"

namespace nubpf::runtime {
namespace {

// The largest power of two that a u32 max_entries holds.
constexpr uint64_t kMaxRingBufferBytes = uint64_t{1} << 31;

// Each ring buffer record starts with the kernel's 8-byte header
// (BPF_RINGBUF_HDR_SZ), and its length is rounded up to 8.
constexpr uint32_t kRingBufferRecordHeader = 8;

bool IsPowerOfTwo(uint64_t value) { return value != 0 && (value & (value - 1)) == 0; }

// Returns the largest power of two not above `value`, which is above 0.
uint64_t PowerOfTwoBelow(uint64_t value) {
  uint64_t power = 1;
  while (power <= value / 2) power *= 2;
  return power;
}

Error RingBufferSizeError(std::string_view text, std::string reason, std::string help) {
  Error error;
  error.exit_code = ExitCode::kUsage;
  error.message = fmt::format("invalid --ringbuf-size `{}`: {}", text, std::move(reason));
  error.help = std::move(help);
  return error;
}

std::string SizeChoice(uint64_t bytes) {
  return fmt::format("`{}` ({} bytes)", RingBufferSizeText(bytes), bytes);
}

// The valid sizes next to `bytes`: the one below and the one above, or
// the one valid size at either end of the range.
std::string NearestSizesHelp(uint64_t bytes, uint64_t page_size) {
  std::string rule = fmt::format(
      "the kernel wants a power of two that is a multiple of the page size, {} bytes",
      page_size);
  if (bytes <= page_size) {
    return fmt::format("{}; the nearest is {}", rule, SizeChoice(page_size));
  }
  if (bytes >= kMaxRingBufferBytes) {
    return fmt::format("{}; the largest is {}", rule, SizeChoice(kMaxRingBufferBytes));
  }
  uint64_t below = PowerOfTwoBelow(bytes);
  return fmt::format("{}; the nearest are {} and {}", rule, SizeChoice(below),
                     SizeChoice(below * 2));
}

}  // namespace

std::string RingBufferSizeText(uint64_t bytes) {
  if (bytes % (uint64_t{1} << 30) == 0) return fmt::format("{}gib", bytes >> 30);
  if (bytes % (uint64_t{1} << 20) == 0) return fmt::format("{}mib", bytes >> 20);
  if (bytes % (uint64_t{1} << 10) == 0) return fmt::format("{}kib", bytes >> 10);
  return fmt::format("{}b", bytes);
}

ErrorOr<uint32_t> ParseRingBufferSize(std::string_view text, uint64_t page_size) {
  std::optional<int64_t> bytes = ParseFileSize(text);
  if (!bytes) {
    return RingBufferSizeError(
        text, "expected a file size",
        fmt::format("give bytes or a size with a unit, such as `{}` (the default) or `1mib`",
                    RingBufferSizeText(kDefaultRingBufferBytes)));
  }
  if (*bytes <= 0) {
    return RingBufferSizeError(text, "the size must be above 0",
                               NearestSizesHelp(0, page_size));
  }

  auto size = static_cast<uint64_t>(*bytes);
  if (size > kMaxRingBufferBytes) {
    return RingBufferSizeError(text, fmt::format("{} bytes is more than 2 GiB", size),
                               NearestSizesHelp(size, page_size));
  }
  if (size < page_size) {
    return RingBufferSizeError(
        text, fmt::format("{} bytes is less than the page size", size),
        NearestSizesHelp(size, page_size));
  }
  if (!IsPowerOfTwo(size)) {
    return RingBufferSizeError(text, fmt::format("{} bytes is not a power of two", size),
                               NearestSizesHelp(size, page_size));
  }
  return static_cast<uint32_t>(size);
}

std::optional<Error> SetRingBufferSize(LoadState& state) {
  if (!state.options.ring_buffer_bytes) return std::nullopt;
  uint32_t bytes = *state.options.ring_buffer_bytes;

  bpf_map* events = bpf_object__find_map_by_name(state.object, kEventsMapName);
  if (events == nullptr) {
    fmt::print(state.options.warnings,
               "{}: warning: --ringbuf-size has no effect: `{}` emits no events\n", ProgramName(),
               state.path);
    return std::nullopt;
  }

  int result = bpf_map__set_max_entries(events, bytes);
  if (result < 0) {
    Error error;
    error.message = fmt::format("cannot set the size of ring buffer `{}` in `{}`: {}",
                                kEventsMapName, state.path, std::strerror(-result));
    return error;
  }
  if (state.options.verbose != nullptr) {
    fmt::print(state.options.verbose, "{}: ring buffer `{}` has {} bytes\n", ProgramName(),
               kEventsMapName, bytes);
  }

  // The kernel never reserves a record larger than the whole ring buffer,
  // so every emit of such an event is lost.
  for (const EventInfo& event : state.metadata.events) {
    uint32_t needed = event.size + kRingBufferRecordHeader;
    if (needed <= bytes) continue;
    fmt::print(state.options.warnings,
               "{}: warning: every record of the event at line {} is lost: it needs "
               "{} bytes, more than the ring buffer's {}\n", ProgramName(),
               event.position.line, needed, bytes);
  }
  return std::nullopt;
}

}  // namespace nubpf::runtime
