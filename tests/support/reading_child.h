// A child process that makes a known list of read(2) calls with raw system
// calls, so that no libc buffering adds or merges reads, for the kernel
// tests of aggregations over read sizes.
#pragma once

#include <vector>

namespace nubpf::testing {

// `count` reads of `size` bytes from /dev/zero, each returning `size`; a
// size of -1 reads a closed descriptor instead, which returns -EBADF (-9).
struct ReadBatch {
  int count;
  int size;
};

// Forks a child that renames itself to `comm` (at most 15 bytes), makes
// the reads of `batches` in order and exits; waits for it. Returns false
// when the fork fails, a size is above 8192 or the child cannot open
// /dev/zero.
bool RunReadingChild(const char* comm, const std::vector<ReadBatch>& batches);

}  // namespace nubpf::testing
