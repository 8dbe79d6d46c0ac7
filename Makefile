# Entry points for people and CI; CMake does the building.
#   make demo            set up, build, and trace file opens for a few seconds
#   make test            set up, build, and run every test through ctest
#   make test-sanitize   the same with AddressSanitizer and UBSan, in build-sanitize
#   make fuzz            build the compile fuzzer with clang and run it for
#                        FUZZ_SECONDS seconds, in build-fuzz (docs/testing.md)
#   make bench           build, then compare nubpf with bpftrace and libbpf C, and
#                        write docs/benchmarks.md (about six minutes; needs root)

BUILD_DIR ?= build
SANITIZE_BUILD_DIR ?= build-sanitize
FUZZ_BUILD_DIR ?= build-fuzz
FUZZ_SECONDS ?= 600
JOBS ?= $(shell nproc)

# The sanitizer settings reach every program the tests start (nubpfc,
# nubpf-run, Nushell, the sample builds) through the environment. A leak or
# a UBSan finding fails the program with a stack trace. The suppressions
# list allocations that outside libraries keep until exit on purpose.
SANITIZER_ENV = \
	ASAN_OPTIONS=detect_leaks=1:check_initialization_order=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0

.PHONY: all setup build demo test test-sanitize fuzz bench clean

all: build

setup:
	tools/setup.sh

CONFIGURE = cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: setup
	$(CONFIGURE)
	cmake --build $(BUILD_DIR) -j $(JOBS)

# The demo needs only the two tools, so it skips building the tests.
demo: setup
	$(CONFIGURE)
	cmake --build $(BUILD_DIR) -j $(JOBS) --target nubpfc nubpf-run
	tools/demo.sh $(BUILD_DIR)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure

# The build runs the test binaries to list their tests, so it needs the
# sanitizer settings too.
test-sanitize: setup
	cmake -S . -B $(SANITIZE_BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNUBPF_SANITIZE=ON
	$(SANITIZER_ENV) cmake --build $(SANITIZE_BUILD_DIR) -j $(JOBS)
	cd $(SANITIZE_BUILD_DIR) && $(SANITIZER_ENV) ctest --output-on-failure

# libFuzzer keeps the inputs that reach new code in corpus/, starting from
# the seeds, and writes any input that fails into findings/. It stops
# after FUZZ_SECONDS, or at the first crash, input slower than 10 seconds,
# leak or sanitizer finding, and then exits with an error.
# clang comes in through CC and CXX: naming it with -DCMAKE_C_COMPILER
# makes LLVM's CMake package test for libffi with C before the project
# enables C, which fails.
fuzz: setup
	tools/setup-fuzz.sh
	CC=clang-19 CXX=clang++-19 cmake -S . -B $(FUZZ_BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNUBPF_FUZZ=ON
	cmake --build $(FUZZ_BUILD_DIR) -j $(JOBS) --target nubpf_compile_fuzzer
	tools/fuzz-seeds.sh $(FUZZ_BUILD_DIR)/seeds
	mkdir -p $(FUZZ_BUILD_DIR)/corpus $(FUZZ_BUILD_DIR)/findings
	$(SANITIZER_ENV) $(FUZZ_BUILD_DIR)/tests/fuzz/nubpf_compile_fuzzer \
	  $(FUZZ_BUILD_DIR)/corpus $(FUZZ_BUILD_DIR)/seeds \
	  -dict=tests/fuzz/nubpf.dict -max_len=4096 -timeout=10 \
	  -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	  -artifact_prefix=$(FUZZ_BUILD_DIR)/findings/

bench: build
	bench/setup.sh
	bench/run.py --build-dir $(BUILD_DIR) --output docs/benchmarks.md

clean:
	rm -rf $(BUILD_DIR) $(SANITIZE_BUILD_DIR) $(FUZZ_BUILD_DIR)
