// The C++ API of the runtime library, for programs that ship precompiled
// probes: open an object written by nubpfc from a file or from bytes the
// program embeds, set its parameters, attach its probes, receive its
// events decoded by the object's metadata, and read its aggregations and
// globals. nubpf-run is a command-line front end over this class.
//
// A Session goes through three states in order: opened (metadata readable,
// parameters settable), attached (probes running, events arriving) and
// stopped (probes detached, `end` blocks run, maps still readable).
// Destroying it at any point detaches every probe and frees the kernel's
// programs and maps. The class is not thread-safe; Poll() runs the event
// handler on the calling thread.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/aggregation_value.h"
#include "runtime/error.h"
#include "runtime/event_decoder.h"
#include "runtime/loader.h"
#include "runtime/map_reader.h"
#include "runtime/metadata.h"
#include "runtime/object_file.h"
#include "runtime/parameters.h"
#include "runtime/program_verification.h"
#include "runtime/stack_trace.h"

struct ring_buffer;

namespace nubpf::runtime {

struct SessionOptions {
  // Receives one line per load step and libbpf's own messages; null for
  // none. Attach() sets libbpf's print callback, which is process-wide, to
  // route them here and to keep its warnings for error reports.
  std::FILE* verbose = nullptr;
  // Receives warnings that do not stop the session: a failed tracefs
  // mount, a record the metadata does not describe.
  std::FILE* warnings = stderr;
  // Names the frames of stacks as each event arrives, while its process
  // most likely still runs; without one, frames stay addresses.
  StackNamer* stacks = nullptr;
  // The size in bytes of the ring buffer that carries events, checked by
  // ParseRingBufferSize(); nullopt keeps the object's own, which nubpfc
  // makes 256 KiB.
  std::optional<uint32_t> ring_buffer_bytes;
  // Skips, with a line on `warnings`, each probe whose target this
  // machine lacks (a tracepoint, kernel function, file or symbol). Without
  // it, such a probe fails Attach() and Verify().
  bool allow_missing = false;
  // A BTF file with the kernel's types for CO-RE relocations, in place of
  // /sys/kernel/btf/vmlinux, for kernels without it; empty for none.
  std::string btf_path;
};

// Receives each decoded record: `event.event` is its schema, whose `print`
// is set for a `print` site (FormatPrintLine() gives its line), and
// `event.values` its values in field order. Returning false ends the
// current Poll() or Stop() after this record; the records left stay in the
// ring buffer for the next one. `event` is valid only until the handler
// returns, because the session decodes the next record into it.
using EventHandler = std::function<bool(const DecodedEvent& event)>;

class Session {
 public:
  // Reads and checks the object at `path`: an ELF file for BPF with
  // `.nubpf` metadata this library reads. Needs no privileges.
  static ErrorOr<std::unique_ptr<Session>> OpenFile(const std::string& path,
                                                    SessionOptions options = {});

  // Checks an object held in memory, such as one a program embeds; `name`
  // stands for it in errors. The session keeps its own copy of `bytes`.
  static ErrorOr<std::unique_ptr<Session>> OpenBuffer(std::string name, std::string_view bytes,
                                                      SessionOptions options = {});

  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // The file path or buffer name the session was opened with.
  const std::string& name() const { return source_.name; }
  // The probes, events, aggregations, globals and parameters of the object.
  const Metadata& metadata() const { return metadata_; }

  // Sets the parameter `--NAME` from its text as Nushell spells a value of
  // its type: `5`, `bash`, `true`, `500ms`, `4kb`. Only before Attach();
  // the parameters not set keep the defaults the probe file gave.
  std::optional<Error> SetParameter(std::string_view name, std::string_view text);

  // Sets parameters from command-line words as nubpf-run takes them:
  // `--NAME VALUE`, `--NAME=VALUE`, or `--NAME` alone for a bool.
  std::optional<Error> SetParameterArguments(const std::vector<std::string>& words);

