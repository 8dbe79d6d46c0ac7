// Map keys of aggregations and stores: the key fields written at their
// offsets into a buffer of the key's size. Equal keys must have equal
// bytes, so every byte that no field sets is zeroed first: padding, and a
// string's bytes after its NUL when its read stops there. Zeroing only
// those bytes saves the stores that a whole-key zeroing spends on bytes a
// field then overwrites, such as an integer key's.

#include <algorithm>

#include "backend/function_lowering.h"

namespace nubpf::backend {

using mir::Opcode;
using mir::TypeKind;

// Returns a buffer with the key that the first `fields.size()` operands of
// `instruction` make.
llvm::Value* FunctionLowering::BuildKey(const std::vector<mir::KeyField>& fields,
                                        uint32_t key_size,
                                        const mir::Instruction& instruction) {
  llvm::Value* key = StringBuffer(key_size);
  std::vector<bool> filled(key_size, false);
  for (size_t i = 0; i < fields.size(); ++i) {
    uint32_t size = FilledBytes(fields[i].type, instruction.operands[i]);
    std::fill_n(filled.begin() + fields[i].offset, size, true);
  }
  for (uint32_t begin = 0; begin < key_size;) {
    uint32_t end = begin;
    while (end < key_size && !filled[end]) ++end;
    ZeroRange(key, begin, end);
    begin = end;
    while (begin < key_size && filled[begin]) ++begin;
  }

  for (size_t i = 0; i < fields.size(); ++i) {
    llvm::Value* address =
        builder_.CreateConstInBoundsGEP1_32(builder_.getInt8Ty(), key, fields[i].offset);
    WriteField(fields[i].type, instruction.operands[i], address);
  }
  return key;
}

// Returns how many bytes from the start of a field of `field_type`
// WriteField() sets for `operand`, whatever the value. Scalars set all of
// theirs, and bpf_get_stack zeroes the frames it does not fill. A string
// sets its capacity when its read writes every byte: a char array is read
// whole, as bpf_probe_read_kernel zeroes its buffer when it fails, and
// buffers and literals are copied whole. Reads that stop at the NUL set an
// unknown number.
//
// bpf_get_current_comm counts as such a read: kernels with the strscpy()
// version of the helper leave the bytes after the NUL as they were, until
// the kernel change "bpf: ensure all memory is initialized in
// bpf_get_current_comm" (April 2023) made it pad with zeros.
uint32_t FunctionLowering::FilledBytes(const mir::Type& field_type, mir::ValueId operand) {
  if (field_type.kind != TypeKind::kString) return field_type.SizeInBytes();
  const StringSource& source = strings_[operand];
  switch (source.opcode) {
    case Opcode::kContextCharArray:
    case Opcode::kKernelCharArray:
      return source.capacity;
    case Opcode::kCommString:
    case Opcode::kContextDataLoc:
    case Opcode::kUserString:
    case Opcode::kKernelString:
      return 0;
    default:
      return source.buffer != nullptr || source.literal != nullptr ? source.capacity : 0;
  }
}

}  // namespace nubpf::backend
