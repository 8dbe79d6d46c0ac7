// Lowering of MIR strings: reads from the probe's context and memory,
// literals, and the string commands.
//
// A buffer that a command works on contains the string, its NUL and zeros up
// to a multiple of 8 bytes past its capacity, so that words and bytes can
// be read past the NUL, and a string that fills its capacity still ends in
// a NUL. Commands that scan a string are counted loops with a constant
// bound, which the verifier accepts since kernel 5.3.

#include "backend/bpf_helpers.h"
#include "backend/function_lowering.h"
#include "llvm/IR/IntrinsicsBPF.h"

namespace nubpf::backend {

using mir::Opcode;

// Bytes of the buffer a command works on: room for the string, a NUL
// after it and zeros up to a multiple of 8.
static uint32_t PaddedSize(uint32_t capacity) { return (capacity + 8) / 8 * 8; }

// Returns a buffer of `capacity` bytes for a string or a stack value: a
// stack slot when it is small and the program's string slots stay within
// kStackStringBudget, else the next free part of the scratch area.
llvm::Value* FunctionLowering::StringBuffer(uint32_t capacity) {
  uint32_t rounded = (capacity + 7) / 8 * 8;
  if (capacity <= kMaxStackString && stack_strings_ + rounded <= kStackStringBudget) {
    stack_strings_ += rounded;
    return EntryAlloca(llvm::ArrayType::get(builder_.getInt8Ty(), rounded));
  }
  llvm::Value* buffer = builder_.CreateConstInBoundsGEP1_32(
      builder_.getInt8Ty(), ScratchBase(), scratch_used_);
  scratch_used_ += rounded;
  return buffer;
}


void FunctionLowering::ReadString(const StringSource& source,
                                  llvm::Value* destination) {
  llvm::Value* capacity = builder_.getInt32(source.capacity);
  switch (source.opcode) {
    case Opcode::kCommString:
      CallHelper(builder_, Helper::kGetCurrentComm, {destination, capacity});
      return;
    case Opcode::kContextCharArray: {
      llvm::Value* field = builder_.CreateConstInBoundsGEP1_32(
          builder_.getInt8Ty(), ctx_, source.offset);
      CallHelper(builder_, Helper::kProbeReadKernel,
                 {destination, capacity, field});
      return;
    }
    case Opcode::kContextDataLoc: {
      // The locator's low 16 bits are the string's offset in the record,
      // and its high 16 bits the string's length, NUL included. The read
      // stops at the NUL, so the length is not needed.
      llvm::Value* locator_address = builder_.CreateConstInBoundsGEP1_32(
          builder_.getInt8Ty(), ctx_, source.offset);
      llvm::LoadInst* locator = builder_.CreateLoad(builder_.getInt32Ty(), locator_address);
      locator->setAlignment(llvm::Align(4));
      llvm::Value* offset = builder_.CreateZExt(
          builder_.CreateAnd(locator, builder_.getInt32(0xffff)), builder_.getInt64Ty());
      llvm::Value* text = builder_.CreateInBoundsGEP(builder_.getInt8Ty(), ctx_, offset);
      CallHelper(builder_, Helper::kProbeReadKernelStr, {destination, capacity, text});
      return;
    }
    case Opcode::kUserString: {
      llvm::Value* address = builder_.CreateIntToPtr(
          source.address, llvm::PointerType::get(llvm_, 0));
      CallHelper(builder_, Helper::kProbeReadUserStr,
                 {destination, capacity, address});
      return;
    }
    case Opcode::kKernelString: {
      llvm::Value* address = builder_.CreateIntToPtr(
          source.address, llvm::PointerType::get(llvm_, 0));
      CallHelper(builder_, Helper::kProbeReadKernelStr,
                 {destination, capacity, address});
      return;
    }
    case Opcode::kKernelCharArray: {
      // All the array's bytes, as for a char array in the context: the
      // string ends at its NUL or at the end of the array.
      llvm::Value* address = builder_.CreateIntToPtr(
          source.address, llvm::PointerType::get(llvm_, 0));
      CallHelper(builder_, Helper::kProbeReadKernel, {destination, capacity, address});
      return;
    }
    default:
      break;
  }
  if (source.buffer != nullptr) {
    CopyBytes(destination, source.buffer, source.capacity);
    return;
  }
  if (source.literal != nullptr) {
    WriteLiteral(*source.literal, source.capacity, destination);
    return;
  }
  llvm_unreachable("ReadString called on a value that is not a string");
}


// Zeroes `size` bytes in chunks the BPF backend expands into stores: it
// has no memset to call, and expands at most 128 stores per memset. The
// chunks are volatile so that MemCpyOpt does not merge them back into one.
void FunctionLowering::ZeroFill(llvm::Value* buffer, uint32_t size) {
  ZeroRange(buffer, 0, size);
}

// Zeroes bytes [begin, end) of `buffer`, which is 8-byte aligned, as
// ZeroFill() does.
void FunctionLowering::ZeroRange(llvm::Value* buffer, uint32_t begin, uint32_t end) {
  constexpr uint32_t kChunk = 128 * 8;
  for (uint32_t offset = begin; offset < end; offset += kChunk) {
    llvm::Value* chunk = builder_.CreateConstInBoundsGEP1_32(
        builder_.getInt8Ty(), buffer, offset);
    builder_.CreateMemSet(chunk, builder_.getInt8(0), std::min(kChunk, end - offset),
                          llvm::commonAlignment(llvm::Align(8), offset),
                          /*isVolatile=*/true);
  }
}

// `==` with a literal: the string and the literal agree up to and
// including the literal's NUL, so that "bash" does not equal "bashful".
llvm::Value* FunctionLowering::LowerStringEquals(
    const mir::Instruction& instruction) {
  const StringSource& source = strings_[instruction.operands[0]];
  if (instruction.text.size() + 1 > source.capacity) return builder_.getFalse();
  // The literal, its NUL and one byte more decide: a longer string has a
  // byte where the literal has its NUL, even when the read cuts it there.
  uint32_t size = std::min(source.capacity,
                           static_cast<uint32_t>(instruction.text.size()) + 2);
  return LowerStringPrefix(PrefixBytes(source, size), size, instruction.text,
                           /*include_nul=*/true);
}

// Returns a buffer with the first `size` bytes of a string: the string's
// buffer if it has one, else a read of only those bytes, which costs less
// than reading the whole capacity.
llvm::Value* FunctionLowering::PrefixBytes(const StringSource& source,
                                           uint32_t size) {
  if (source.buffer != nullptr) return source.buffer;
  StringSource prefix = source;
  prefix.capacity = size;
  llvm::Value* buffer = StringBuffer(size);
  ReadString(prefix, buffer);
  return buffer;
}

// Compares the first bytes of the string with the literal, and with its
// NUL too when `include_nul` is set. Buffers are 8-aligned, so the bytes
// are compared 8 at a time. Each word is XORed with the literal's bytes
// (little-endian, as bpfel is) and masked to the bytes that matter. The
// results are ORed into a difference that is 0 exactly when all match.
// Bytes past the last full word inside the capacity are compared one by
// one, because the verifier rejects reads of stack bytes no helper wrote.
llvm::Value* FunctionLowering::LowerStringPrefix(llvm::Value* buffer,
                                                 uint32_t capacity,
                                                 const std::string& literal,
                                                 bool include_nul) {
  uint32_t length = static_cast<uint32_t>(literal.size()) + (include_nul ? 1 : 0);
  if (length > capacity) return builder_.getFalse();
  auto expected_byte = [&](uint32_t index) -> uint64_t {
    return index < literal.size() ? static_cast<uint8_t>(literal[index]) : 0;
  };

  llvm::Type* word = builder_.getInt64Ty();
  llvm::Value* difference = builder_.getInt64(0);
  for (uint32_t offset = 0; offset < length; offset += 8) {
    uint32_t width = std::min(8u, length - offset);
    llvm::Value* address = builder_.CreateConstInBoundsGEP1_32(
        builder_.getInt8Ty(), buffer, offset);

    if (offset + 8 <= capacity) {
      uint64_t expected = 0;
      for (uint32_t i = 0; i < width; ++i) {
        expected |= expected_byte(offset + i) << (8 * i);
      }
      uint64_t mask = width == 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * width)) - 1;
      llvm::LoadInst* loaded = builder_.CreateLoad(word, address);
      loaded->setAlignment(llvm::Align(8));
      llvm::Value* mismatch = builder_.CreateAnd(
          builder_.CreateXor(loaded, builder_.getInt64(expected)),
          builder_.getInt64(mask));
      difference = builder_.CreateOr(difference, mismatch);
      continue;
    }

