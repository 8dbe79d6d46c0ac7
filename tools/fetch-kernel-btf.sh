#!/bin/sh
# Downloads Debian kernel packages whose `task_struct` layouts differ and
# extracts each kernel's BTF into a cache outside the repository, for the CO-RE
# portability tests and `nubpf-core-check`.
#
#   tools/fetch-kernel-btf.sh    # fetch the kernels that are missing
#
# Prints the path of every BTF file it provides on stdout, one a line;
# progress and errors go to stderr. The cache folder is
# ${NUBPF_BTF_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nubpf/btf}. A kernel whose
# NAME.btf is already there is not fetched again, so a second run uses no
# network; delete NAME.btf to fetch that kernel anew. NAME.package records the
# Debian package and version each file came from.
#
# Exit status: 0 when every required kernel is in the cache, 75 (EX_TEMPFAIL
# in sysexits.h) when the Debian archive cannot be reached because apt-get
# update failed, and 1 on any other failure. The tests skip on 75 and fail
# on anything else but 0.
#
# Needs apt-get and dpkg-deb, but neither root nor changes to the system's apt
# sources: apt runs with its own sources, lists and cache under the cache
# folder and only downloads. NUBPF_DEBIAN_MIRROR and
# NUBPF_DEBIAN_SECURITY_MIRROR replace deb.debian.org.
set -eu

if [ -z "${NUBPF_BTF_CACHE:-}${XDG_CACHE_HOME:-}${HOME:-}" ]; then
  echo "fetch-kernel-btf: set NUBPF_BTF_CACHE, XDG_CACHE_HOME or HOME to choose the cache folder" >&2
  exit 1
fi
cache="${NUBPF_BTF_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nubpf/btf}"
mirror="${NUBPF_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
security_mirror="${NUBPF_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

# One kernel a line: cache name, archive, metapackage that depends on the
# current kernel package, which package form contains the BTF, and whether
# the tests need it. The three 6.1 flavours differ in `task_struct`: rt has
# `saved_state` and no NUMA balancing fields, and cloud has no machine-check
# (`mce_*`) fields. Debian's 6.12 headers package ships a vmlinux with .BTF,
# a 3 MB download instead of a 100 MB image. The 6.1 headers packages ship
# no vmlinux.
kernels="
debian12-6.1-amd64 stable linux-image-amd64 image required
debian12-6.1-cloud-amd64 stable linux-image-cloud-amd64 image required
debian12-6.1-rt-amd64 stable linux-image-rt-amd64 image required
debian12-6.12-amd64 backports linux-headers-amd64 headers optional
"

fail() {
  echo "fetch-kernel-btf: $*" >&2
  exit 1
}

note() {
  echo "fetch-kernel-btf: $*" >&2
}

# Prints the path of every cached kernel, in table order.
print_paths() {
  echo "$kernels" | while read -r name _; do
    if [ -n "$name" ] && [ -s "$cache/$name.btf" ]; then
      echo "$cache/$name.btf"
    fi
  done
}

# Prints the names of the kernels of the table that are not cached yet.
missing_kernels() {
  echo "$kernels" | while read -r name _; do
    if [ -n "$name" ] && [ ! -s "$cache/$name.btf" ]; then
      echo "$name"
    fi
  done
}

# Prints field number $2 (1 to 5) of kernel $1's table line.
kernel_field() {
  echo "$kernels" | awk -v name="$1" -v field="$2" '$1 == name { print $field }'
}

for tool in apt-get apt-cache dpkg-deb tar od dd objcopy bpftool flock; do
  if ! command -v "$tool" > /dev/null; then
    fail "$tool not found; run tools/setup.sh (this script needs Debian's apt-get and dpkg-deb)"
  fi
done

mkdir -p "$cache"
# Runs that overlap (two test processes, say) wait for each other instead of
# downloading the same packages twice.
exec 9> "$cache/.lock"
flock 9

missing="$(missing_kernels)"
if [ -z "$missing" ]; then
  print_paths
  exit 0
fi

# A run that was killed leaves its work folder behind; holding the lock
# means no other run is using one.
rm -rf "$cache"/work.*
work="$(mktemp -d "$cache/work.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# Writes archive $1's sources and makes its apt folders. "stable" is Debian 12
# with its point-release and security updates, "backports" is
# bookworm-backports alone, so that its metapackages resolve to its kernels.
write_sources() {
  archive="$1"
  mkdir -p "$work/$archive/sources.list.d" "$work/$archive/state/lists/partial" \
    "$work/$archive/cache/archives/partial"
  touch "$work/$archive/state/status"
  case "$archive" in
    stable)
      cat > "$work/$archive/sources.list" <<EOF
