#include "backend/module_lowering.h"

#include "backend/bpf_maps.h"
#include "backend/event_types.h"
#include "backend/lowering_context.h"
#include "backend/metadata_section.h"
#include "llvm/IR/Constants.h"
#include "llvm/Transforms/Utils/ModuleUtils.h"

namespace nubpf::backend {

namespace {

llvm::DIType* KeyDebugType(MapBuilder& maps, const mir::Type& type) {
  switch (type.kind) {
    case mir::TypeKind::kBool:
      return maps.BoolType();
    case mir::TypeKind::kInt:
      return maps.IntType(type.bits, type.is_signed);
    case mir::TypeKind::kString:
      return maps.CharArrayType(type.capacity);
    case mir::TypeKind::kStack:
      return maps.StackType(type.stack_depth, type.stack == mir::StackKind::kUser);
    case mir::TypeKind::kPointer:
      return maps.IntType(64, false);
  }
  return nullptr;
}

// The key of a keyed aggregation: the field's own type when the key is one
// field that fills it, else `struct NAME_key` with a member per field.
llvm::DIType* AggregationKeyType(MapBuilder& maps, const mir::Aggregation& aggregation) {
  const mir::KeyField& first = aggregation.key[0];
  if (aggregation.key.size() == 1 && first.type.SizeInBytes() == aggregation.key_size) {
    return KeyDebugType(maps, first.type);
  }
  std::vector<DebugMember> members;
  for (const mir::KeyField& field : aggregation.key) {
    members.push_back({field.name, KeyDebugType(maps, field.type), uint64_t{field.offset} * 8});
  }
  return maps.StructType(aggregation.name + "_key", uint64_t{aggregation.key_size} * 8,
                         members);
}

// The value words: `long long` for a one-word kind, a struct that names
// each word for the others, and an array of bucket counts for histograms.
llvm::DIType* AggregationValueType(MapBuilder& maps, const mir::Aggregation& aggregation) {
  llvm::DIType* i64 = maps.IntType(64, true);
  llvm::DIType* u64 = maps.IntType(64, false);
  auto words = [&](const char* name, std::vector<std::pair<const char*, llvm::DIType*>> list) {
    std::vector<DebugMember> members;
    for (size_t i = 0; i < list.size(); ++i) {
      members.push_back({list[i].first, list[i].second, i * 64});
    }
    return maps.StructType(name, list.size() * 64, members);
  };
  switch (aggregation.kind) {
    case mir::AggregationKind::kCount:
      return u64;
    case mir::AggregationKind::kSum:
      return i64;
    case mir::AggregationKind::kAvg:
      return words("nubpf_avg", {{"count", u64}, {"sum", i64}});
    case mir::AggregationKind::kMin:
      return words("nubpf_min", {{"count", u64}, {"min", i64}});
    case mir::AggregationKind::kMax:
      return words("nubpf_max", {{"count", u64}, {"max", i64}});
    case mir::AggregationKind::kStats:
      return words("nubpf_stats", {{"count", u64}, {"sum", i64}, {"min", i64}, {"max", i64}});
    case mir::AggregationKind::kHistogram:
    case mir::AggregationKind::kLinear:
      return maps.ArrayType(u64, aggregation.ValueWords());
  }
  return u64;
}

MapDefinition AggregationMap(MapBuilder& maps, const mir::Aggregation& aggregation) {
  MapDefinition definition{aggregation.name, MapType::kPerCpuArray, 1, maps.IntType(32, false),
                           AggregationValueType(maps, aggregation)};
  if (aggregation.key.empty()) return definition;
  definition.type = aggregation.lru ? MapType::kLruPerCpuHash : MapType::kPerCpuHash;
  definition.max_entries = aggregation.max_entries;
  definition.key = AggregationKeyType(maps, aggregation);
  return definition;
}

// The key of a store: `struct NAME_key { ... }` with its fields.
llvm::DIType* StoreKeyDebugType(MapBuilder& maps, const mir::Store& store) {
  std::vector<DebugMember> members;
  for (const mir::KeyField& field : store.key) {
    members.push_back({field.name, KeyDebugType(maps, field.type), uint64_t{field.offset} * 8});
  }
  return maps.StructType(store.name + "_key", uint64_t{store.key_size} * 8, members);
}

// A store is a hash map shared by all CPUs, from its key struct to an i64
// or to a string buffer.
void DefineStoreMaps(MapBuilder& maps, const LoweringContext& lowering) {
  const std::vector<mir::Store>& stores = lowering.mir.stores;
  for (size_t i = 0; i < stores.size(); ++i) {
    const mir::Store& store = stores[i];
    llvm::DIType* value = store.value_type.kind == mir::TypeKind::kString
                              ? KeyDebugType(maps, mir::Type::String(store.ValueSize()))
                              : maps.IntType(64, true);
    MapDefinition definition{store.name, MapType::kHash, store.max_entries,
                             StoreKeyDebugType(maps, store), value};
    maps.Define(lowering.store_maps[i], definition);
  }
}

void AddLicense(llvm::Module& module) {
  llvm::Constant* text = llvm::ConstantDataArray::getString(
      module.getContext(), "GPL", /*AddNull=*/true);
  auto* license = new llvm::GlobalVariable(
      module, text->getType(), /*isConstant=*/true,
      llvm::GlobalValue::ExternalLinkage, text, "LICENSE");
  license->setSection("license");
  license->setAlignment(llvm::Align(1));
}

void AddMetadata(llvm::Module& module, const std::string& text) {
  llvm::Constant* bytes = llvm::ConstantDataArray::getString(
      module.getContext(), text, /*AddNull=*/false);
  auto* metadata = new llvm::GlobalVariable(
      module, bytes->getType(), /*isConstant=*/true,
      llvm::GlobalValue::InternalLinkage, bytes, "nubpf_metadata");
  metadata->setSection(kMetadataSection);
  metadata->setAlignment(llvm::Align(1));
  // Nothing refers to it; this keeps the optimizer from deleting it.
  llvm::appendToCompilerUsed(module, {metadata});
}

}  // namespace

std::unique_ptr<llvm::Module> LowerModule(const mir::Module& mir,
                                          const frontend::SourceFile& source,
                                          const BackendOptions& options,
                                          const llvm::DataLayout& layout,
                                          llvm::LLVMContext& context,
                                          std::string* limit_error) {
  // The layout must be set before any instruction is built, because
  // IRBuilder takes load and store alignments from it.
  std::string path = ObjectPath(source.path(), options);
  auto module = std::make_unique<llvm::Module>(path, context);
  module->setTargetTriple(kTargetTriple);
  module->setDataLayout(layout);
  module->addModuleFlag(llvm::Module::Warning, "Dwarf Version", 5);
  module->addModuleFlag(llvm::Module::Warning, "Debug Info Version",
                        llvm::DEBUG_METADATA_VERSION);

  // The path as given, not an absolute one, keeps builds reproducible.
  llvm::DIBuilder debug(*module);
  llvm::DIFile* file = debug.createFile(path, ".");
  llvm::DICompileUnit* unit = debug.createCompileUnit(
      llvm::dwarf::DW_LANG_C99, file, "nubpfc", /*isOptimized=*/true, "", 0);

  LoweringContext lowering{mir, source, options, *module, debug, unit, file};
  MapBuilder maps(*module, debug, unit);

  // Maps are declared first so programs can refer to them; their BTF comes
  // last, when the scratch area's size is known.
  if (!mir.events.empty()) {
    lowering.events_map = maps.Declare("nubpf_events", 2);
  }
  lowering.scratch_map = maps.Declare("nubpf_scratch", 4);
  uint32_t zero_words = 0;
  for (const mir::Aggregation& aggregation : mir.aggregations) {
    lowering.aggregation_maps.push_back(maps.Declare(aggregation.name, 4));
    if (!aggregation.key.empty() && aggregation.ValueWords() * 8 > kMaxStackZeroBytes) {
      zero_words = std::max(zero_words, aggregation.ValueWords());
    }
  }
  if (zero_words > 0) lowering.zero_map = maps.Declare("nubpf_zero", 4);
  for (const mir::Store& store : mir.stores) {
    lowering.store_maps.push_back(maps.Declare(store.name, 4));
  }
  LowerGlobals(lowering);
  LowerCounters(lowering);
  LowerParameters(lowering);

  for (const mir::EventLayout& layout : mir.events) {
    lowering.event_types.push_back(EventDebugType(maps, debug, file, layout));
  }
  lowering.kernel_types = LowerKernelTypes(mir.kernel_types, debug, unit, file, context);
  for (const mir::Function& function : mir.functions) {
    LowerFunction(lowering, function);
  }

  if (lowering.scratch_bytes > kMaxScratchBytes) {
    *limit_error = "the strings and stacks of this probe need " +
                   std::to_string(lowering.scratch_bytes) +
                   " bytes of scratch memory, more than the " +
                   std::to_string(kMaxScratchBytes) +
                   " bytes a per-CPU map value can hold; lower --max-strlen or "
                   "--stack-depth, or use fewer long strings and stack keys";
    return nullptr;
  }

  llvm::DIType* u32 = maps.IntType(32, false);
  llvm::DIType* u64 = maps.IntType(64, false);
  if (lowering.events_map != nullptr) {
    maps.Define(lowering.events_map, {"nubpf_events", MapType::kRingBuffer,
                                      options.ring_buffer_bytes, nullptr, nullptr});
  }
  if (lowering.scratch_bytes > 0) {
    maps.Define(lowering.scratch_map,
                {"nubpf_scratch", MapType::kPerCpuArray, 1, u32,
                 maps.CharArrayType(lowering.scratch_bytes)});
  } else {
    lowering.scratch_map->eraseFromParent();
  }
  for (size_t i = 0; i < mir.aggregations.size(); ++i) {
    maps.Define(lowering.aggregation_maps[i], AggregationMap(maps, mir.aggregations[i]));
  }
  if (lowering.zero_map != nullptr) {
    maps.Define(lowering.zero_map, {"nubpf_zero", MapType::kArray, 1, u32,
                                    maps.ArrayType(u64, zero_words)});
  }
  DefineStoreMaps(maps, lowering);

  AddLicense(*module);
  AddMetadata(*module, BuildMetadata(mir, path, source));
  debug.finalize();
  return module;
}

}  // namespace nubpf::backend