    for (uint32_t i = 0; i < width; ++i) {
      llvm::Value* byte_address = builder_.CreateConstInBoundsGEP1_32(
          builder_.getInt8Ty(), address, i);
      llvm::Value* loaded = builder_.CreateZExt(
          builder_.CreateLoad(builder_.getInt8Ty(), byte_address), word);
      difference = builder_.CreateOr(
          difference,
          builder_.CreateXor(loaded, builder_.getInt64(expected_byte(offset + i))));
    }
  }
  return builder_.CreateICmpEQ(difference, builder_.getInt64(0));
}

// Returns a scratch buffer of PaddedSize(capacity) bytes. Commands read
// their buffers at offsets that change with a loop counter, which the
// verifier accepts in a map value once the offset is bounded, and the
// scratch area keeps long buffers off the 512-byte stack.
llvm::Value* FunctionLowering::ScratchBuffer(uint32_t capacity) {
  llvm::Value* buffer = builder_.CreateConstInBoundsGEP1_32(
      builder_.getInt8Ty(), ScratchBase(), scratch_used_);
  scratch_used_ += PaddedSize(capacity);
  return buffer;
}

// Returns a padded buffer that contains string `value`, reading it there
// first unless a command or a literal made it a buffer already.
llvm::Value* FunctionLowering::Bytes(mir::ValueId value) {
  const StringSource& source = strings_[value];
  if (source.buffer != nullptr) return source.buffer;
  llvm::Value* buffer = ScratchBuffer(source.capacity);
  ZeroFill(buffer, PaddedSize(source.capacity));
  ReadString(source, buffer);
  return buffer;
}

