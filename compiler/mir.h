// The typed mid-level IR (MIR): what the checker produces from the AST and
// the only input of the LLVM backend.
//
// One Function per probe, made of Blocks of Instructions that end in a
// Terminator. Values are numbered (`%3`) and defined once; a value is used
// only in blocks its definition dominates, because `let` is scoped to its
// block. Reads are explicit: a context load, a helper call, a string read.
//
//   probe tracepoint:syscalls:sys_enter_openat {|e|
//     if $e.comm == "cat" { count }
//   }
//
// becomes
//
//   fn sys_enter_openat  section tracepoint/syscalls/sys_enter_openat
//   bb0:
//     %0: string[16] = comm
//     %1: bool = str.eq %0, "cat"
//     branch %1, bb1, bb2
//   bb1:
//     aggregate agg#0
//     jump bb2
//   bb2:
//     return
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "compiler/mir_kernel_types.h"
#include "compiler/types.h"
#include "frontend/source.h"

namespace nubpf::mir {

using ValueId = uint32_t;
using BlockId = uint32_t;
inline constexpr ValueId kNoValue = std::numeric_limits<ValueId>::max();

// Values every probe can read through a helper call. kTask is the current
// task's `struct task_struct *`, from bpf_get_current_task.
enum class ProbeValue { kPid, kTid, kUid, kGid, kTimestamp, kCpu, kCgroup, kTask };

// Integer operators take two operands of the result's type; comparisons
// take two of one type and give a bool. Signedness comes from the operands'
// type. Division and modulo by 0 give 0, and shift amounts are taken modulo
// 64, so that no operand makes a result undefined.
enum class BinaryOp {
  kAdd,
  kSubtract,
  kMultiply,
  kFloorDivide,  // rounds toward negative infinity, as Nushell's `//`
  kFloorModulo,  // takes the sign of the divisor, as Nushell's `mod`
  kBitAnd,       // also `and` on bools
  kBitOr,        // also `or` on bools
  kBitXor,       // also `xor` on bools
  kShiftLeft,
  kShiftRight,   // arithmetic on signed types, logical on unsigned ones
  kEqual,
  kNotEqual,
  kLess,
  kLessEqual,
  kGreater,
  kGreaterEqual,
};

enum class Opcode {
  kConstInt,             // int_value, of `type`
  kConstBool,            // int_value 0 or 1
  kContextLoad,          // load `type` at `offset` in the probe context
  kProbeValue,           // probe_value through a helper
  kCommString,           // the current task's comm, string[16]
  kContextCharArray,     // a char[capacity] at `offset` in the context
  kContextDataLoc,       // a `__data_loc char[]` whose u32 locator is at `offset`
  kUserString,           // a string at address operands[0] in user memory
  kKernelString,         // a string at address operands[0] in kernel memory
  kUserRead,             // the `type` integer at address operands[0] in user memory, 0 if unreadable
  kStack,                // the kernel or user stack that `type` names, at the probe
  kCast,                 // operands[0] converted to the integer `type`
  kBinary,               // binary_op on operands[0] and operands[1]
  kNot,                  // boolean not of operands[0]
  kNegate,               // 0 - operands[0]
  kStringEqualsLiteral,  // operands[0] equals `text`, compared up to its NUL
  kStringStartsWith,     // operands[0] starts with `text`
  kStringEndsWith,       // operands[0] ends with `text`
  kStringContains,       // `text` occurs in operands[0]
  kStringEquals,         // operands[0] and operands[1] hold the same string
  kStringLiteral,        // the constant string `text`
  kStringLength,         // bytes of operands[0] before its NUL, as i64
  kStringLower,          // operands[0] with ASCII letters in lower case
  kStringUpper,          // operands[0] with ASCII letters in upper case
  kStringSubstring,      // bytes [offset, int_value) of operands[0]
  kIntToString,          // operands[0] in decimal
  kStringToInt,          // operands[0] read as a decimal integer, 0 if none
  kLocalLoad,            // the value of local `index`
  kLocalStore,           // sets local `index` to operands[0]
  kEmit,                 // sends event `index` with operands as its fields
  // Updates aggregation `index`. The operands are its key fields in key
  // order, then the value (an i64) unless the aggregation is a count.
  kAggregate,
  // Kernel memory through CO-RE (check_kernel_types.cpp). operands[0] is
  // the address of the struct, union or array where `access` starts.
  kCoreRead,             // the int, bool or pointer `access` names, read there
  kCoreAddress,          // the address of the member `access` names, a u64
  kCoreFieldExists,      // true when the running kernel has the member `access` names
  kCoreEnumValue,        // enumerator `text` of kernel enum `index`, as the running kernel numbers it
  kKernelCharArray,      // a char[capacity] at address operands[0] in kernel memory
  // The address of element operands[1] of the array at address operands[0],
  // which has `int_value` elements of `offset` bytes, or 0 when the index is
  // out of range (and for any index when `int_value` is 0: a flexible array).
  kKernelArrayElement,
  // Keyed stores (check_store.cpp), `index` naming one of Module::stores.
  // The key operands are the key's fields, in the store's key order.
  kStoreLookup,          // the address of the value at the key operands, or 0: a u64
  kStoreLoad,            // the i64 at operands[0], an address that kStoreLookup found
  kStoreUpdate,          // sets the key operands[0..n-2] to operands[n-1]; a failed insert is a drop
  kStoreDelete,          // deletes the key operands, if present
  // Globals (check_globals.cpp), `index` naming one of Module::globals.
  kGlobalLoad,           // the global's value
  kGlobalStore,          // sets the global to operands[0]
  kGlobalAdd,            // adds operands[0] to the global atomically
  // Parameters (check_parameters.cpp), `index` naming one of
  // Module::parameters. Their values are set at load time, so no pass folds
  // them.
  kParameterLoad,        // the int or bool parameter's value
  kParameterString,      // the string parameter, a string[capacity] in `.rodata`
};

// True for opcodes that produce no value.
bool HasNoResult(Opcode opcode);

// True for the string commands that the backend lowers as a loop over the
// string's bytes, which the verifier walks byte by byte.
bool WalksString(Opcode opcode);

// String values (kCommString, kContextCharArray, kContextDataLoc,
// kUserString, kKernelString, kKernelCharArray)
// describe where the bytes are. The backend reads them into the buffer of
// each use (an event field, a map key, a comparison), so a string costs no
// stack until it is used. A kStack value is read the same way, with
// bpf_get_stack, and only an event field or an aggregation key uses one.
struct Instruction {
  Opcode opcode = Opcode::kConstInt;
  ValueId result = kNoValue;  // kNoValue for kEmit and kAggregate
  Type type;                  // the result's type
  std::vector<ValueId> operands;
  int64_t int_value = 0;
  uint32_t offset = 0;
  uint32_t index = 0;
  BinaryOp binary_op = BinaryOp::kAdd;
  ProbeValue probe_value = ProbeValue::kPid;
  std::string text;
  CoreAccess access;  // kCoreRead, kCoreAddress and kCoreFieldExists
  frontend::Span span;
};

enum class TerminatorKind { kReturn, kJump, kBranch };

struct Terminator {
  TerminatorKind kind = TerminatorKind::kReturn;
  ValueId condition = kNoValue;  // kBranch
  BlockId target = 0;            // kJump, and kBranch when true
  BlockId else_target = 0;       // kBranch when false
};

struct Block {
  std::vector<Instruction> instructions;
  Terminator terminator;
};

// The way the loader attaches a program. Tracepoints, raw tracepoints,
// tp_btf, kprobes and fentry/fexit attach from their libbpf section name
// alone. The other families need the loader to do more, described here.
enum class AttachKind {
  kSection,    // libbpf attaches from the section name
  kUprobe,     // `path` at `symbol` + `offset`, or at file `offset` alone
  kUretprobe,  // as kUprobe, on return
  kProfile,    // a perf event on every CPU, `frequency` times a second
  kInterval,   // a perf event on one CPU, every `period_ns`
  kBegin,      // run once by the loader before it attaches any probe
  kEnd,        // run once by the loader after it detaches every probe
};

struct Attach {
  AttachKind kind = AttachKind::kSection;
  std::string path;
  std::string symbol;
  uint64_t offset = 0;
  // The file offset of a USDT probe's semaphore, or 0 when it has none.
  uint64_t semaphore = 0;
  uint64_t frequency = 0;
  uint64_t period_ns = 0;
  // `kernel:function("f")` compiles to an fentry program and a kprobe
  // program. The fentry one names the kprobe one here; the loader uses the
  // kprobe when the kernel refuses to load or attach the fentry.
  std::string fallback;
};

struct Function {
  // The ELF symbol; unique in the object.
  std::string name;
  // The libbpf section, such as `tracepoint/syscalls/sys_enter_openat`.
  std::string section;
  Attach attach;
  // The probe target as written in the source.
  std::string target;
  frontend::Span span;
  std::vector<Block> blocks;  // blocks[0] is the entry
  std::vector<Type> value_types;
  // Mutable variables (`mut`), integers or bools, by index. Each starts at
  // 0 when the program runs.
  std::vector<Type> locals;
};

struct EventField {
  std::string name;
  Type type;
  uint32_t offset = 0;  // from the start of the record, header included
  Unit unit = Unit::kNone;  // for i64 fields only
};

// One piece of a `print` line: literal text, or the event field it shows.
struct PrintPart {
  std::string text;
  int32_t field = -1;  // -1 for text
};

// The layout of the records one `emit` or `print` sends through the ring
// buffer. A `print` sends only the values; the loader formats the line.
struct EventLayout {
  uint32_t id = 0;
  std::string function;
  frontend::Span span;
  std::vector<EventField> fields;
  uint32_t size = 0;  // header included, rounded up to 8
  bool is_print = false;
  std::vector<PrintPart> print_parts;
};

// The kind of an aggregation: the value it keeps per key, which sets the
// words of its map value.
enum class AggregationKind { kCount, kSum, kAvg, kMin, kMax, kStats, kHistogram, kLinear };

// The name of `kind` in derived names and in the metadata: `count`, `sum`,
// ..., `histogram`, and `linear` for a linear histogram.
const char* AggregationKindName(AggregationKind kind);

// One field of an aggregation's key, at `offset` in the key.
struct KeyField {
  std::string name;
  Type type;
  uint32_t offset = 0;
};

// The number of keys a keyed aggregation has room for without `--max-entries`.
inline constexpr uint32_t kDefaultMaxEntries = 10240;
// The maximum number of buckets between MIN and MAX of `histogram --linear`.
inline constexpr int64_t kMaxLinearBuckets = 1000;
// Words of a power-of-two histogram: v < 0, v == 0, and 2^k <= v < 2^(k+1)
// for k = 0..62.
inline constexpr uint32_t kLog2Buckets = 65;

// One aggregation and the per-CPU map that stores it. Its value is an
// array of u64 words, ValueWords() of them, laid out per kind as
// docs/object-format.md lists.
struct Aggregation {
  AggregationKind kind = AggregationKind::kCount;
  // The map's symbol and the name nubpf-run prints. The checker sets it
  // once every probe is checked (AssignAggregationNames).
  std::string name;
  // The `--as` name, or empty when the name is derived from `base_name`.
  std::string explicit_name;
  std::string base_name;
  frontend::Span span;  // the first site
  std::vector<KeyField> key;  // empty for a keyless aggregation
  uint32_t key_size = 0;      // rounded up to 8; 0 when keyless
  Unit unit = Unit::kNone;    // of the value; kNone for count
  // `histogram --linear MIN MAX STEP`.
  int64_t linear_min = 0;
  int64_t linear_max = 0;
  int64_t linear_step = 1;
  uint32_t max_entries = kDefaultMaxEntries;
  bool lru = false;
  // The aggregation's slot in `nubpf_drops`, or -1 when it cannot drop a
  // key: keyless, or LRU, which evicts.
  int32_t drop_slot = -1;

