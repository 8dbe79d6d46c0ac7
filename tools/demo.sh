#!/bin/sh
# Compiles samples/opensnoop.nu and traces file opens for 5 seconds while a
# small workload opens files, so the table shows real events.
set -eu

build_dir=${1:-build}
object="$build_dir/opensnoop.bpf.o"

"$build_dir/nubpfc" samples/opensnoop.nu -o "$object"
echo "demo: compiled samples/opensnoop.nu into $object"

# The workload starts after the loader has attached, and opens a few files.
(
  sleep 1
  for round in 1 2 3; do
    cat /etc/hostname /etc/os-release > /dev/null
    ls /usr/share > /dev/null
    sleep 1
  done
) &
workload=$!

"$build_dir/nubpf-run" "$object" --duration 5sec
wait "$workload"
