// The MIR passes, each on the MIR the checker builds for a small probe.

#include <sstream>

#include "compiler/mir_passes.h"
#include "compiler/mir_printer.h"
#include "gtest/gtest.h"
#include "tests/compiler/compile_helpers.h"

namespace nubpf::testing {
namespace {

class MirPasses : public ::testing::Test {
 protected:
  // Checks `body` as the closure of a sys_exit_read probe and returns its
  // one function.
  mir::Function CheckBody(const std::string& body) {
    CheckResult result = CheckText(
        "probe tracepoint:syscalls:sys_exit_read {|e|\n" + body + "\n}\n", tracefs_);
    EXPECT_TRUE(result.ok) << result.diagnostics;
    module_ = std::move(result.module);
    return module_.functions.empty() ? mir::Function() : module_.functions[0];
  }

  // Returns the blocks of `function` as `--emit mir` prints them.
  std::string Print(const mir::Function& function) {
    mir::Module module;
    module.functions.push_back(function);
    std::ostringstream out;
    mir::PrintModule(module, out);
    std::string text = out.str();
    return text.substr(text.find("bb0:"));
  }

  FakeTracefs tracefs_;
  mir::Module module_;
};

TEST_F(MirPasses, FoldsArithmeticOnConstants) {
  mir::Function function = CheckBody(
      "mut n = 6\n"
      "$n *= 7\n"
      "emit {n: ($n // 4), low: ($n bit-and 3), neg: (0 - $n), big: ($n > 40)}");
  EXPECT_TRUE(mir::FoldConstants(&function));
  mir::EliminateDeadCode(&function);
  EXPECT_EQ(Print(function),
            "bb0:\n"
            "  %6: i64 = const 10\n"
            "  %9: i64 = const 2\n"
            "  %12: i64 = const -42\n"
            "  %15: bool = const true\n"
            "  emit event#0 %6, %9, %12, %15\n"
            "  return\n");
}

TEST_F(MirPasses, FoldsLikeTheBackend) {
  // Floor division rounds down, division by 0 gives 0, shifts count modulo
  // 64, and results wrap at the type's width.
  mir::Function function = CheckBody(
      "mut a = 0 - 7\n"
      "mut z = 0\n"
      "mut big = 9223372036854775807\n"
      "emit {q: ($a // 2), r: ($a mod 3), d: (5 // $z), m: (5 mod $z), "
      "s: (1 bit-shl 65), w: ($big + 1), sr: ($a bit-shr 1)}");
  mir::FoldConstants(&function);
  mir::EliminateDeadCode(&function);
  std::string text = Print(function);
  EXPECT_NE(text.find("i64 = const -4\n"), std::string::npos) << text;
  EXPECT_NE(text.find("i64 = const 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("i64 = const 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("i64 = const -9223372036854775808\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("floordiv"), std::string::npos) << text;
  EXPECT_EQ(text.find("shl"), std::string::npos) << text;
}

TEST_F(MirPasses, FoldsBranchOnConstant) {
  mir::Function function = CheckBody(
      "const DEBUG = false\n"
      "if $DEBUG { emit {pid: $e.pid} } else { count }");
  EXPECT_TRUE(mir::FoldConstants(&function));
  EXPECT_TRUE(mir::EliminateDeadCode(&function));
  std::string text = Print(function);
  EXPECT_EQ(text.find("emit"), std::string::npos) << text;
  EXPECT_NE(text.find("aggregate agg#0"), std::string::npos) << text;
  EXPECT_EQ(text.find("branch"), std::string::npos) << text;
}

TEST_F(MirPasses, PropagatesLocalThroughJoin) {
  // Both branches store 3, so the load after the join is 3.
  mir::Function function = CheckBody(
      "mut n = 1\n"
      "if $e.ret > 0 { $n = 3 } else { $n = 3 }\n"
      "emit {n: $n}");
  mir::FoldConstants(&function);
  std::string text = Print(function);
  EXPECT_EQ(text.find("load local"), std::string::npos) << text;
  EXPECT_NE(text.find("i64 = const 3\n  emit"), std::string::npos) << text;
}

TEST_F(MirPasses, KeepsLocalThatPathsDisagreeOn) {
  mir::Function function = CheckBody(
      "mut n = 1\n"
      "if $e.ret > 0 { $n = 3 }\n"
      "emit {n: $n}");
  mir::FoldConstants(&function);
  EXPECT_NE(Print(function).find("load local#0"), std::string::npos) << Print(function);
}

TEST_F(MirPasses, HoistsRepeatedReads) {
  mir::Function function = CheckBody(
      "if $e.ret > 0 { emit {pid: $e.pid, ret: $e.ret} } else { emit {pid: $e.pid} }");
  EXPECT_TRUE(mir::HoistReads(&function));
  std::string text = Print(function);
  size_t pid_reads = 0;
  size_t ret_reads = 0;
  for (size_t at = text.find("= pid\n"); at != std::string::npos;
       at = text.find("= pid\n", at + 1)) {
    ++pid_reads;
  }
  for (size_t at = text.find("= ctx.load +16\n"); at != std::string::npos;
       at = text.find("= ctx.load +16\n", at + 1)) {
    ++ret_reads;
  }
  EXPECT_EQ(pid_reads, 1u) << text;
  EXPECT_EQ(ret_reads, 1u) << text;
  // Every read is in the entry block, before its first use.
  EXPECT_LT(text.find("= pid\n"), text.find("branch")) << text;
}

TEST_F(MirPasses, LeavesReadsInLoops) {
  // A pid read once before the loop would let the verifier learn it from
  // the comparison in one iteration and keep the states of every later one.
  mir::Function function = CheckBody(
      "mut n = 0\n"
      "for x in 0..<8 { if $x == $e.pid { $n += 1 } }\n"
      "emit {n: $n, pid: $e.pid}");
  std::vector<bool> in_loop = mir::BlocksInLoops(function);
  mir::HoistReads(&function);
  size_t pid_reads = 0;
  for (size_t block = 0; block < function.blocks.size(); ++block) {
    for (const mir::Instruction& instruction : function.blocks[block].instructions) {
      if (instruction.opcode != mir::Opcode::kProbeValue) continue;
      ++pid_reads;
      if (block != 0) {
        EXPECT_TRUE(in_loop[block]) << Print(function);
      }
    }
  }
  // One read in the loop body, and one hoisted for the emit after it.
  EXPECT_EQ(pid_reads, 2u) << Print(function);
}

TEST_F(MirPasses, FindsLoopBlocks) {
  mir::Function function = CheckBody(
      "if $e.ret > 0 { count }\n"
      "for x in 0..<4 { for y in 0..<2 { count } }");
  std::vector<bool> in_loop = mir::BlocksInLoops(function);
  ASSERT_EQ(in_loop.size(), function.blocks.size());
  EXPECT_FALSE(in_loop[0]);
  size_t loop_blocks = 0;
  for (bool block : in_loop) loop_blocks += block ? 1 : 0;
  // Two headers, two latches and the bodies; not the `if` or the exits.
  EXPECT_GE(loop_blocks, 6u) << Print(function);
  EXPECT_LT(loop_blocks, function.blocks.size() - 2) << Print(function);
}

TEST_F(MirPasses, ReversePostOrderPutsDefinitionsFirst) {
  // The call's exit block is numbered before the blocks of the body, and
  // uses the value the body's last block defines.
  CheckResult result = CheckText(
      "def bump [n: int] { mut s = 0; if $n > 1 { $s = 5 }; $s }\n"
      "probe tracepoint:syscalls:sys_exit_read {|e| emit {x: (bump $e.ret)} }\n",
      tracefs_);
  ASSERT_TRUE(result.ok) << result.diagnostics;
  const mir::Function& function = result.module.functions[0];
  std::vector<mir::BlockId> order = mir::ReversePostOrder(function);
  ASSERT_EQ(order.front(), 0u);

  // Every operand is defined in a block that comes earlier in the order,
  // or earlier in the same block.
  std::vector<int> defined_at(function.value_types.size(), -1);
  for (size_t position = 0; position < order.size(); ++position) {
    for (const mir::Instruction& instruction : function.blocks[order[position]].instructions) {
      for (mir::ValueId operand : instruction.operands) {
        EXPECT_GE(defined_at[operand], 0) << "%" << operand << " used before it is defined";
      }
      if (instruction.result != mir::kNoValue) {
        defined_at[instruction.result] = static_cast<int>(position);
      }
    }
  }
}

TEST_F(MirPasses, VerifierAcceptsCheckedMir) {
  mir::Function function = CheckBody("if $e.ret > 0 { emit {r: $e.ret} }");
  EXPECT_EQ(mir::VerifyFunction(function), std::nullopt);
}

TEST_F(MirPasses, VerifierFindsUseBeforeDefinition) {
  // bb0 jumps to bb1, which uses a value that only bb2 defines.
  mir::Function function = CheckBody("if $e.ret > 0 { emit {r: $e.ret} }");
  function.blocks.resize(3);
  mir::Instruction constant;
  constant.opcode = mir::Opcode::kConstInt;
  constant.type = mir::Type::Int(64, true);
  constant.result = static_cast<mir::ValueId>(function.value_types.size());
  function.value_types.push_back(constant.type);
  mir::Instruction emit;
  emit.opcode = mir::Opcode::kEmit;
  emit.operands = {constant.result};
  function.blocks[0].instructions.clear();
  function.blocks[0].terminator = {mir::TerminatorKind::kJump, mir::kNoValue, 1, 0};
  function.blocks[1].instructions = {emit};
  function.blocks[1].terminator = {mir::TerminatorKind::kJump, mir::kNoValue, 2, 0};
  function.blocks[2].instructions = {constant};
  function.blocks[2].terminator = {mir::TerminatorKind::kReturn, mir::kNoValue, 0, 0};
  std::optional<std::string> error = mir::VerifyFunction(function);
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(error->find("bb1: uses %"), std::string::npos) << *error;
}

TEST_F(MirPasses, VerifierFindsBadTargetAndCondition) {
  mir::Function function = CheckBody("count");
  function.blocks[0].terminator = {mir::TerminatorKind::kJump, mir::kNoValue, 7, 0};
  std::optional<std::string> error = mir::VerifyFunction(function);
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(error->find("jumps to bb7, which does not exist"), std::string::npos) << *error;

  function = CheckBody("if $e.ret > 0 { count }");
  mir::ValueId ret = function.blocks[0].instructions[0].result;
  function.blocks[0].terminator.condition = ret;
  error = mir::VerifyFunction(function);
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(error->find("which is not a bool"), std::string::npos) << *error;
}

TEST_F(MirPasses, VerifierFindsStackOutsideEmitAndCount) {
  mir::Function function = CheckBody("emit {stack: $e.kstack}");
  EXPECT_EQ(mir::VerifyFunction(function), std::nullopt);

  // The checker never lets a stack reach an operator; a pass bug could.
  mir::Instruction& emit = function.blocks[0].instructions.back();
  ASSERT_EQ(emit.opcode, mir::Opcode::kEmit);
  mir::ValueId stack = emit.operands[0];
  emit.opcode = mir::Opcode::kNot;
  emit.result = static_cast<mir::ValueId>(function.value_types.size());
  function.value_types.push_back(mir::Type::Bool());
  std::optional<std::string> error = mir::VerifyFunction(function);
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(error->find("uses the stack %" + std::to_string(stack) +
                        " outside `emit`, aggregations and store keys"),
            std::string::npos)
      << *error;
}

TEST_F(MirPasses, RemovesUnusedValuesAndLocals) {
  mir::Function function = CheckBody(
      "let unused = $e.ret * 2\n"
      "mut never_read = 5\n"
      "$never_read += $e.ret\n"
      "count");
  EXPECT_TRUE(mir::EliminateDeadCode(&function));
  EXPECT_TRUE(function.locals.empty());
  EXPECT_EQ(Print(function),
            "bb0:\n"
            "  aggregate agg#0\n"
            "  return\n");
}

TEST_F(MirPasses, KeepsStoresThatAreRead) {
  mir::Function function = CheckBody(
      "mut n = 0\n"
      "if $e.ret > 0 { $n += 1 }\n"
      "if $n > 0 { count }");
  mir::OptimizeModule(&module_);
  std::string text = Print(module_.functions[0]);
  EXPECT_NE(text.find("store local#0"), std::string::npos) << text;
  EXPECT_NE(text.find("aggregate agg#0"), std::string::npos) << text;
}

TEST_F(MirPasses, RenumbersBlocksAfterRemoval) {
  mir::Function function = CheckBody(
      "if false { count }\n"
      "if $e.ret > 0 { emit {r: $e.ret} }");
  mir::FoldConstants(&function);
  mir::EliminateDeadCode(&function);
  for (const mir::Block& block : function.blocks) {
    for (mir::BlockId successor : mir::Successors(block.terminator)) {
      EXPECT_LT(successor, function.blocks.size());
    }
  }
  EXPECT_EQ(Print(function).find("count"), std::string::npos) << Print(function);
}

}  // namespace
}  // namespace nubpf::testing
