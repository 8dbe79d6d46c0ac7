// Debug and IR types for the kernel types that probes read.
//
// The debug types carry what `.BTF` needs: names, sizes and the offsets of
// the members probes use. A struct's members come in the kernel's order,
// which is by offset, as the kernel requires of BTF it loads. Structs can
// refer to themselves through pointers (`task_struct.real_parent`), so
// each struct and union starts as a temporary node that the finished type
// replaces.
//
// The IR types only serve as the `elementtype` of access intrinsics: LLVM's
// BPF backend takes offsets from the debug types. One thing it takes from
// the IR type is the alignment of a struct whose bitfield it reads, which
// must be 8 bytes for it to read bitfields in any aligned 8-byte word. So
// a struct's IR type starts with a `[0 x i64]`, and its members are byte
// arrays at their offsets, with byte arrays of padding between them.

#include "backend/kernel_debug_types.h"

#include <algorithm>

namespace nubpf::backend {

using mir::KernelType;
using mir::KernelTypeId;
using mir::KernelTypeKind;

namespace {

class KernelTypeBuilder {
 public:
  KernelTypeBuilder(const std::vector<KernelType>& types, llvm::DIBuilder& debug,
                    llvm::DIScope* scope, llvm::DIFile* file, llvm::LLVMContext& context)
      : types_(types), debug_(debug), scope_(scope), file_(file), context_(context) {
    result_.debug.resize(types.size(), nullptr);
    result_.ir.resize(types.size(), nullptr);
    result_.elements.resize(types.size());
  }

  KernelTypeLowering Build() {
    // Structs and unions first, as temporary debug nodes and opaque IR
    // structs, so that every other type can refer to them.
    for (KernelTypeId id = 0; id < types_.size(); ++id) {
      if (!IsComposite(id)) continue;
      const KernelType& type = types_[id];
      unsigned tag = type.kind == KernelTypeKind::kStruct ? llvm::dwarf::DW_TAG_structure_type
                                                           : llvm::dwarf::DW_TAG_union_type;
      result_.debug[id] = debug_.createReplaceableCompositeType(
          tag, type.name, scope_, file_, 0, 0, uint64_t{type.size} * 8, 0,
          llvm::DINode::FlagZero);
      result_.ir[id] = llvm::StructType::create(
          context_, (type.kind == KernelTypeKind::kStruct ? "struct." : "union.") +
                        (type.name.empty() ? "anon" : type.name));
    }
    for (KernelTypeId id = 0; id < types_.size(); ++id) {
      if (!IsComposite(id)) Lower(id);
    }
    for (KernelTypeId id = 0; id < types_.size(); ++id) {
      if (IsComposite(id)) Finish(id);
    }
    return std::move(result_);
  }

 private:
  bool IsComposite(KernelTypeId id) const {
    return types_[id].kind == KernelTypeKind::kStruct ||
           types_[id].kind == KernelTypeKind::kUnion;
  }

  llvm::DIType* Debug(KernelTypeId id) {
    if (id == mir::kVoidKernelType) return nullptr;
    if (result_.debug[id] == nullptr) Lower(id);
    return result_.debug[id];
  }

  llvm::Type* Ir(KernelTypeId id) {
    if (result_.ir[id] == nullptr) Lower(id);
    return result_.ir[id];
  }

  // Makes the debug and IR types of an int, enum, pointer or array.
  void Lower(KernelTypeId id) {
    const KernelType& type = types_[id];
    uint64_t bits = uint64_t{type.size} * 8;
    switch (type.kind) {
      case KernelTypeKind::kInt:
        result_.debug[id] = debug_.createBasicType(
            type.name, bits,
            type.is_signed ? llvm::dwarf::DW_ATE_signed : llvm::dwarf::DW_ATE_unsigned);
        result_.ir[id] = llvm::Type::getIntNTy(context_, static_cast<unsigned>(bits));
        return;
      case KernelTypeKind::kBool:
        result_.debug[id] = debug_.createBasicType(type.name, bits, llvm::dwarf::DW_ATE_boolean);
        result_.ir[id] = llvm::Type::getIntNTy(context_, static_cast<unsigned>(bits));
        return;
      case KernelTypeKind::kChar:
        result_.debug[id] =
            debug_.createBasicType(type.name, bits, llvm::dwarf::DW_ATE_signed_char);
        result_.ir[id] = llvm::Type::getInt8Ty(context_);
        return;
      case KernelTypeKind::kEnum: {
        std::vector<llvm::Metadata*> enumerators;
        for (const mir::KernelEnumerator& enumerator : type.enumerators) {
          enumerators.push_back(debug_.createEnumerator(
              enumerator.name, static_cast<uint64_t>(enumerator.value), !type.is_signed));
        }
        llvm::DIType* underlying = debug_.createBasicType(
            type.is_signed ? "int" : "unsigned int", bits,
            type.is_signed ? llvm::dwarf::DW_ATE_signed : llvm::dwarf::DW_ATE_unsigned);
        result_.debug[id] = debug_.createEnumerationType(
            scope_, type.name, file_, 0, bits, 0, debug_.getOrCreateArray(enumerators),
            underlying);
        result_.ir[id] = llvm::Type::getIntNTy(context_, static_cast<unsigned>(bits));
        return;
      }
      case KernelTypeKind::kPointer:
        result_.debug[id] = debug_.createPointerType(Debug(type.target), 64);
        result_.ir[id] = llvm::PointerType::get(context_, 0);
        return;
      case KernelTypeKind::kArray: {
        llvm::Metadata* range = debug_.getOrCreateSubrange(0, int64_t{type.count});
        result_.debug[id] = debug_.createArrayType(bits, 0, Debug(type.target),
                                                   debug_.getOrCreateArray({range}));
        result_.ir[id] = llvm::ArrayType::get(Ir(type.target), type.count);
        return;
      }
      case KernelTypeKind::kStruct:
      case KernelTypeKind::kUnion:
        return;  // made in Build
    }
  }

