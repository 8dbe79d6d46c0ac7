# Entry points for people and CI; CMake does the building.
#   make demo   set up, build, and trace file opens for a few seconds
#   make test   set up, build, and run every test through ctest
#   make bench  build, then compare nubpf with bpftrace and libbpf C, and
#               write docs/benchmarks.md (about ten minutes; needs root)

BUILD_DIR ?= build
JOBS ?= $(shell nproc)

.PHONY: all setup build demo test bench clean

all: build

setup:
	tools/setup.sh

build: setup
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(BUILD_DIR) -j $(JOBS)

demo: build
	tools/demo.sh $(BUILD_DIR)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure

bench: build
	bench/setup.sh
	bench/run.py --build-dir $(BUILD_DIR) --output docs/benchmarks.md

clean:
	rm -rf $(BUILD_DIR)
