#!/bin/sh
# Installs what `make fuzz` needs on top of tools/setup.sh, from Debian 12's
# packages. libFuzzer ships only with clang, so the fuzz build uses clang 19,
# the release of the LLVM 19 libraries that nubpfc links. Its package
# libclang-rt-19-dev contains libFuzzer and the sanitizer runtimes.
# Safe to run again: it installs only what is missing.
set -eu

packages="clang-19 libclang-rt-19-dev"

# shellcheck disable=SC2086
"$(dirname "$0")/install-packages.sh" setup-fuzz $packages
