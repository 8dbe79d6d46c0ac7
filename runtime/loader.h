// Opens, checks, loads and attaches a nubpfc object with libbpf.
#pragma once

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/error.h"
#include "runtime/metadata.h"
#include "runtime/object_file.h"
#include "runtime/parameters.h"

struct bpf_link;
struct bpf_map;
struct bpf_object;
struct bpf_program;

namespace nubpf::runtime {

struct LoaderOptions {
  // Receives one line per load step and libbpf's own messages; null
  // unless --verbose.
  std::FILE* verbose = nullptr;
  // Receives warnings that do not stop loading, such as a failed tracefs
  // mount.
  std::FILE* warnings = stderr;
  // The values of the object's parameters that the command line gave,
  // checked against its metadata; the others keep their defaults.
  std::vector<ParameterValue> parameters;
  // The size of the `nubpf_events` ring buffer in bytes, checked by
  // ParseRingBufferSize(); nullopt keeps the object's own.
  std::optional<uint32_t> ring_buffer_bytes;
  // The process of -c or -p, to which uprobes and USDT probes attach; -1
  // attaches them in every process that runs their file.
  int uprobe_pid = -1;
  // Stops after loading, for --verify: no `begin` block runs and nothing
  // attaches.
  bool load_only = false;
  // Skips, with a warning, each probe whose target this kernel or machine
  // lacks (--allow-missing); without it such a probe fails the load.
  bool allow_missing = false;
  // A BTF file for CO-RE relocations in place of /sys/kernel/btf/vmlinux
  // (--btf), or empty.
  std::string btf_path;
};

// Names the contract fixes for the maps every object may have.
inline constexpr const char* kEventsMapName = "nubpf_events";

// Objects of metadata version 6 on count lost events and dropped inserts
// in `.bss`: `nubpf_lost` at this offset, and `nubpf_drops`, a u64 per
// drop slot, after it. Older objects have per-CPU array maps of these
// names instead.
inline constexpr uint32_t kLostCounterOffset = 0;
inline constexpr uint32_t kDropCountersOffset = 8;
inline constexpr const char* kLostMapName = "nubpf_lost";
inline constexpr const char* kDropsMapName = "nubpf_drops";

// The result of attaching an object: the links that keep its probes
// attached (a profile probe has one per CPU), the `end` blocks to run once
// the probes are detached, and the number of attached probes for the user.
struct AttachedProbes {
  std::vector<bpf_link*> links;
  std::vector<bpf_program*> end_blocks;
  size_t probe_count = 0;
};

// An object whose programs are loaded and attached. Destroying it detaches
// every probe and closes the object, which frees its programs and maps.
class AttachedObject {
 public:
  AttachedObject(std::string path, Metadata metadata, bpf_object* object,
                 AttachedProbes probes);
  ~AttachedObject();
  AttachedObject(const AttachedObject&) = delete;
  AttachedObject& operator=(const AttachedObject&) = delete;

  const std::string& path() const { return path_; }
  const Metadata& metadata() const { return metadata_; }
  // The probes attached to kernel or user events; `begin` and `end` blocks
  // are not among them.
  size_t probe_count() const { return probe_count_; }

  // The libbpf object, whose programs are loaded.
  bpf_object* object() const { return object_; }

  // Returns the map called `name`, or null when the object has none.
  bpf_map* FindMap(const char* name) const;

  // Returns libbpf's internal map of the object's `.data` section, which
  // contains the globals, or null when the object has none.
  bpf_map* FindDataMap() const;

  // Returns libbpf's internal map of the object's `.bss` section, which
  // contains the counters, or null when the object has none.
  bpf_map* FindBssMap() const;

  // Destroys every link, so no probe runs any more; the maps stay
  // readable. Calling it again does nothing.
  void Detach();

  // Runs each `end` block once, in object order. Later calls do nothing.
  // Runs every block even when one fails, and returns the first failure.
  std::optional<Error> RunEndBlocks();

 private:
  std::string path_;
  Metadata metadata_;
  bpf_object* object_;
  std::vector<bpf_link*> links_;
  std::vector<bpf_program*> end_blocks_;
  size_t probe_count_ = 0;
};

// Runs the load pipeline on `source`. The steps check the ELF header, parse
// the `.nubpf` metadata, open the object with libbpf, match the metadata
// to its programs and maps, and choose between each fentry program and its
// kprobe fallback. Then they load the object (keeping each program's
// verifier log), mount tracefs when needed, run the `begin` blocks and
// attach every other program as its `attach` line describes.
//
// When the kernel refuses to load or attach a program that has a fallback,
// everything is released and the pipeline runs again with the fallback in
// its place; this repeats at most once per fallback pair. On failure,
// whatever was created is released, and the error names the file, program
// or map.
//
// libbpf may keep pointers into `source.bytes`, so the source must outlive
// the returned object.
ErrorOr<std::unique_ptr<AttachedObject>> LoadAndAttach(
    const ObjectSource& source, const LoaderOptions& options);

}  // namespace nubpf::runtime
