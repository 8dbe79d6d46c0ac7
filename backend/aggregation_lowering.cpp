// Lowering of kAggregate: build the key, find this CPU's value words in the
// aggregation's map, and update them for the aggregation's kind. For
// `$e.ret | math sum --by $e.comm` the program does, in C terms,
//
//   char key[16];  bpf_get_current_comm(key, 16);
//   s64 *words = bpf_map_lookup_elem(&sum_ret_by_comm, key);
//   if (!words) {
//     s64 zero[1] = {0};
//     long err = bpf_map_update_elem(&sum_ret_by_comm, key, zero, BPF_NOEXIST);
//     if (err && err != -EEXIST) __sync_fetch_and_add(&nubpf_drops[slot], 1);
//     words = bpf_map_lookup_elem(&sum_ret_by_comm, key);
//   }
//   if (words) words[0] += ret;
//
// A value larger than kMaxStackZeroBytes starts from `nubpf_zero` instead
// of the stack.
//
// The maps are per-CPU, so the adds are plain loads and stores: only this
// CPU writes its copy. A program that runs in an NMI, such as a perf event
// probe, can still interrupt one and lose its own update.

#include <cassert>

#include "backend/bpf_helpers.h"
#include "backend/function_lowering.h"

namespace nubpf::backend {

using mir::AggregationKind;
using mir::TypeKind;

namespace {
// The errno that bpf_map_update_elem returns with BPF_NOEXIST when another
// program created the key between our lookup and update.
constexpr int64_t kEExist = 17;
}  // namespace

void FunctionLowering::LowerAggregate(const mir::Instruction& instruction) {
  const mir::Aggregation& aggregation = context_.mir.aggregations[instruction.index];
  llvm::GlobalVariable* map = context_.aggregation_maps[instruction.index];
  llvm::Value* value = instruction.operands.size() > aggregation.key.size()
                           ? values_[instruction.operands.back()]
                           : nullptr;

  llvm::Value* words = nullptr;
  if (aggregation.key.empty()) {
    words = MapLookup(map, ZeroKey());
  } else {
    llvm::Value* key = BuildKey(aggregation.key, aggregation.key_size, instruction);
    words = LookupOrCreate(map, key, aggregation.ValueWords(), aggregation.drop_slot);
  }

  auto* update = llvm::BasicBlock::Create(llvm_, "aggregate", llvm_function_);
  auto* done = llvm::BasicBlock::Create(llvm_, "aggregate_done", llvm_function_);
  builder_.CreateCondBr(builder_.CreateIsNull(words), done, update);
  builder_.SetInsertPoint(update);
  UpdateWords(aggregation, words, value, done);
  builder_.CreateBr(done);
  builder_.SetInsertPoint(done);
}

// Returns this CPU's value words for `key`, creating the entry from zeros
// on a miss, or null when the map is full. BPF_NOEXIST keeps an entry that
// another CPU created in between. Any other failure means a full map, so it
// adds 1 to slot `drop_slot` of `nubpf_drops` (-1: none).
llvm::Value* FunctionLowering::LookupOrCreate(llvm::GlobalVariable* map, llvm::Value* key,
                                              uint32_t value_words, int32_t drop_slot) {
  llvm::Value* found = MapLookup(map, key);
  llvm::BasicBlock* lookup_end = builder_.GetInsertBlock();
  auto* create = llvm::BasicBlock::Create(llvm_, "aggregate_new", llvm_function_);
  auto* join = llvm::BasicBlock::Create(llvm_, "aggregate_found", llvm_function_);
  builder_.CreateCondBr(builder_.CreateIsNull(found), create, join);

  builder_.SetInsertPoint(create);
  auto* insert = llvm::BasicBlock::Create(llvm_, "aggregate_insert", llvm_function_);
  auto* again = llvm::BasicBlock::Create(llvm_, "aggregate_again", llvm_function_);
  llvm::Value* zero = nullptr;
  if (value_words * 8 <= kMaxStackZeroBytes) {
    zero = EntryAlloca(llvm::ArrayType::get(builder_.getInt64Ty(), value_words));
    builder_.CreateMemSet(zero, builder_.getInt8(0), value_words * 8, llvm::MaybeAlign(8));
    builder_.CreateBr(insert);
  } else {
    zero = MapLookup(context_.zero_map, ZeroKey());
    builder_.CreateCondBr(builder_.CreateIsNull(zero), again, insert);
  }

  builder_.SetInsertPoint(insert);
  llvm::Value* result =
      CallHelper(builder_, Helper::kMapUpdateElem,
                 {map, key, zero, builder_.getInt64(kUpdateNoExist)});
  if (drop_slot >= 0) {
    llvm::Value* failed = builder_.CreateAnd(
        builder_.CreateICmpNE(result, builder_.getInt64(0)),
        builder_.CreateICmpNE(result, builder_.getInt64(-kEExist)));
    auto* drop = llvm::BasicBlock::Create(llvm_, "aggregate_drop", llvm_function_);
    builder_.CreateCondBr(failed, drop, again);
    builder_.SetInsertPoint(drop);
    IncrementCounter(context_.drop_counters, static_cast<uint32_t>(drop_slot));
  }
  builder_.CreateBr(again);

  builder_.SetInsertPoint(again);
  llvm::Value* created = MapLookup(map, key);
  llvm::BasicBlock* again_end = builder_.GetInsertBlock();
  builder_.CreateBr(join);

  builder_.SetInsertPoint(join);
  llvm::PHINode* words = builder_.CreatePHI(found->getType(), 2);
  words->addIncoming(found, lookup_end);
  words->addIncoming(created, again_end);
  return words;
}

// Adds `amount` to word `index` of `words`.
void FunctionLowering::AddToWord(llvm::Value* words, uint32_t index, llvm::Value* amount) {
  llvm::Type* word = builder_.getInt64Ty();
  llvm::Value* address = builder_.CreateConstInBoundsGEP1_32(word, words, index);
  builder_.CreateStore(builder_.CreateAdd(builder_.CreateLoad(word, address), amount),
                       address);
}

// Sets word `index` to `value` when `count`, the count before this update,
// is 0 or when `value` is below (`keep_less`) or above the word.
void FunctionLowering::KeepExtreme(llvm::Value* words, uint32_t index, llvm::Value* count,
                                   llvm::Value* value, bool keep_less) {
  llvm::Type* word = builder_.getInt64Ty();
  llvm::Value* address = builder_.CreateConstInBoundsGEP1_32(word, words, index);
  llvm::Value* old_value = builder_.CreateLoad(word, address);
  llvm::Value* better = keep_less ? builder_.CreateICmpSLT(value, old_value)
                                  : builder_.CreateICmpSGT(value, old_value);
  llvm::Value* first = builder_.CreateICmpEQ(count, builder_.getInt64(0));
  builder_.CreateStore(
      builder_.CreateSelect(builder_.CreateOr(first, better), value, old_value), address);
}

// Updates the words as docs/object-format.md lays them out per kind.
void FunctionLowering::UpdateWords(const mir::Aggregation& aggregation, llvm::Value* words,
                                   llvm::Value* value, llvm::BasicBlock* done) {
  llvm::Type* word = builder_.getInt64Ty();
  llvm::Value* one = builder_.getInt64(1);
  switch (aggregation.kind) {
    case AggregationKind::kCount:
      AddToWord(words, 0, one);
      return;
    case AggregationKind::kSum:
      AddToWord(words, 0, value);
      return;
    case AggregationKind::kAvg:
      AddToWord(words, 0, one);
      AddToWord(words, 1, value);
      return;
    case AggregationKind::kMin:
    case AggregationKind::kMax: {
      llvm::Value* count = builder_.CreateLoad(word, words);
      KeepExtreme(words, 1, count, value, aggregation.kind == AggregationKind::kMin);
      builder_.CreateStore(builder_.CreateAdd(count, one), words);
      return;
    }
    case AggregationKind::kStats: {
      llvm::Value* count = builder_.CreateLoad(word, words);
      AddToWord(words, 1, value);
      KeepExtreme(words, 2, count, value, /*keep_less=*/true);
      KeepExtreme(words, 3, count, value, /*keep_less=*/false);
      builder_.CreateStore(builder_.CreateAdd(count, one), words);
      return;
    }
    case AggregationKind::kHistogram:
    case AggregationKind::kLinear: {
      llvm::Value* bucket = aggregation.kind == AggregationKind::kHistogram
                                ? Log2Bucket(value)
                                : LinearBucket(aggregation, value);
      // The bucket functions give an index in range, so this check only
      // gives the verifier the bound. Opaque() keeps LLVM from proving a
      // linear bucket's check redundant and removing it. LLVM cannot prove
      // a power-of-two bucket below 65, because the bits of log2 allow 63,
      // so that check stays without Opaque(), and LLVM moves the bucket's
      // +2 into the offset of the load and store.
      if (aggregation.kind == AggregationKind::kLinear) bucket = Opaque(bucket);
      auto* in_range = llvm::BasicBlock::Create(llvm_, "bucket", llvm_function_);
      builder_.CreateCondBr(
          builder_.CreateICmpUGT(bucket, builder_.getInt64(aggregation.ValueWords() - 1)),
          done, in_range);
      builder_.SetInsertPoint(in_range);
      llvm::Value* address = builder_.CreateInBoundsGEP(word, words, bucket);
      builder_.CreateStore(builder_.CreateAdd(builder_.CreateLoad(word, address), one),
                           address);
      return;
    }
  }
}

// The power-of-two bucket of `value`: 0 below 0, 1 for 0, and 2 + k for
// 2^k <= value < 2^(k+1). k is found by a binary search over the shifts 32,
// 16, 8, 4 and 2, then the last bit: for 40 (0b101000) the steps shift by
// 0, 0, 0, 4 and 0, and the last bit of 0b10 adds 1, so k = 5 and the
// bucket is 7, [32, 64). The comparisons and selects are plain IR, so that
// where a condition before the histogram already proves the value
// positive, as `if $e.ret > 0` does, LLVM drops the other two cases.
llvm::Value* FunctionLowering::Log2Bucket(llvm::Value* value) {
  llvm::Type* u64 = builder_.getInt64Ty();
  llvm::Value* rest = value;
  llvm::Value* log2 = builder_.getInt64(0);
  for (uint64_t bits : {5, 4, 3, 2, 1}) {
    uint64_t shift = uint64_t{1} << bits;
    llvm::Value* has_high =
        builder_.CreateICmpUGT(rest, builder_.getInt64((uint64_t{1} << shift) - 1));
    llvm::Value* amount = builder_.CreateShl(builder_.CreateZExt(has_high, u64), bits);
    rest = builder_.CreateLShr(rest, amount);
    log2 = builder_.CreateOr(log2, amount);
  }
  log2 = builder_.CreateOr(log2, builder_.CreateLShr(rest, 1));

  llvm::Value* positive_bucket = builder_.CreateAdd(log2, builder_.getInt64(2));
  llvm::Value* zero_or_positive = builder_.CreateSelect(
      builder_.CreateICmpEQ(value, builder_.getInt64(0)), builder_.getInt64(1),
      positive_bucket);
  return builder_.CreateSelect(builder_.CreateICmpSLT(value, builder_.getInt64(0)),
                               builder_.getInt64(0), zero_or_positive);
}

// The linear bucket of `value`: 0 below MIN, 1 + i for
// MIN + i*STEP <= value < MIN + (i+1)*STEP, and N + 1 from MIN + N*STEP up.
llvm::Value* FunctionLowering::LinearBucket(const mir::Aggregation& aggregation,
                                            llvm::Value* value) {
  uint32_t buckets = aggregation.LinearBuckets();
  llvm::Value* min = builder_.getInt64(static_cast<uint64_t>(aggregation.linear_min));
  llvm::Value* below = builder_.CreateICmpSLT(value, min);
  // MIN + N*STEP may pass the largest i64, and then no value is above it.
  __int128 top = static_cast<__int128>(aggregation.linear_min) +
                 static_cast<__int128>(buckets) * aggregation.linear_step;
  llvm::Value* above = builder_.getFalse();
  if (top <= std::numeric_limits<int64_t>::max()) {
    above = builder_.CreateICmpSGE(value, builder_.getInt64(static_cast<uint64_t>(top)));
  }
  // From MIN up, value - MIN is right as a u64 even where the i64 wraps.
  llvm::Value* inside = builder_.CreateAdd(
      builder_.CreateUDiv(builder_.CreateSub(value, min),
                          builder_.getInt64(static_cast<uint64_t>(aggregation.linear_step))),
      builder_.getInt64(1));
  llvm::Value* bucket =
      builder_.CreateSelect(above, builder_.getInt64(buckets + 1), inside);
  return builder_.CreateSelect(below, builder_.getInt64(0), bucket);
}

}  // namespace nubpf::backend