// Stores a string in a string local: its bytes, then zeros to the end of
// the local's padded buffer, which may be longer than the string's.
void FunctionLowering::StoreStringLocal(const mir::Instruction& instruction) {
  uint32_t capacity = function_.locals[instruction.index].capacity;
  llvm::Value* local = locals_[instruction.index];
  ZeroFill(local, PaddedSize(capacity));
  ReadString(strings_[instruction.operands[0]], local);
}

// Reads a string local into a buffer of the load's own. A `let` bound to
// the value keeps it when a later assignment stores another string.
void FunctionLowering::LoadStringLocal(const mir::Instruction& instruction) {
  uint32_t capacity = instruction.type.capacity;
  llvm::Value* buffer = ScratchBuffer(capacity);
  CopyBytes(buffer, locals_[instruction.index], PaddedSize(capacity));
  StringSource& source = strings_[instruction.result];
  source.opcode = instruction.opcode;
  source.capacity = capacity;
  source.buffer = buffer;
}

// Writes `literal` and zeros up to `capacity` bytes, 8 at a time where a
// whole word fits, so that nothing past `capacity` is written.
void FunctionLowering::WriteLiteral(const std::string& literal,
                                    uint32_t capacity,
                                    llvm::Value* destination) {
  auto byte_at = [&](uint32_t index) -> uint64_t {
    return index < literal.size() ? static_cast<uint8_t>(literal[index]) : 0;
  };
  uint32_t offset = 0;
  for (; offset + 8 <= capacity; offset += 8) {
    uint64_t word = 0;
    for (uint32_t i = 0; i < 8; ++i) word |= byte_at(offset + i) << (8 * i);
    llvm::Value* address = builder_.CreateConstInBoundsGEP1_32(
        builder_.getInt8Ty(), destination, offset);
    builder_.CreateAlignedStore(builder_.getInt64(word), address, llvm::Align(8));
  }
  for (; offset < capacity; ++offset) {
    llvm::Value* address = builder_.CreateConstInBoundsGEP1_32(
        builder_.getInt8Ty(), destination, offset);
    builder_.CreateStore(builder_.getInt8(static_cast<uint8_t>(byte_at(offset))),
                         address);
  }
}

