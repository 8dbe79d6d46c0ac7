// BTF types for event records. Each `emit` and `print` record becomes a
// named struct in `.BTF`, so that `bpftool btf dump` shows its fields:
//
//   struct nubpf_event_0 {
//     unsigned int event_id;
//     unsigned int btf_type_id;
//     unsigned long long time_ns;
//     unsigned int pid;
//     char file[256];
//   };
//
// BTF holds only the types that globals, functions and CO-RE relocations
// name, so each record's header stores its struct's local BTF type id,
// which a `llvm.bpf.btf.type.id` relocation gives.
#pragma once

#include "backend/bpf_maps.h"
#include "compiler/mir.h"
#include "llvm/IR/DIBuilder.h"

namespace nubpf::backend {

// Returns the struct that describes the records of `layout`.
llvm::DICompositeType* EventDebugType(MapBuilder& maps, llvm::DIBuilder& debug,
                                      llvm::DIFile* file,
                                      const mir::EventLayout& layout);

}  // namespace nubpf::backend
