#!/bin/sh
# Installs the Debian packages named after NAME that are missing, and prints
# nothing when none is. NAME starts each message, such as `setup`.
#
#   tools/install-packages.sh setup cmake g++ libbpf-dev
set -eu

name="$1"
shift

missing=""
for package in "$@"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed"; then
    missing="$missing $package"
  fi
done
if [ -z "$missing" ]; then
  exit 0
fi

echo "$name: installing$missing"
if [ "$(id -u)" -ne 0 ]; then
  echo "$name: installing packages needs root; run: sudo apt-get install$missing" >&2
  exit 1
fi
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
