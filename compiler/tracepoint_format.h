// Tracepoint record layouts, read from the `format` files in tracefs:
//
//   field:const char * filename;	offset:24;	size:8;	signed:0;
//
// gives a field `filename` that is a char pointer at offset 24 of the
// context the kernel hands a `tracepoint/` program.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nubpf::compiler {

enum class TracepointFieldShape {
  kInteger,      // int, long, pid_t...: loaded as an integer of `size`
  kCharArray,    // char name[16]: a string stored in the record
  kCharPointer,  // const char *: the address of a string
  kPointer,      // any other pointer: an address, loaded as u64
  kDataLoc,      // __data_loc char[]: a dynamic string in the record
  kArray,        // any other array, such as `unsigned long args[6]`
};

struct TracepointField {
  std::string name;
  std::string declaration;  // as tracefs prints it, such as `const char * filename`
  TracepointFieldShape shape = TracepointFieldShape::kInteger;
  uint32_t offset = 0;
  uint32_t size = 0;
  bool is_signed = false;
};

struct TracepointFormat {
  std::string category;
  std::string name;
  std::vector<TracepointField> fields;

  const TracepointField* FindField(std::string_view name) const;
};

// Parses the text of one `format` file. Returns false with `error` set when
// a field line is malformed.
bool ParseTracepointFormat(std::string_view text, TracepointFormat* out,
                           std::string* error);

// Returns the tracefs root that has an `events` folder, mounting tracefs at
// /sys/kernel/tracing when it is not mounted and this process may mount it.
// Returns an empty string when no tracefs can be found.
std::string FindTracefs();

enum class TracepointLookup { kFound, kNotFound, kUnreadable };

// The path of CATEGORY/NAME's `format` file under `tracefs_root`.
std::string TracepointFormatPath(const std::string& tracefs_root, const std::string& category,
                                 const std::string& name);

// Reads CATEGORY/NAME's format under `tracefs_root`.
TracepointLookup ReadTracepointFormat(const std::string& tracefs_root,
                                      const std::string& category,
                                      const std::string& name,
                                      TracepointFormat* out,
                                      std::string* error);

// Lists the tracepoints of `category` (or the categories, when `category`
// is empty), sorted, for "did you mean" suggestions.
std::vector<std::string> ListTracepoints(const std::string& tracefs_root,
                                         const std::string& category);

}  // namespace nubpf::compiler