  // Buckets between MIN and MAX: ceil((MAX - MIN) / STEP).
  uint32_t LinearBuckets() const;
  uint32_t ValueWords() const;
};

// A keyed store: one BPF_MAP_TYPE_HASH shared by every CPU and probe, from
// KEY to an i64 (a bool is stored as 0 or 1).
struct Store {
  // The store's NAME, which is also its map symbol.
  std::string name;
  // The first `store set` or `start-timer` of the name, where the metadata
  // places the store.
  frontend::Span span;
  std::vector<KeyField> key;
  uint32_t key_size = 0;
  // The value type: an i64 (with `unit` for durations and file sizes), a
  // bool or a string.
  Type value_type = Type::Int(64, true);
  Unit value_unit = Unit::kNone;
  uint32_t max_entries = kDefaultMaxEntries;
  // The slot of `nubpf_drops` that counts failed inserts.
  uint32_t drop_slot = 0;
  // For the checker: the first `store set` or `start-timer` of the name,
  // and the first read (`store get`, `stop-timer`, `store delete`). A read
  // checked before any set takes the value type as an int, or for
  // `stop-timer` as a duration, which the first set must then agree with.
  std::optional<frontend::Span> first_set;
  std::optional<frontend::Span> first_read;
  bool first_read_is_timer = false;
  // Set when a set was rejected for its value type, so that the store is
  // not also reported as never set.
  bool set_rejected = false;