  // Scopes the session to the process `pid`, as nubpf-run's -c and -p do:
  // uprobes, uretprobes and USDT probes attach in it alone, and the
  // parameter `--target-pid`, when the object declares one, is set to
  // `pid`. Only before Attach(). Fails when that parameter is not an int.
  std::optional<Error> SetTargetProcess(pid_t pid);

  // Loads the programs and maps into the kernel, runs the `begin` blocks
  // and attaches every probe. Only once. On failure nothing stays loaded,
  // and the error names the program, the map or the missing privilege.
  std::optional<Error> Attach();

  // Loads every program as Attach() would, without running `begin` blocks
  // or attaching, reads what the verifier did with each, and unloads them
  // again. Only before Attach(). A verifier rejection fails with the
  // verifier's log, as Attach() does.
  ErrorOr<std::vector<ProgramVerification>> Verify();

  // The probes attached to kernel or user events, without `begin` and
  // `end` blocks; 0 before Attach().
  size_t probe_count() const;

  // The ring buffer's epoll fd, which poll(2) reports readable when records
  // wait, so that a program can wait on it next to its own fds and then
  // call Poll() with a zero timeout. -1 before Attach() and for an object
  // without events.
  int events_fd() const;

  // Waits up to `timeout` for records and hands each to `handler`. Returns
  // how many records it handed over. A signal cuts the wait short. Records
  // the metadata does not describe are skipped, counted and, the first few,
  // reported to the warnings stream.
  ErrorOr<size_t> Poll(std::chrono::milliseconds timeout, const EventHandler& handler);

  // Detaches every probe, runs the `end` blocks, then hands the records
  // still in the ring buffer to `handler`, so that what the `end` blocks
  // emit comes last. A null handler drops them. Returns the first `end`
  // block failure; the maps stay readable either way. Later calls do
  // nothing.
  std::optional<Error> Stop(const EventHandler& handler);

  // The merged entries of one of metadata().aggregations, in map order;
  // FormatAggregation() sorts and formats them.
  ErrorOr<std::vector<AggregationRow>> ReadAggregation(const AggregationInfo& info);

  // Clears the entries `rows` that ReadAggregation() returned, for a
  // program that prints per interval. Updates that land between the read
  // and the clear are lost.
  std::optional<Error> ResetAggregation(const AggregationInfo& info,
                                        const std::vector<AggregationRow>& rows);

  // The values of metadata().globals, as the probes last wrote them.
  ErrorOr<std::vector<FieldValue>> ReadGlobals();

  // How many records did not fit in the ring buffer since Attach().
  ErrorOr<uint64_t> LostEvents();

  // How many updates of new keys the map of an aggregation or store
  // dropped because it was full; 0 for one that cannot drop.
  ErrorOr<uint64_t> DroppedUpdates(std::optional<uint32_t> drop_slot);

  // How many records Poll() and Stop() skipped because the metadata does
  // not describe them.
  uint64_t undecodable_records() const { return undecodable_records_; }

 private:
  Session(ObjectSource source, Metadata metadata, SessionOptions options);
  static ErrorOr<std::unique_ptr<Session>> Open(ObjectSource source, SessionOptions options);
  static int HandleRecord(void* context, void* data, size_t size);
  std::optional<Error> RequireAttached(const char* call) const;
  LoaderOptions LoaderOptionsFor() const;
  ErrorOr<MapHandle> AggregationMap(const AggregationInfo& info) const;

  ObjectSource source_;
  Metadata metadata_;
  SessionOptions options_;
  std::vector<ParameterValue> parameters_;
  // The process of SetTargetProcess(), or -1 for every process.
  int target_pid_ = -1;
  std::unique_ptr<AttachedObject> object_;
  ring_buffer* ring_ = nullptr;
  bool stopped_ = false;
  // The handler of the running Poll() or Stop(), and whether it asked to
  // end it.
  const EventHandler* handler_ = nullptr;
  bool handler_ended_ = false;
  // The record being handed to the handler, reused from record to record.
  DecodedEvent decoded_event_;
  uint64_t undecodable_records_ = 0;
};

}  // namespace nubpf::runtime