deb [signed-by=$keyring] $mirror bookworm main
deb [signed-by=$keyring] $mirror bookworm-updates main
deb [signed-by=$keyring] $security_mirror bookworm-security main
EOF
      ;;
    backports)
      echo "deb [signed-by=$keyring] $mirror bookworm-backports main" \
        > "$work/$archive/sources.list"
      ;;
    *)
      fail "unknown archive '$archive' in the kernel table"
      ;;
  esac
}

# Runs apt command $2 against archive $1's private sources, lists and cache.
# The host's apt.conf.d still applies (proxies, snapshot date checks). The
# empty status file keeps installed packages out of the resolution, and the
# sandbox user is the caller, so apt does not switch to _apt, which cannot
# read a cache under a private home folder.
run_apt() {
  archive="$1"
  program="$2"
  shift 2
  "$program" \
    -o Dir::Etc::SourceList="$work/$archive/sources.list" \
    -o Dir::Etc::SourceParts="$work/$archive/sources.list.d" \
    -o Dir::State="$work/$archive/state" \
    -o Dir::State::status="$work/$archive/state/status" \
    -o Dir::Cache="$work/$archive/cache" \
    -o Acquire::Languages=none \
    -o APT::Sandbox::User="$(id -un)" \
    "$@"
}

# Downloads archive $1's package lists; returns non-zero when apt cannot.
update_archive() {
  archive="$1"
  write_sources "$archive"
  note "downloading the package lists of the $archive archive"
  run_apt "$archive" apt-get update --error-on=any > "$work/$archive/update.log" 2>&1
}

# Prints the package that metapackage $2 of archive $1 depends on now, such as
# linux-image-6.1.0-57-amd64 for linux-image-amd64.
resolve_package() {
  run_apt "$1" apt-cache depends "$2" 2>/dev/null |
    awk '$1 == "Depends:" { print $2; exit }'
}

# Prints the offset and length of the compressed kernel inside bzImage $1.
# The boot header (struct setup_header in the kernel's
# arch/x86/include/uapi/asm/bootparam.h) starts at 0x1f1 with the number of
# 512-byte setup sectors. It has "HdrS" at 0x202 and the boot protocol
# version at 0x206. Since protocol 2.08, payload_offset and payload_length at
# 0x248 and 0x24c locate the payload, counted from the end of the setup
# sectors. od reads these little-endian fields in host byte order, which is
# right on x86 and arm64.
locate_payload() {
  image="$1"
  signature="$(dd if="$image" bs=1 skip=$((0x202)) count=4 2>/dev/null)"
  if [ "$signature" != HdrS ]; then
    fail "$image is not a bzImage: no HdrS boot header at 0x202"
  fi
  version="$(od -An -tu2 -j $((0x206)) -N2 "$image" | tr -d ' ')"
  if [ "$version" -lt $((0x208)) ]; then
    fail "$image uses boot protocol $version, older than 2.08, which has no payload fields"
  fi
  setup_sectors="$(od -An -tu1 -j $((0x1f1)) -N1 "$image" | tr -d ' ')"
  if [ "$setup_sectors" -eq 0 ]; then
    setup_sectors=4
  fi
  payload_offset="$(od -An -tu4 -j $((0x248)) -N4 "$image" | tr -d ' ')"
  payload_length="$(od -An -tu4 -j $((0x24c)) -N4 "$image" | tr -d ' ')"
  echo "$(( (setup_sectors + 1) * 512 + payload_offset )) $payload_length"
}

