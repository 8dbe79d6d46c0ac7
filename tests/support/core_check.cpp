#include "tests/support/core_check.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <cerrno>
#include <cstdarg>
#include <cstring>
#include <map>
#include <regex>
#include <utility>

namespace nubpf::testing {
namespace {

struct LogLine {
  libbpf_print_level level;
  std::string text;
};

// libbpf_set_print() takes a plain function without a context pointer, so
// the capture writes to this one sink while a LibbpfLogCapture lives. Only
// one check runs at a time in a process.
std::vector<LogLine>* capture_sink = nullptr;
std::string capture_partial;

int CaptureLibbpfPrint(libbpf_print_level level, const char* format, va_list args) {
  va_list sizing;
  va_copy(sizing, args);
  int size = vsnprintf(nullptr, 0, format, sizing);
  va_end(sizing);
  if (size < 0) return 0;
  std::string text(static_cast<size_t>(size) + 1, '\0');
  vsnprintf(text.data(), text.size(), format, args);
  text.pop_back();

  // One call may carry several lines (a verifier log) or end mid-line.
  capture_partial += text;
  size_t newline;
  while ((newline = capture_partial.find('\n')) != std::string::npos) {
    capture_sink->push_back({level, capture_partial.substr(0, newline)});
    capture_partial.erase(0, newline + 1);
  }
  return size;
}

// Sends libbpf's log, debug lines included, to `lines` until destroyed, then
// restores the previous print function.
class LibbpfLogCapture {
 public:
  explicit LibbpfLogCapture(std::vector<LogLine>* lines) {
    capture_sink = lines;
    capture_partial.clear();
    previous_ = libbpf_set_print(CaptureLibbpfPrint);
  }
  ~LibbpfLogCapture() {
    if (!capture_partial.empty()) capture_sink->push_back({LIBBPF_DEBUG, capture_partial});
    libbpf_set_print(previous_);
    capture_sink = nullptr;
  }
  LibbpfLogCapture(const LibbpfLogCapture&) = delete;
  LibbpfLogCapture& operator=(const LibbpfLogCapture&) = delete;

