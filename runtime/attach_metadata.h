// The `attach` and `fallback` lines of the `.nubpf` metadata: how the
// loader attaches each program, and which kprobe replaces an fentry program
// that the kernel rejects. Only metadata.cpp includes this header.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "runtime/error.h"
#include "runtime/metadata.h"
#include "runtime/metadata_lines.h"

namespace nubpf::runtime {

// Collects the lines as the parser meets them, then checks them against
// the `program` lines once the whole section is read, because an `attach`
// line may come before its `program` line.
class AttachLines {
 public:
  // attach FUNCTION KIND VALUES...
  std::optional<Error> ParseAttach(const MetadataLine& line);
  // fallback FUNCTION FALLBACK-FUNCTION
  std::optional<Error> ParseFallback(const MetadataLine& line);

  // Stores each line in the ProgramInfo it names. Rejects a line for a
  // program without a `program` line and a second `attach` line for one
  // program. From version 2 on, also rejects a program without an `attach`
  // line. A fallback must pair two programs attached by section, and no
  // program may be in two pairs.
  std::optional<Error> ApplyTo(Metadata& metadata) const;

 private:
  struct PendingAttach {
    uint32_t line_number = 0;
    std::string function;
    AttachInfo attach;
  };
  struct PendingFallback {
    uint32_t line_number = 0;
    std::string function;
    std::string fallback;
  };

  std::optional<Error> ApplyAttaches(Metadata& metadata) const;
  std::optional<Error> ApplyFallbacks(Metadata& metadata) const;

  std::vector<PendingAttach> attaches_;
  std::vector<PendingFallback> fallbacks_;
};

}  // namespace nubpf::runtime