# Decompresses the kernel inside bzImage $1 into ELF file $2. The payload is
# the compressed vmlinux followed by its uncompressed size as 4 little-endian
# bytes, which the kernel's build appends for every compression. That size
# must match what the decompressor wrote.
decompress_image() {
  image="$1"
  elf="$2"
  payload="$(locate_payload "$image")"
  start="${payload% *}"
  length="${payload#* }"
  dd if="$image" of="$elf.payload" bs=64K iflag=skip_bytes,count_bytes \
    skip="$start" count=$((length - 4)) 2>/dev/null
  expected_size="$(od -An -tu4 -j $((start + length - 4)) -N4 "$image" | tr -d ' ')"

  magic="$(od -An -tx1 -N4 "$elf.payload" | tr -d ' ')"
  case "$magic" in
    1f8b*) decompressor="gzip -dc" tool_package=gzip ;;
    fd377a58) decompressor="xz -dc" tool_package=xz-utils ;;
    28b52ffd) decompressor="zstd -dc" tool_package=zstd ;;
    # The kernel compresses with lz4's legacy frame format (lz4 -l).
    02214c18) decompressor="lz4 -dc" tool_package=lz4 ;;
    *) fail "$image: compressed kernel starts with bytes $magic, not gzip, xz, zstd or lz4" ;;
  esac
  if ! command -v "${decompressor%% *}" > /dev/null; then
    fail "${decompressor%% *} not found; install Debian's $tool_package or run tools/setup.sh"
  fi
  $decompressor < "$elf.payload" > "$elf" ||
    fail "$image: '$decompressor' failed on the compressed kernel"
  rm -f "$elf.payload"

  actual_size="$(stat -c %s "$elf")"
  if [ "$actual_size" != "$expected_size" ]; then
    fail "$image: decompressed kernel has $actual_size bytes, the image says $expected_size"
  fi
}

# Extracts the BTF of package file $1 (of form $2: image or headers) into $3.
extract_btf() {
  deb="$1"
  form="$2"
  btf="$3"
  unpacked="$work/unpacked"
  rm -rf "$unpacked"
  mkdir -p "$unpacked"
  case "$form" in
    image)
      dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$unpacked" --wildcards './boot/vmlinuz-*' ||
        fail "$deb contains no /boot/vmlinuz-*"
      elf="$unpacked/vmlinux"
      decompress_image "$(ls "$unpacked"/boot/vmlinuz-*)" "$elf"
      ;;
    headers)
      dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$unpacked" --wildcards './usr/src/*/vmlinux' ||
        fail "$deb contains no /usr/src/*/vmlinux"
      elf="$(ls "$unpacked"/usr/src/*/vmlinux)"
      ;;
    *)
      fail "unknown package form '$form' in the kernel table"
      ;;
  esac

  # NOTE: GNU objcopy reads an x86-64 vmlinux on an x86-64 host only.
  objcopy -O binary --only-section=.BTF "$elf" "$btf" || fail "objcopy cannot read $elf from $deb"
  if [ ! -s "$btf" ]; then
    fail "$deb: its vmlinux has no .BTF section"
  fi
  if ! bpftool btf dump file "$btf" | grep -q "STRUCT 'task_struct'"; then
    fail "$deb: bpftool finds no task_struct in the extracted BTF"
  fi
  rm -rf "$unpacked"
}

started="$(date +%s)"
downloaded=0
for archive in stable backports; do
  needed=""
  for name in $missing; do
    if [ "$(kernel_field "$name" 2)" = "$archive" ]; then
      needed="$needed $name"
    fi
  done
  if [ -z "$needed" ]; then
    continue
  fi
  if ! update_archive "$archive"; then
    note "cannot download the package lists of the $archive archive:"
    grep -E '^(E|W):' "$work/$archive/update.log" | head -5 >&2 || true
    for name in $needed; do
      if [ "$(kernel_field "$name" 5)" = required ]; then
        print_paths
        note "$name is missing because its archive cannot be reached"
        exit 75
      fi
    done
    continue
  fi

  mkdir -p "$work/debs"
  for name in $needed; do
    metapackage="$(kernel_field "$name" 3)"
    package="$(resolve_package "$archive" "$metapackage")"
    if [ -z "$package" ]; then
      fail "$metapackage has no candidate in the $archive archive, so $name cannot be fetched; Debian may have renamed it"
    fi
    note "downloading $package for $name"
    (cd "$work/debs" && run_apt "$archive" apt-get download -qq "$package") > "$work/download.log" 2>&1 ||
      fail "downloading $package failed: $(tail -3 "$work/download.log")"
    deb="$(ls "$work/debs/${package}"_*.deb)"
    downloaded=$((downloaded + $(stat -c %s "$deb")))

    extract_btf "$deb" "$(kernel_field "$name" 4)" "$work/$name.btf"
    echo "$(dpkg-deb -f "$deb" Package) $(dpkg-deb -f "$deb" Version)" > "$work/$name.package"
    mv "$work/$name.package" "$cache/$name.package"
    chmod 644 "$work/$name.btf"
    mv "$work/$name.btf" "$cache/$name.btf"
    rm -f "$deb"
  done
done

if [ "$downloaded" -gt 0 ]; then
  note "downloaded $((downloaded / 1000000)) MB of packages in $(( $(date +%s) - started )) s"
fi
print_paths

for name in $(missing_kernels); do
  note "skipped the optional $name: its archive cannot be reached"
done
