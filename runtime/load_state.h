// The state that the load pipeline's steps share, and the steps that
// choose between an fentry program and its kprobe fallback. Only the
// loader's own files include this header.
#pragma once

#include <bpf/libbpf.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "runtime/error.h"
#include "runtime/loader.h"
#include "runtime/metadata.h"
#include "runtime/object_file.h"

namespace nubpf::runtime {

// The kernel's rejection of a program that has a fallback: the step that
// failed and its errno.
struct Rejection {
  const char* step = "load";
  int error_number = 0;
};

// By the rejected program's function. A rejected program is replaced by its
// fallback in every later run of the pipeline.
using Rejections = std::map<std::string, Rejection>;

// Everything the steps create. Its destructor is the one cleanup path:
// when a step fails, it releases what the earlier steps made.
struct LoadState {
  const ObjectSource& source;
  // The source's name, which errors give.
  std::string path;
  const LoaderOptions& options;
  // The rejections of earlier runs of the pipeline.
  const Rejections& rejections;
  Metadata metadata;
  std::string metadata_text;
  bpf_object* object = nullptr;
  // One per program, in bpf_object__for_each_program order.
  std::vector<std::unique_ptr<char[]>> verifier_logs;
  AttachedProbes probes;
  // Set by the step that failed when the kernel rejected a program whose
  // fallback is not in use yet; the pipeline then runs again.
  std::optional<std::pair<std::string, Rejection>> new_rejection;

  LoadState(const ObjectSource& object_source, const LoaderOptions& loader_options,
            const Rejections& earlier_rejections)
      : source(object_source),
        path(object_source.name),
        options(loader_options),
        rejections(earlier_rejections) {}
  ~LoadState() {
    for (bpf_link* link : probes.links) {
      bpf_link__destroy(link);
    }
    bpf_object__close(object);
  }
};

// Loads one program of each fallback pair: the first choice, unless the
// kernel rejected it in an earlier run, and then its fallback.
std::optional<Error> ChoosePrograms(LoadState& state);

// Names the program that made bpf_object__load() fail with `error_number`:
// the one with a verifier log, or else the one that fails to load alone.
// Sets `state.new_rejection` when that program has a fallback and the
// kernel rejected it outright.
std::optional<Error> ReportLoadFailure(LoadState& state, int error_number);

// Writes the parameters of `state.options` into the initial value of the
// object's `.rodata` map, after checking that the metadata's parameters
// fit in it (parameter_loading.cpp).
std::optional<Error> SetParameters(LoadState& state);

// Sets the size of the `nubpf_events` ring buffer to the --ringbuf-size of
// `state.options`, when given, before the object loads. Warns when the
// object has no events or when a record cannot fit (ring_buffer_size.cpp).
std::optional<Error> SetRingBufferSize(LoadState& state);

// Adds to an error about a fallback program the reason it is in use, so
// that the user sees that the first choice was tried.
Error NoteFallback(const LoadState& state, const std::string& function,
                   Error error);

}  // namespace nubpf::runtime
