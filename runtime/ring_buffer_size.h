// `nubpf-run --ringbuf-size`: the size of the `nubpf_events` ring buffer,
// set before the object loads. nubpfc writes 256 KiB into the object; a
// larger ring buffer loses fewer events in a burst.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "runtime/error.h"

namespace nubpf::runtime {

// The ring buffer size that nubpfc writes into every object with events.
inline constexpr uint32_t kDefaultRingBufferBytes = 256 * 1024;

// Parses the value of --ringbuf-size, a file size as the parameters take
// it (`256kib`, `1mib`, `4096`). The kernel wants a power of two that is a
// multiple of `page_size`, itself a power of two, and max_entries is a
// u32, so the sizes run from `page_size` to 2 GiB. Anything else is a
// usage error whose help gives the nearest valid sizes.
ErrorOr<uint32_t> ParseRingBufferSize(std::string_view text, uint64_t page_size);

// Returns a power of two of at least 1 KiB as the largest binary unit that
// divides it: `256kib`, `1mib`, `2gib`.
std::string RingBufferSizeText(uint64_t bytes);

}  // namespace nubpf::runtime
