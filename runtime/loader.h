// Opens, checks, loads and attaches a nubpfc object with libbpf.
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "runtime/error.h"
#include "runtime/metadata.h"

struct bpf_link;
struct bpf_map;
struct bpf_object;

namespace nubpf::runtime {

struct LoaderOptions {
  // Receives one line per load step and libbpf's own messages; null
  // unless --verbose.
  std::FILE* verbose = nullptr;
  // Receives warnings that do not stop loading, such as a failed tracefs
  // mount.
  std::FILE* warnings = stderr;
};

// Names the contract fixes for the maps every object may have.
inline constexpr const char* kEventsMapName = "nubpf_events";
inline constexpr const char* kLostMapName = "nubpf_lost";

// An object whose programs are loaded and attached. Destroying it detaches
// every probe and closes the object, which frees its programs and maps.
class AttachedObject {
 public:
  AttachedObject(std::string path, Metadata metadata, bpf_object* object,
                 std::vector<bpf_link*> links);
  ~AttachedObject();
  AttachedObject(const AttachedObject&) = delete;
  AttachedObject& operator=(const AttachedObject&) = delete;

  const std::string& path() const { return path_; }
  const Metadata& metadata() const { return metadata_; }
  size_t probe_count() const { return links_.size(); }

  // Returns the map called `name`, or null when the object has none.
  bpf_map* FindMap(const char* name) const;

  // Destroys every link, so no probe runs any more; the maps stay
  // readable. Calling it again does nothing.
  void Detach();

 private:
  std::string path_;
  Metadata metadata_;
  bpf_object* object_;
  std::vector<bpf_link*> links_;
};

// Runs the load pipeline on `path`. The steps check the ELF header, parse
// the `.nubpf` metadata, open the object with libbpf and match the metadata
// to its programs and maps. Then they load it (keeping each program's
// verifier log), mount tracefs when needed and attach every program. On
// failure, whatever was created is released, and the error names the
// file, program or map.
ErrorOr<std::unique_ptr<AttachedObject>> LoadAndAttach(
    const std::string& path, const LoaderOptions& options);

}  // namespace nubpf::runtime
