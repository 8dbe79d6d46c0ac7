#!/bin/sh
# Installs what `make fuzz` needs on top of tools/setup.sh, from Debian 12's
# packages. libFuzzer ships only with clang, so the fuzz build uses clang 19,
# the release of the LLVM 19 libraries that nubpfc links; its
# libclang-rt-19-dev package holds libFuzzer and the sanitizer runtimes.
# Safe to run again: it installs only what is missing.
set -eu

packages="clang-19 libclang-rt-19-dev"

missing=""
for package in $packages; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed"; then
    missing="$missing $package"
  fi
done
if [ -z "$missing" ]; then
  exit 0
fi

echo "setup-fuzz: installing$missing"
if [ "$(id -u)" -ne 0 ]; then
  echo "setup-fuzz: installing packages needs root; run: sudo apt-get install$missing" >&2
  exit 1
fi
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