// Copies `size` bytes between buffers. Short copies become loads and
// stores. Longer ones are one helper call, because the BPF backend expands
// a memcpy into at most 128 stores and has no memcpy to call.
void FunctionLowering::CopyBytes(llvm::Value* destination, llvm::Value* source,
                                 uint32_t size) {
  if (size <= kMaxStackString) {
    builder_.CreateMemCpy(destination, llvm::MaybeAlign(8), source,
                          llvm::MaybeAlign(8), size);
    return;
  }
  CallHelper(builder_, Helper::kProbeReadKernel,
             {destination, builder_.getInt32(size), source});
}

llvm::Value* FunctionLowering::LoadByte(llvm::Value* buffer, llvm::Value* index) {
  llvm::Value* address =
      builder_.CreateInBoundsGEP(builder_.getInt8Ty(), buffer, index);
  return builder_.CreateLoad(builder_.getInt8Ty(), address);
}

// Returns 1 when `condition` holds, else 0, as a u64.
llvm::Value* FunctionLowering::Flag(llvm::Value* condition) {
  return builder_.CreateZExt(condition, builder_.getInt64Ty());
}

// Returns `value` unchanged, hidden from LLVM's combines: the BPF backend
// removes the call only after the optimizer has run.
llvm::Value* FunctionLowering::Opaque(llvm::Value* value) {
  llvm::Function* passthrough = llvm::Intrinsic::getDeclaration(
      &context_.module, llvm::Intrinsic::bpf_passthrough,
      {value->getType(), value->getType()});
  return builder_.CreateCall(passthrough, {builder_.getInt32(0), value});
}

// Returns 1 when the u64 `value`, below 2^63, is below `limit`, else 0,
// computed from the sign of `value - limit`. A comparison would become a
// branch, because BPF has no instruction that sets a flag. Branches in a
// loop body leave the verifier many paths to walk per iteration: one
// `str contains` on a 256-byte string cost 265k verified instructions
// with them and 8.4k without, on a 6.18 kernel.
llvm::Value* FunctionLowering::BelowFlag(llvm::Value* value, uint64_t limit) {
  return builder_.CreateLShr(
      builder_.CreateSub(Opaque(value), builder_.getInt64(limit)), 63);
}

// Counts the bytes before the first NUL. The padded buffer ends in one.
llvm::Value* FunctionLowering::LowerStringLength(llvm::Value* buffer,
                                                 uint32_t capacity) {
  llvm::Type* u64 = builder_.getInt64Ty();
  llvm::AllocaInst* length = EntryAlloca(u64);
  llvm::AllocaInst* ended = EntryAlloca(u64);
  builder_.CreateStore(builder_.getInt64(0), length);
  builder_.CreateStore(builder_.getInt64(0), ended);
  CountedLoop(capacity + 1, [&](llvm::Value* index) {
    llvm::Value* is_nul =
        BelowFlag(builder_.CreateZExt(LoadByte(buffer, index), u64), 1);
    llvm::Value* now_ended =
        builder_.CreateOr(builder_.CreateLoad(u64, ended), is_nul);
    builder_.CreateStore(now_ended, ended);
    builder_.CreateStore(
        builder_.CreateAdd(builder_.CreateLoad(u64, length),
                           builder_.CreateXor(now_ended, builder_.getInt64(1))),
        length);
  });
  return builder_.CreateLoad(u64, length);
}

