#!/bin/sh
# Installs what nubpf builds and tests with, from Debian 12's packages and
# Nushell from npm, and mounts tracefs. Safe to run again: it installs only
# what is missing, and prints nothing when nothing is.
set -eu

# libbpf-dev, libelf-dev and zlib1g-dev also ship the static libraries
# (libbpf.a, libelf.a, libz.a) that the static nubpf-run links.
# clang-19 builds, in a loader test, a plain BPF object with no nubpfc
# metadata, as a libbpf project would, to check nubpf-run's error for it.
# binutils (objcopy), xz-utils and lz4 let tools/fetch-kernel-btf.sh take
# the BTF out of Debian's kernel images, which the CO-RE portability tests
# check objects against: the stock and rt images are xz-compressed, the cloud
# image lz4-compressed.
packages="cmake make g++ pkg-config llvm-19-dev libbpf-dev libelf-dev
zlib1g-dev libzstd-dev libcli11-dev libfmt-dev googletest libgtest-dev bpftool
nlohmann-json3-dev binutils xz-utils lz4 clang-19"

# npm installs Nushell below. A machine may have Node.js and npm from
# elsewhere (NodeSource's nodejs ships npm and conflicts with Debian's npm),
# so Debian's are added only when the npm command is missing.
if ! command -v npm > /dev/null; then
  packages="$packages nodejs npm"
fi

# The list is split into words on purpose.
# shellcheck disable=SC2086
"$(dirname "$0")/install-packages.sh" setup $packages

# The tests run Nushell's own parser over the probe files (`nu --ide-check`)
# and compare what Nushell computes with what the compiled probes compute.
# npm installs a pinned Nushell into .tools/ in the repository (not
# committed), without root. CMake looks for `nu` there first.
nu_version=0.115.1
tools_dir="$(cd "$(dirname "$0")/.." && pwd)/.tools"
nu="$tools_dir/node_modules/@nushell/linux-x64/bin/nu"
if [ "$("$nu" --version 2>/dev/null || true)" = "$nu_version" ]; then
  :
elif [ "$(uname -m)" != x86_64 ]; then
  # @nushell/linux-x64 is an x86_64 build; elsewhere a `nu` on PATH will do.
  if ! command -v nu > /dev/null; then
    echo "setup: npm has Nushell builds for x86_64 only; install nu $nu_version and put it on PATH" >&2
    exit 1
  fi
else
  echo "setup: installing Nushell $nu_version into $tools_dir"
  npm install --prefix "$tools_dir" --no-save --no-audit --no-fund \
    --loglevel=error "@nushell/linux-x64@$nu_version" > /dev/null
fi

# nubpfc reads tracepoint formats from tracefs, and libbpf attaches
# tracepoints through it.
if [ ! -d /sys/kernel/tracing/events ] && [ ! -d /sys/kernel/debug/tracing/events ]; then
  if [ "$(id -u)" -eq 0 ]; then
    mount -t tracefs nodev /sys/kernel/tracing || echo "setup: cannot mount tracefs" >&2
  else
    echo "setup: tracefs is not mounted; as root: mount -t tracefs nodev /sys/kernel/tracing" >&2
  fi
fi