  // The bytes of the map's value: 8 for a scalar, and for a string its
  // capacity and a NUL, in whole words, as a string buffer has.
  uint32_t ValueSize() const {
    if (value_type.kind != TypeKind::kString) return 8;
    return (value_type.capacity + 8) / 8 * 8;
  }
};

// A top-level `mut NAME = LITERAL`: a variable in `.data` that every probe
// reads and updates, and the loader prints at exit.
struct Global {
  std::string name;
  frontend::Span span;
  Type type = Type::Int(64, true);  // i64 or bool
  Unit unit = Unit::kNone;
  int64_t initial = 0;
  // Bytes from the start of `.data`: globals are 8-byte slots in order.
  uint32_t offset = 0;
  // For the checker: the declaration had an error, so that uses of the
  // global report nothing more. No module with such a global is lowered.
  bool is_error = false;
};

// A flag of `def main`: a value in `.rodata` that the loader sets before it
// loads the object, and that probes read but never change.
struct Parameter {
  // The flag as written, without `--`: `min-bytes`.
  std::string name;
  // The variable probes read, as Nushell names it: `min_bytes`.
  std::string variable;
  frontend::Span span;
  Type type = Type::Int(64, true);  // i64, bool or string[capacity]
  Unit unit = Unit::kNone;
  // The default: `initial` for an i64 or a bool, `initial_text` for a string.
  int64_t initial = 0;
  std::string initial_text;
  // The default as the loader's `--help` shows it, such as `4kb` or `""`.
  std::string default_text;
  // Bytes from the start of `.rodata`; each value starts on 8 bytes.
  uint32_t offset = 0;
};

struct Module {
  std::vector<Function> functions;
  std::vector<EventLayout> events;
  std::vector<Aggregation> aggregations;
  std::vector<Store> stores;
  std::vector<Global> globals;
  std::vector<Parameter> parameters;
  // Slots of `nubpf_drops`, which counts the keys that full maps dropped.
  uint32_t drop_slots = 0;
  // The kernel types that CO-RE instructions name, by KernelTypeId.
  std::vector<KernelType> kernel_types;
};

// Event records begin with a u32 event id, the u32 BTF type id of the
// record's struct and the u64 bpf_ktime_get_ns() of the emit.
inline constexpr uint32_t kEventHeaderSize = 16;

// Capacity of `comm`, as the kernel's TASK_COMM_LEN.
inline constexpr uint32_t kCommCapacity = 16;

// Frames of `kstack` and `ustack` unless `nubpfc --stack-depth` sets
// another depth. The largest depth is the kernel's default for the
// `kernel.perf_event_max_stack` sysctl, because bpf_get_stack fills at
// most that many frames and leaves the rest of a larger buffer zero.
inline constexpr uint32_t kDefaultStackDepth = 32;
inline constexpr uint32_t kMaxStackDepth = 127;

}  // namespace nubpf::mir