// `contains` looks for the literal at every index up to the string's NUL;
// `ends-with` looks for the literal followed by the NUL, which matches only
// where the string ends.
llvm::Value* FunctionLowering::LowerStringSearch(
    const mir::Instruction& instruction) {
  uint32_t capacity = strings_[instruction.operands[0]].capacity;
  std::string pattern = instruction.text;
  if (instruction.opcode == Opcode::kStringEndsWith) pattern.push_back('\0');
  uint32_t size = static_cast<uint32_t>(pattern.size());
  if (size == 0) return builder_.getTrue();
  if (size > capacity + 1) return builder_.getFalse();

  llvm::Type* u64 = builder_.getInt64Ty();
  llvm::Value* buffer = Bytes(instruction.operands[0]);
  llvm::AllocaInst* found = EntryAlloca(u64);
  llvm::AllocaInst* ended = EntryAlloca(u64);
  builder_.CreateStore(builder_.getInt64(0), found);
  builder_.CreateStore(builder_.getInt64(0), ended);
  CountedLoop(capacity + 2 - size, [&](llvm::Value* index) {
    llvm::Value* difference = builder_.getInt64(0);
    for (uint32_t i = 0; i < size; ++i) {
      llvm::Value* at = builder_.CreateAdd(index, builder_.getInt64(i));
      llvm::Value* byte = builder_.CreateZExt(LoadByte(buffer, at), u64);
      difference = builder_.CreateOr(
          difference,
          builder_.CreateXor(byte, builder_.getInt64(static_cast<uint8_t>(pattern[i]))));
    }
    // A match counts only before the string's NUL.
    llvm::Value* was_ended = builder_.CreateLoad(u64, ended);
    llvm::Value* match = builder_.CreateAnd(
        BelowFlag(difference, 1), builder_.CreateXor(was_ended, builder_.getInt64(1)));
    builder_.CreateStore(builder_.CreateOr(builder_.CreateLoad(u64, found), match),
                         found);
    llvm::Value* first = builder_.CreateZExt(LoadByte(buffer, index), u64);
    builder_.CreateStore(builder_.CreateOr(was_ended, BelowFlag(first, 1)), ended);
  });
  return builder_.CreateICmpNE(builder_.CreateLoad(u64, found),
                               builder_.getInt64(0));
}

// Two strings are equal when their padded buffers agree on every word up
// to the end of the shorter one's. That range contains the shorter
// string's NUL, and both buffers are zero after their NULs.
llvm::Value* FunctionLowering::LowerStringCompare(
    const mir::Instruction& instruction) {
  uint32_t shorter = std::min(strings_[instruction.operands[0]].capacity,
                              strings_[instruction.operands[1]].capacity);
  llvm::Value* lhs = Bytes(instruction.operands[0]);
  llvm::Value* rhs = Bytes(instruction.operands[1]);
  llvm::Value* difference = builder_.getInt64(0);
  for (uint32_t offset = 0; offset < PaddedSize(shorter); offset += 8) {
    auto load = [&](llvm::Value* buffer) {
      llvm::Value* address = builder_.CreateConstInBoundsGEP1_32(
          builder_.getInt8Ty(), buffer, offset);
      return builder_.CreateAlignedLoad(builder_.getInt64Ty(), address,
                                        llvm::Align(8));
    };
    difference = builder_.CreateOr(difference,
                                   builder_.CreateXor(load(lhs), load(rhs)));
  }
  return builder_.CreateICmpEQ(difference, builder_.getInt64(0));
}

