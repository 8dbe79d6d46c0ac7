#!/bin/sh
# Installs what nubpf builds and tests with, from Debian 12's packages, and
# mounts tracefs. Safe to run again: it installs only what is missing.
set -eu

packages="cmake make g++ pkg-config llvm-19-dev libbpf-dev libelf-dev
zlib1g-dev libzstd-dev libcli11-dev libfmt-dev googletest libgtest-dev bpftool"

missing=""
for package in $packages; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed"; then
    missing="$missing $package"
  fi
done

if [ -n "$missing" ]; then
  echo "setup: installing$missing"
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: installing packages needs root; run: sudo apt-get install$missing" >&2
    exit 1
  fi
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
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
