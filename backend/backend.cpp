#include "backend/backend.h"

#include <algorithm>
#include <iterator>
#include <set>

#include "backend/child_process.h"
#include "backend/module_lowering.h"
#include "llvm/IR/DiagnosticInfo.h"
#include "llvm/IR/DiagnosticPrinter.h"
#include "llvm/IR/IntrinsicsBPF.h"
#include "llvm/IR/Intrinsics.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"

namespace nubpf::backend {

static std::unique_ptr<llvm::TargetMachine> CreateTargetMachine(
    const std::string& cpu, std::string* error) {
  LLVMInitializeBPFTargetInfo();
  LLVMInitializeBPFTarget();
  LLVMInitializeBPFTargetMC();
  LLVMInitializeBPFAsmPrinter();

  const llvm::Target* target =
      llvm::TargetRegistry::lookupTarget(kTargetTriple, *error);
  if (target == nullptr) return nullptr;
  // Code generation runs at the default level even for -O0. The BPF
  // backend turns CO-RE relocated loads into immediates in a machine pass
  // that runs only then. Without it, a record's BTF type id would be read
  // from address 0.
  return std::unique_ptr<llvm::TargetMachine>(target->createTargetMachine(
      kTargetTriple, cpu, "", llvm::TargetOptions(), llvm::Reloc::PIC_,
      std::nullopt, llvm::CodeGenOptLevel::Default));
}

// Runs LLVM's default pipeline. The BPF target adds its own IR passes to
// it, the ones that turn preserve_access_index accesses into CO-RE
// relocations among them.
static void Optimize(llvm::Module& module, llvm::TargetMachine& machine,
                     int optimization_level) {
  llvm::LoopAnalysisManager loops;
  llvm::FunctionAnalysisManager functions;
  llvm::CGSCCAnalysisManager cgscc;
  llvm::ModuleAnalysisManager modules;
  // Unrolling gives the verifier no less to walk, because it walks every
  // iteration of a loop anyway. A nest of unrolled loops with branches
  // leaves it more states to keep: a 32 by 32 nest with one `if` passed the
  // 1M-instruction limit unrolled, and loads as loops.
  llvm::PipelineTuningOptions tuning;
  tuning.LoopUnrolling = false;
  tuning.LoopVectorization = false;
  tuning.SLPVectorization = false;
  llvm::PassBuilder passes(&machine, tuning);
  passes.registerModuleAnalyses(modules);
  passes.registerCGSCCAnalyses(cgscc);
  passes.registerFunctionAnalyses(functions);
  passes.registerLoopAnalyses(loops);
  passes.crossRegisterProxies(loops, functions, cgscc, modules);

  llvm::ModulePassManager pipeline =
      optimization_level == 0
          ? passes.buildO0DefaultPipeline(llvm::OptimizationLevel::O0)
          : passes.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O2);
  pipeline.run(module, modules);
}

// Runs LLVM's optimisation pipeline on `module` and writes it out as
// `kind`. Returns false with `error` set when LLVM reported errors into
// `llvm_errors`, through the context's diagnostic handler.
static bool Generate(llvm::Module& module, llvm::TargetMachine& machine,
                     const BackendOptions& options, OutputKind kind,
                     const std::set<std::string>& llvm_errors, std::string* output,
                     std::string* error) {
  Optimize(module, machine, options.optimization_level);

  llvm::raw_string_ostream stream(*output);
  if (kind == OutputKind::kLlvmIr) {
    module.print(stream, nullptr);
    return true;
  }

  llvm::SmallString<0> buffer;
  llvm::raw_svector_ostream buffer_stream(buffer);
  llvm::legacy::PassManager codegen;
  llvm::CodeGenFileType file_type = kind == OutputKind::kAssembly
                                        ? llvm::CodeGenFileType::AssemblyFile
                                        : llvm::CodeGenFileType::ObjectFile;
  if (machine.addPassesToEmitFile(codegen, buffer_stream, nullptr, file_type)) {
    *error = "internal error: LLVM cannot emit this file type for BPF";
    return false;
  }
  codegen.run(module);
  if (!llvm_errors.empty()) {
    // The first few messages show the problem; the rest repeat it at
    // other source locations.
    constexpr size_t kShownErrors = 5;
    *error = "internal error: LLVM could not compile the program:";
    size_t shown_count = 0;
    for (const std::string& message : llvm_errors) {
      if (shown_count++ == kShownErrors) break;
      *error += "\n" + message;
    }
    if (llvm_errors.size() > kShownErrors) {
      *error += "\n(and " + std::to_string(llvm_errors.size() - kShownErrors) +
                " more)";
    }
    return false;
  }
  output->assign(buffer.begin(), buffer.end());
  return true;
}