// ASCII letters change case; other bytes, UTF-8 sequences included, stay.
llvm::Value* FunctionLowering::LowerStringCase(
    const mir::Instruction& instruction) {
  uint32_t capacity = instruction.type.capacity;
  bool lower = instruction.opcode == Opcode::kStringLower;
  llvm::Value* buffer = ScratchBuffer(capacity);
  ZeroFill(buffer, PaddedSize(capacity));
  ReadString(strings_[instruction.operands[0]], buffer);
  CountedLoop(capacity, [&](llvm::Value* index) {
    llvm::Value* address =
        builder_.CreateInBoundsGEP(builder_.getInt8Ty(), buffer, index);
    llvm::Value* byte = builder_.CreateLoad(builder_.getInt8Ty(), address);
    llvm::Value* first = builder_.getInt8(lower ? 'A' : 'a');
    llvm::Value* is_letter = builder_.CreateICmpULT(
        builder_.CreateSub(byte, first), builder_.getInt8(26));
    llvm::Value* changed = lower ? builder_.CreateAdd(byte, builder_.getInt8(32))
                                 : builder_.CreateSub(byte, builder_.getInt8(32));
    builder_.CreateStore(builder_.CreateSelect(is_letter, changed, byte), address);
  });
  return buffer;
}

// Bytes [start, end) of the string; the checker has made `end` at most the
// source's capacity. Past the source's NUL the buffer holds zeros, so a
// range past the end of the string gives the part that exists.
llvm::Value* FunctionLowering::LowerSubstring(
    const mir::Instruction& instruction) {
  uint32_t start = instruction.offset;
  uint32_t end = static_cast<uint32_t>(instruction.int_value);
  llvm::Value* source = Bytes(instruction.operands[0]);
  llvm::Value* buffer = ScratchBuffer(instruction.type.capacity);
  ZeroFill(buffer, PaddedSize(instruction.type.capacity));
  if (end > start) {
    llvm::Value* from = builder_.CreateConstInBoundsGEP1_32(builder_.getInt8Ty(),
                                                            source, start);
    if (end - start <= kMaxStackString) {
      builder_.CreateMemCpy(buffer, llvm::MaybeAlign(8), from, llvm::MaybeAlign(1),
                            end - start);
    } else {
      CallHelper(builder_, Helper::kProbeReadKernel,
                 {buffer, builder_.getInt32(end - start), from});
    }
  }
  return buffer;
}

