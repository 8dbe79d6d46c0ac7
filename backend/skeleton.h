// The skeleton header of `nubpfc --emit skeleton`: a C++ header that embeds
// the BPF object and declares a class with typed setters for the probe
// file's parameters and typed readers for its aggregations and globals,
// over the runtime library's Session (runtime/session.h). It plays the
// part that `bpftool gen skeleton` plays for libbpf programs in C.
#pragma once

#include <string>
#include <string_view>

#include "compiler/mir.h"

namespace nubpf::backend {

// Returns the header for `module`, whose object is `object`. `source_path`
// is the probe file as given to nubpfc: its base name names the header's
// namespace (`readsize.nu` gives `readsize_probe`) and the session.
std::string BuildSkeleton(const mir::Module& module, std::string_view object,
                          const std::string& source_path);

}  // namespace nubpf::backend