  // Gives a struct or union its members, in debug info and in IR.
  void Finish(KernelTypeId id) {
    const KernelType& type = types_[id];
    std::vector<llvm::Metadata*> members;
    for (const mir::KernelMember& member : type.members) {
      llvm::DIType* member_type = Debug(member.type);
      uint64_t size = uint64_t{types_[member.type].size} * 8;
      if (member.bitfield_size == 0) {
        members.push_back(debug_.createMemberType(result_.debug[id], member.name, file_, 0,
                                                  size, 0, member.bit_offset,
                                                  llvm::DINode::FlagZero, member_type));
        continue;
      }
      // The storage unit is the bitfield's type at an offset aligned to it.
      uint64_t storage = size == 0 ? member.bit_offset : member.bit_offset / size * size;
      members.push_back(debug_.createBitFieldMemberType(
          result_.debug[id], member.name, file_, 0, member.bitfield_size,
          member.bit_offset, storage, llvm::DINode::FlagZero, member_type));
    }
    llvm::DINodeArray elements = debug_.getOrCreateArray(members);
    llvm::DICompositeType* finished =
        type.kind == KernelTypeKind::kStruct
            ? debug_.createStructType(scope_, type.name, file_, 0, uint64_t{type.size} * 8,
                                      0, llvm::DINode::FlagZero, nullptr, elements)
            : debug_.createUnionType(scope_, type.name, file_, 0, uint64_t{type.size} * 8, 0,
                                     llvm::DINode::FlagZero, elements);
    auto* temporary = llvm::cast<llvm::DICompositeType>(result_.debug[id]);
    result_.debug[id] = debug_.replaceTemporary(llvm::TempMDNode(temporary), finished);
    SetLayout(id);
  }

  // Lays out the IR struct: byte arrays at the bytes each member covers,
  // merged where members share bytes (bitfields in one byte, or any
  // member of a union).
  void SetLayout(KernelTypeId id) {
    const KernelType& type = types_[id];
    llvm::Type* byte = llvm::Type::getInt8Ty(context_);
    std::vector<llvm::Type*> body = {llvm::ArrayType::get(llvm::Type::getInt64Ty(context_), 0)};
    std::vector<unsigned>& element_of = result_.elements[id];
    uint32_t end = 0;
    uint32_t element_start = 0;
    for (const mir::KernelMember& member : type.members) {
      uint32_t start = member.bit_offset / 8;
      uint32_t member_end =
          member.bitfield_size != 0
              ? (member.bit_offset + member.bitfield_size + 7) / 8
              : start + types_[member.type].size;
      bool overlaps = element_of.size() > 0 && start < end;
      if (overlaps) {
        end = std::max(end, member_end);
        body.back() = llvm::ArrayType::get(byte, end - element_start);
        element_of.push_back(static_cast<unsigned>(body.size() - 1));
        continue;
      }
      if (start > end) body.push_back(llvm::ArrayType::get(byte, start - end));
      element_start = start;
      end = member_end;
      body.push_back(llvm::ArrayType::get(byte, end - start));
      element_of.push_back(static_cast<unsigned>(body.size() - 1));
    }
    if (type.size > end) body.push_back(llvm::ArrayType::get(byte, type.size - end));
    llvm::cast<llvm::StructType>(result_.ir[id])->setBody(body);
  }

  const std::vector<KernelType>& types_;
  llvm::DIBuilder& debug_;
  llvm::DIScope* scope_;
  llvm::DIFile* file_;
  llvm::LLVMContext& context_;
  KernelTypeLowering result_;
};

}  // namespace

KernelTypeLowering LowerKernelTypes(const std::vector<KernelType>& types,
                                    llvm::DIBuilder& debug, llvm::DIScope* scope,
                                    llvm::DIFile* file, llvm::LLVMContext& context) {
  return KernelTypeBuilder(types, debug, scope, file, context).Build();
}

}  // namespace nubpf::backend