// Writes an integer in decimal. Byte j shows the digit of the power of
// 10 that the digit count gives it, picked by arithmetic on flags. A digit
// count used as an offset would make the verifier walk the rest of the
// program once per possible count, and comparisons would be branches.
llvm::Value* FunctionLowering::LowerIntToString(
    const mir::Instruction& instruction) {
  mir::ValueId operand = instruction.operands[0];
  const mir::Type& type = function_.value_types[operand];
  llvm::Type* u64 = builder_.getInt64Ty();
  llvm::Value* value =
      builder_.CreateIntCast(values_[operand], u64, type.is_signed);
  // The magnitude is (value ^ mask) - mask, with mask all ones when the
  // value is negative.
  llvm::Value* mask = type.is_signed ? builder_.CreateAShr(value, 63)
                                     : builder_.getInt64(0);
  llvm::Value* negative = builder_.CreateAnd(mask, builder_.getInt64(1));
  llvm::Value* magnitude =
      builder_.CreateSub(builder_.CreateXor(value, mask), mask);

  // A u64 has at most 20 digits: 1, and 1 more per power of 10 it reaches.
  // magnitude / 10^k is below 2^63 for k >= 1, as BelowFlag needs.
  constexpr uint32_t kDigits = 20;
  llvm::Value* count = builder_.getInt64(1);
  uint64_t power_of_ten = 1;
  for (uint32_t k = 1; k < kDigits; ++k) {
    power_of_ten *= 10;
    llvm::Value* quotient =
        builder_.CreateUDiv(magnitude, builder_.getInt64(power_of_ten));
    count = builder_.CreateAdd(
        count, builder_.CreateXor(BelowFlag(quotient, 1), builder_.getInt64(1)));
  }

  llvm::Value* buffer = ScratchBuffer(instruction.type.capacity);
  ZeroFill(buffer, PaddedSize(instruction.type.capacity));
  llvm::Value* last = builder_.CreateSub(builder_.CreateAdd(count, negative),
                                         builder_.getInt64(1));
  // Loops rather than straight-line code, so that LLVM does not keep the
  // values of all 21 bytes alive at once and spill them to the stack.
  uint32_t bytes = std::min<uint32_t>(instruction.type.capacity - 1, kDigits + 1);
  CountedLoop(bytes, [&](llvm::Value* index) {
    // Byte j shows the digit of 10^(last - j). The exponent lies in
    // [-20, 20], so its low byte equals k only when it is k.
    llvm::Value* exponent = builder_.CreateAnd(builder_.CreateSub(last, index),
                                               builder_.getInt64(0xff));
    llvm::AllocaInst* power = EntryAlloca(u64);
    llvm::AllocaInst* has_digit = EntryAlloca(u64);
    llvm::AllocaInst* scale = EntryAlloca(u64);
    builder_.CreateStore(builder_.getInt64(0), power);
    builder_.CreateStore(builder_.getInt64(0), has_digit);
    builder_.CreateStore(builder_.getInt64(1), scale);
    CountedLoop(kDigits, [&](llvm::Value* k) {
      llvm::Value* current_scale = builder_.CreateLoad(u64, scale);
      llvm::Value* chosen = BelowFlag(builder_.CreateXor(exponent, k), 1);
      builder_.CreateStore(
          builder_.CreateAdd(builder_.CreateLoad(u64, power),
                             builder_.CreateMul(chosen, current_scale)),
          power);
      builder_.CreateStore(builder_.CreateOr(builder_.CreateLoad(u64, has_digit), chosen),
                           has_digit);
      builder_.CreateStore(builder_.CreateMul(current_scale, builder_.getInt64(10)),
                           scale);
    });
    // Past the last digit the power is 0: divide by 1 and write NUL.
    llvm::Value* has = builder_.CreateLoad(u64, has_digit);
    llvm::Value* divisor = builder_.CreateAdd(
        builder_.CreateLoad(u64, power), builder_.CreateXor(has, builder_.getInt64(1)));
    llvm::Value* digit = builder_.CreateURem(builder_.CreateUDiv(magnitude, divisor),
                                             builder_.getInt64(10));
    llvm::Value* byte =
        builder_.CreateMul(has, builder_.CreateAdd(digit, builder_.getInt64('0')));
    // The first byte of a negative number is the sign.
    llvm::Value* is_sign = builder_.CreateAnd(negative, BelowFlag(index, 1));
    byte = builder_.CreateAdd(
        byte, builder_.CreateMul(is_sign, builder_.CreateSub(builder_.getInt64('-'), byte)));
    builder_.CreateStore(builder_.CreateTrunc(byte, builder_.getInt8Ty()),
                         builder_.CreateInBoundsGEP(builder_.getInt8Ty(), buffer,
                                                    index));
  });
  return buffer;
}

