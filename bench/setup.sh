#!/bin/sh
# Installs what `make bench` measures with, from Debian 12's packages. Safe to
# run again: it installs only what is missing, and prints nothing when nothing
# is. tools/setup.sh, which `make build` runs first, installs the rest.
set -eu

# hyperfine times the compilers, bpftrace is one of the two tracers nubpf is
# compared with, and clang-19 builds the hand-written libbpf C programs (the
# default clang on Debian 12 is 14). time gives /usr/bin/time -v for peak
# RSS, and linux-perf gives perf stat for the causes of a missed target.
packages="hyperfine bpftrace clang-19 time linux-perf bpftool libbpf-dev"

# shellcheck disable=SC2086
"$(dirname "$0")/../tools/install-packages.sh" "bench setup" $packages
