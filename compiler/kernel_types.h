// Copies kernel types from BTF into a MIR module's table
// (mir::Module::kernel_types) as probes use them: each struct or union
// with only the members some probe reads, each enum with only the
// enumerators some probe names.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/kernel_btf.h"
#include "compiler/mir_kernel_types.h"
#include "compiler/types.h"

namespace nubpf::compiler {

class KernelTypeTable {
 public:
  KernelTypeTable(const KernelBtf& btf, std::vector<mir::KernelType>* types)
      : btf_(btf), types_(*types) {}

  // Returns the entry of BTF type `btf_id` after KernelBtf::Resolve, and
  // adds it, with the types it refers to, when it is new. Returns nullopt
  // for a type that CO-RE reads cannot give: `void`, a float, a function,
  // or an integer wider than 8 bytes.
  std::optional<mir::KernelTypeId> Add(uint32_t btf_id);

  // Adds member `index` of the struct or union `btf_id` to its entry, and
  // returns the member's type; nullopt as for Add.
  std::optional<mir::KernelTypeId> AddMember(uint32_t btf_id, uint32_t index);

  // Adds enumerator `name`, whose value in the BTF is `value`, to the enum
  // entry `id`.
  void AddEnumerator(mir::KernelTypeId id, const std::string& name, int64_t value);

 private:
  std::optional<mir::KernelType> Describe(uint32_t btf_id);

  const KernelBtf& btf_;
  std::vector<mir::KernelType>& types_;
};

// True for the resolved BTF type `id` when it is `char`, whose arrays read
// as strings. With `or_signed_unsigned` set, `unsigned char` and `signed
// char` count too, as they do for pointers: the kernel keeps names in
// `const unsigned char *` (`struct qstr`), and a byte pointer cannot be
// indexed anyway.
bool IsCharType(const KernelBtf& btf, uint32_t id, bool or_signed_unsigned = false);

// The MIR type of an int, bool or enum of the resolved BTF type `id`, or
// nullopt for other types and for integers of other sizes than 1, 2, 4
// or 8 bytes.
std::optional<mir::Type> KernelScalarType(const KernelBtf& btf, uint32_t id);

// Lists names for a help line, at most 12 of them: "`a`, `b`".
std::string ListNamesForHelp(const std::vector<std::string>& names);

}  // namespace nubpf::compiler