// Reads an optional `-` and the decimal digits after it, up to the first
// byte that is not a digit. Wraps on overflow, as the rest of the
// arithmetic does.
llvm::Value* FunctionLowering::LowerStringToInt(
    const mir::Instruction& instruction) {
  uint32_t capacity = strings_[instruction.operands[0]].capacity;
  llvm::Value* buffer = Bytes(instruction.operands[0]);
  llvm::Type* u64 = builder_.getInt64Ty();
  llvm::AllocaInst* value = EntryAlloca(u64);
  llvm::AllocaInst* negative = EntryAlloca(u64);
  llvm::AllocaInst* reading = EntryAlloca(u64);
  builder_.CreateStore(builder_.getInt64(0), value);
  builder_.CreateStore(builder_.getInt64(0), negative);
  builder_.CreateStore(builder_.getInt64(1), reading);

  CountedLoop(capacity, [&](llvm::Value* index) {
    llvm::Value* byte = builder_.CreateZExt(LoadByte(buffer, index), u64);
    // Bytes below '0' wrap to large values, which are not below 10.
    llvm::Value* digit = builder_.CreateAnd(
        builder_.CreateSub(byte, builder_.getInt64('0')), builder_.getInt64(0xff));
    llvm::Value* is_digit = BelowFlag(digit, 10);
    llvm::Value* is_sign = builder_.CreateAnd(
        BelowFlag(index, 1),
        BelowFlag(builder_.CreateXor(byte, builder_.getInt64('-')), 1));
    llvm::Value* was_reading = builder_.CreateLoad(u64, reading);
    llvm::Value* take = builder_.CreateAnd(was_reading, is_digit);

    // value * 10 + digit when `take` is 1, value when it is 0.
    llvm::Value* current = builder_.CreateLoad(u64, value);
    llvm::Value* step = builder_.CreateAdd(
        builder_.CreateMul(current, builder_.getInt64(9)), digit);
    builder_.CreateStore(builder_.CreateAdd(current, builder_.CreateMul(take, step)),
                         value);
    builder_.CreateStore(builder_.CreateOr(builder_.CreateLoad(u64, negative), is_sign),
                         negative);
    builder_.CreateStore(builder_.CreateAnd(was_reading,
                                            builder_.CreateOr(is_digit, is_sign)),
                         reading);
  });

  llvm::Value* result = builder_.CreateLoad(u64, value);
  llvm::Value* is_negative =
      builder_.CreateICmpNE(builder_.CreateLoad(u64, negative), builder_.getInt64(0));
  return builder_.CreateSelect(is_negative, builder_.CreateNeg(result), result);
}

// Lowers the string opcodes. Returns false for any other opcode.
bool FunctionLowering::LowerStringInstruction(const mir::Instruction& instruction) {
  llvm::Value* result = nullptr;
  switch (instruction.opcode) {
    case Opcode::kCommString:
    case Opcode::kContextCharArray:
    case Opcode::kContextDataLoc:
    case Opcode::kUserString:
    case Opcode::kKernelString:
    case Opcode::kKernelCharArray: {
      StringSource& source = strings_[instruction.result];
      source.opcode = instruction.opcode;
      source.offset = instruction.offset;
      source.capacity = instruction.type.capacity;
      if (!instruction.operands.empty()) {
        source.address = values_[instruction.operands[0]];
      }
      return true;
    }
    case Opcode::kStringLiteral: {
      StringSource& source = strings_[instruction.result];
      source.opcode = instruction.opcode;
      source.capacity = instruction.type.capacity;
      source.literal = &instruction.text;
      return true;
    }
    case Opcode::kStringLower:
    case Opcode::kStringUpper:
    case Opcode::kStringSubstring:
    case Opcode::kIntToString: {
      StringSource& source = strings_[instruction.result];
      source.opcode = instruction.opcode;
      source.capacity = instruction.type.capacity;
      source.buffer = instruction.opcode == Opcode::kStringSubstring
                          ? LowerSubstring(instruction)
                      : instruction.opcode == Opcode::kIntToString
                          ? LowerIntToString(instruction)
                          : LowerStringCase(instruction);
      return true;
    }
    case Opcode::kStringEqualsLiteral:
      result = LowerStringEquals(instruction);
      break;
    case Opcode::kStringStartsWith: {
      // A read of the literal's length plus its NUL contains every byte
      // compared.
      const StringSource& operand = strings_[instruction.operands[0]];
      uint32_t size = std::min(operand.capacity,
                               static_cast<uint32_t>(instruction.text.size()) + 1);
      result = LowerStringPrefix(PrefixBytes(operand, size), size, instruction.text,
                                 /*include_nul=*/false);
      break;
    }
    case Opcode::kStringEndsWith:
    case Opcode::kStringContains:
      result = LowerStringSearch(instruction);
      break;
    case Opcode::kStringEquals:
      result = LowerStringCompare(instruction);
      break;
    case Opcode::kStringLength:
      result = LowerStringLength(Bytes(instruction.operands[0]),
                                 strings_[instruction.operands[0]].capacity);
      break;
    case Opcode::kStringToInt:
      result = LowerStringToInt(instruction);
      break;
    default:
      return false;
  }
  values_[instruction.result] = result;
  return true;
}

}  // namespace nubpf::backend