 private:
  libbpf_print_fn_t previous_;
};

// The outcome of one relocation as libbpf's log reports it.
struct LoggedRelocation {
  bool patched = false;
  bool poisoned = false;
  uint64_t value = 0;
  std::string target;
  std::string warnings;
};

using RelocationKey = std::pair<std::string, size_t>;

// Reads libbpf 1.1's CO-RE lines. libbpf logs each relocation as debug lines
// prefixed "libbpf: prog 'NAME': relo #N: ", where N counts the records of
// one ELF section. The first gives the local spec. Then each candidate
// follows ("matching candidate #0 <byte_off> [193] struct task_struct.tgid
// (0:84 @ offset 2420)"), or "no matching targets found". The last line is
// "patched insn #M (ALU/ALU64) imm 4 -> 2420" or "substituting insn #M w/
// invalid insn". A patch prints "off" for loads and stores and "imm64" for
// 64-bit immediates, with an extra "mem_sz" line when the access size
// changes. Failures are warning lines with the same prefix. The data
// relocation pass that follows uses that prefix too, for map loads
// ("poisoning insn #M that loads map"), so those lines are skipped.
std::map<RelocationKey, LoggedRelocation> ReadRelocationLog(const std::vector<LogLine>& lines,
                                                            size_t* counted) {
  static const std::regex kRelocationLine(R"(^libbpf: prog '([^']*)': relo #([0-9]+): (.*)$)");
  static const std::regex kPatched(
      R"(^patched insn #[0-9]+ \([^)]*\) (imm|imm64|off|mem_sz) [0-9]+ -> ([0-9]+)$)");
  static const std::regex kMatching(R"(^matching candidate #[0-9]+ (.*)$)");
  static const std::regex kFound(R"(^libbpf: sec '[^']*': found ([0-9]+) CO-RE relocations$)");

  std::map<RelocationKey, LoggedRelocation> logged;
  *counted = 0;
  for (const LogLine& line : lines) {
    std::smatch match;
    if (std::regex_match(line.text, match, kFound)) {
      *counted += std::stoul(match[1]);
      continue;
    }
    if (!std::regex_match(line.text, match, kRelocationLine)) continue;
    std::string message = match[3];
    if (message.rfind("poisoning insn", 0) == 0 || message == "bad insn" ||
        message.rfind("bad relo type", 0) == 0) {
      continue;
    }
    LoggedRelocation& entry = logged[{match[1], std::stoul(match[2])}];

    std::smatch detail;
    if (std::regex_match(message, detail, kPatched)) {
      if (detail[1] != "mem_sz") entry.value = std::stoull(detail[2]);
      entry.patched = true;
    } else if (message.rfind("substituting insn", 0) == 0) {
      entry.poisoned = true;
    } else if (std::regex_match(message, detail, kMatching)) {
      if (entry.target.empty()) entry.target = detail[1];
    } else if (line.level == LIBBPF_WARN) {
      if (!entry.warnings.empty()) entry.warnings += "; ";
      entry.warnings += message;
    }
  }
  return logged;
}

CoreRelocationResult Merge(const CoreRecord& record, const LoggedRelocation* logged) {
  CoreRelocationResult result;
  result.record = record;
  if (logged == nullptr) return result;

  result.target = logged->target;
  result.message = logged->warnings;
  if (logged->poisoned) {
    result.outcome = CoreOutcome::kPoisoned;
    result.target.clear();
  } else if (!logged->warnings.empty()) {
    result.outcome = CoreOutcome::kFailed;
  } else if (logged->patched) {
    result.outcome = CoreOutcome::kPatched;
    result.value = logged->value;
  }
  return result;
}

std::string JoinLog(const std::vector<LogLine>& lines) {
  std::string text;
  for (const LogLine& line : lines) text += line.text + "\n";
  return text;
}

}  // namespace

CoreCheck CheckCoreRelocations(const std::string& object_path, const std::string& btf_path) {
  CoreCheck check;
  std::vector<CoreRecord> records = ReadCoreRecords(object_path, &check.error);
  if (!check.error.empty()) return check;

  // Parsing the BTF first turns a wrong path into a plain error instead of a
  // load failure with every relocation unreached.
  btf* target = btf__parse(btf_path.c_str(), nullptr);
  if (target == nullptr) {
    check.error = "cannot read BTF from " + btf_path + ": " + std::strerror(errno);
    return check;
  }
  btf__free(target);

  std::vector<LogLine> lines;
  int load_status = 0;
  {
    LibbpfLogCapture capture(&lines);
    LIBBPF_OPTS(bpf_object_open_opts, options, .btf_custom_path = btf_path.c_str());
    bpf_object* object = bpf_object__open_file(object_path.c_str(), &options);
    if (object == nullptr) {
      check.error = "libbpf cannot open " + object_path + ": " + std::strerror(errno);
    } else {
      load_status = bpf_object__load(object);
      bpf_object__close(object);
    }
  }
  check.log = JoinLog(lines);
  if (!check.error.empty()) return check;

  size_t counted = 0;
  std::map<RelocationKey, LoggedRelocation> logged = ReadRelocationLog(lines, &counted);
  for (const CoreRecord& record : records) {
    auto entry = logged.find({record.program, record.index});
    check.relocations.push_back(Merge(record, entry == logged.end() ? nullptr : &entry->second));
  }

  if (load_status != 0) {
    check.load_error = std::string("bpf_object__load failed: ") + std::strerror(-load_status);
  }
  if (load_status == -EPERM && logged.empty()) {
    check.error = "libbpf could not load into the kernel (" + std::string(std::strerror(EPERM)) +
                  "); the check needs root, or CAP_BPF with CAP_PERFMON";
    return check;
  }
  // libbpf counts each section's records before relocating; a different
  // total means this reader and libbpf disagree about .BTF.ext.
  if (counted != 0 && counted != records.size()) {
    check.error = "libbpf found " + std::to_string(counted) + " CO-RE relocations in " +
                  object_path + ", but its .BTF.ext lists " + std::to_string(records.size());
  }
  return check;
}

bool Resolved(const CoreRelocationResult& result) {
  return result.outcome == CoreOutcome::kPatched;
}

std::string FormatCoreRelocation(const CoreRelocationResult& result) {
  const CoreRecord& record = result.record;
  std::string program = record.program.empty() ? "section '" + record.section + "'" : record.program;
  std::string text = program + " insn " + std::to_string(record.instruction) + ": " +
                     CoreKindName(record.kind) + " " + record.spec + " (" + record.access + "): ";
  switch (result.outcome) {
    case CoreOutcome::kPatched:
      return text + "resolved to " + std::to_string(result.value);
    case CoreOutcome::kPoisoned:
      return text + "unresolved, no target matches, so libbpf poisoned the instruction";
    case CoreOutcome::kFailed:
      return text + "failed: " + result.message;
    case CoreOutcome::kNotReached:
      return text + "not relocated: libbpf stopped earlier or does not load this program";
  }
  return text;
}

}  // namespace nubpf::testing
