// BTF-defined maps: a global in `.maps` whose debug type is the struct that
// libbpf reads the map's definition from. For a ring buffer of 256 KiB the
// equivalent C is
//
//   struct {
//     int (*type)[BPF_MAP_TYPE_RINGBUF];   // 27
//     int (*max_entries)[262144];
//   } nubpf_events SEC(".maps");
//
// The numbers live in the array sizes of pointer members, so the global
// itself is all zeros; key and value types are `KEY *key` members.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "llvm/IR/DIBuilder.h"
#include "llvm/IR/Module.h"

namespace nubpf::backend {

// Map types from the kernel's `enum bpf_map_type` (include/uapi/linux/bpf.h).
enum class MapType : uint32_t {
  kHash = 1,
  kArray = 2,
  kPerCpuHash = 5,
  kPerCpuArray = 6,
  kLruPerCpuHash = 10,
  kRingBuffer = 27,
};

// A member of a struct that StructType() builds.
struct DebugMember {
  std::string name;
  llvm::DIType* type = nullptr;
  uint64_t offset_bits = 0;
};

struct MapDefinition {
  std::string name;
  MapType type = MapType::kPerCpuArray;
  uint32_t max_entries = 1;
  llvm::DIType* key = nullptr;    // null for ring buffers
  llvm::DIType* value = nullptr;  // null for ring buffers
};

// Creates debug types for maps and attaches them to `.maps` globals.
class MapBuilder {
 public:
  MapBuilder(llvm::Module& module, llvm::DIBuilder& debug,
             llvm::DICompileUnit* unit);

  // Declares the map's global before its definition is known, so programs
  // can refer to it; Define() attaches the definition later.
  llvm::GlobalVariable* Declare(const std::string& name, unsigned members);
  void Define(llvm::GlobalVariable* global, const MapDefinition& definition);

  llvm::DIType* IntType(unsigned bits, bool is_signed);
  llvm::DIType* BoolType();
  llvm::DIType* CharArrayType(uint32_t size);
  // `struct nubpf_kstack_32 { unsigned int frames; unsigned int pid;
  // unsigned long long addresses[32]; }`, or `nubpf_ustack_N`.
  llvm::DIType* StackType(uint32_t depth, bool user);
  llvm::DIType* ArrayType(llvm::DIType* element, uint32_t count);
  llvm::DIType* StructType(const std::string& name, uint64_t size_bits,
                           const std::vector<DebugMember>& members);

 private:
  llvm::DIDerivedType* NumberMember(const char* name, uint32_t value,
                                    uint64_t offset_bits);
  llvm::DIDerivedType* TypeMember(const char* name, llvm::DIType* type,
                                  uint64_t offset_bits);

  llvm::Module& module_;
  llvm::DIBuilder& debug_;
  llvm::DICompileUnit* unit_;
  llvm::DIFile* file_;
  llvm::DIType* int_type_;
};

}  // namespace nubpf::backend