// Returns true when `module` calls the intrinsics that LLVM's BPF backend
// turns into CO-RE relocations.
static bool UsesCoreRelocations(const llvm::Module& module) {
  static constexpr llvm::Intrinsic::ID kCoreIntrinsics[] = {
      llvm::Intrinsic::preserve_array_access_index,
      llvm::Intrinsic::preserve_struct_access_index,
      llvm::Intrinsic::preserve_union_access_index,
      llvm::Intrinsic::bpf_preserve_field_info,
      llvm::Intrinsic::bpf_preserve_enum_value,
      llvm::Intrinsic::bpf_preserve_type_info,
  };
  for (const llvm::Function& function : module) {
    if (std::find(std::begin(kCoreIntrinsics), std::end(kCoreIntrinsics),
                  function.getIntrinsicID()) != std::end(kCoreIntrinsics)) {
      return true;
    }
  }
  return false;
}

bool Emit(const mir::Module& mir, const frontend::SourceFile& source,
          const BackendOptions& options, OutputKind kind, std::string* output,
          std::string* error) {
  std::unique_ptr<llvm::TargetMachine> machine =
      CreateTargetMachine(options.cpu, error);
  if (!machine) return false;

  // LLVM reports backend errors (a call it cannot lower, say) through the
  // context; without a handler it prints them and exits with status 1.
  // The BPF backend reports one error per instruction it cannot lower, so
  // the same message can come hundreds of times. Each is kept once.
  llvm::LLVMContext context;
  std::set<std::string> llvm_error_set;
  context.setDiagnosticHandlerCallBack(
      [](const llvm::DiagnosticInfo* info, void* sink) {
        if (info->getSeverity() != llvm::DS_Error) return;
        std::string message;
        llvm::raw_string_ostream stream(message);
        llvm::DiagnosticPrinterRawOStream printer(stream);
        info->print(printer);
        static_cast<std::set<std::string>*>(sink)->insert(message);
      },
      &llvm_error_set);
  std::string limit_error;
  std::unique_ptr<llvm::Module> module = LowerModule(
      mir, source, options, machine->createDataLayout(), context, &limit_error);
  if (!module) {
    *error = limit_error;
    return false;
  }

  std::string verifier_errors;
  llvm::raw_string_ostream verifier_stream(verifier_errors);
  if (llvm::verifyModule(*module, &verifier_stream)) {
    *error = "internal error: the generated LLVM IR is invalid:\n" + verifier_errors;
    return false;
  }

  // LLVM 19's BPF pass for CO-RE (BPFAbstractMemberAccess) keeps the
  // globals that stand for relocations in a static map, keyed by type,
  // kind, offset and access path, and never clears it. A second module in
  // the same process with the same access would load the first module's
  // global after its context freed it. So such modules go through LLVM in
  // a child process, whose copy of the map goes away with it, and the map
  // in this process stays empty.
  auto generate = [&](std::string* bytes, std::string* message) {
    return Generate(*module, *machine, options, kind, llvm_error_set, bytes, message);
  };
  if (UsesCoreRelocations(*module)) return RunInChildProcess(generate, output, error);
  return generate(output, error);
}

std::string LlvmVersion() { return LLVM_VERSION_STRING; }

}  // namespace nubpf::backend
