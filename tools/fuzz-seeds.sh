#!/bin/sh
# Writes the seed corpus of the compile fuzzer into DIR: every probe file
# in the repository (samples, golden files, test fixtures, kept fuzz
# findings) and each ```nu block of the docs and the README, one file per
# block. Files keep their path in their name, with `/` as `_`, so a seed
# points back to its source.
#
#   tools/fuzz-seeds.sh build-fuzz/seeds
set -eu

if [ $# -ne 1 ]; then
  echo "usage: tools/fuzz-seeds.sh DIR" >&2
  exit 2
fi
out="$1"
cd "$(dirname "$0")/.."
rm -rf "$out"
mkdir -p "$out"

git ls-files '*.nu' | while read -r file; do
  cp "$file" "$out/$(echo "$file" | tr / _)"
done

for doc in README.md docs/*.md; do
  awk -v prefix="$out/$(echo "$doc" | tr / _)" '
    /^```nu[[:space:]]*$/ { block += 1; inside = 1; next }
    /^```/ { inside = 0; next }
    inside { print > (prefix "." block ".nu") }
  ' "$doc"
done
