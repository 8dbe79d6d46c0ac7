# NUBPF_STATIC_RUN=ON (the default) links nubpf-run as a static PIE: the
# runtime library, libbpf, libelf and zlib from their static libraries,
# fmt from runtime/fmt_definitions.cpp, and libstdc++ and glibc.
#
# Measured with the getppid_count and getppid_emit programs of bench/, on
# a shared 2-core VM (Debian 12, kernel 6.18), from start to every probe
# attached and exit. CPU and page faults are medians of 7 rounds of
# `perf stat -r 10`, and peak RSS is the median of `/usr/bin/time -f %M`
# over 21 runs:
#   dynamic nubpf-run  2.9 to 3.3 ms of CPU, 191 page faults, peak RSS 5.3 to 5.6 MiB
#   static nubpf-run   1.8 to 1.9 ms of CPU,  86 page faults, peak RSS 2.4 to 2.9 MiB
#   C loader (libbpf)  1.9 to 2.0 ms of CPU,  90 page faults, peak RSS 2.1 MiB
# getppid_emit's 2.9 MiB includes its 0.5 MiB ring buffer, which the C
# loader does not map when it exits right after attaching.
#
# Linked statically, nubpf-run skips the dynamic loader's symbol
# relocations and maps no pages of libstdc++, libfmt or libm. Fault-around
# maps nearly all of nubpf-run's code at start (2,164 of 2,228 KiB), so
# its RSS follows its size. --gc-sections, with the runtime compiled into
# one section per function, drops the code that nubpf-run never calls
# (2.8 to 2.6 MiB for getppid_count). Packed relative relocations (DT_RELR)
# shrink the table that a static PIE applies to itself at start from 104
# KiB to 1 KiB (2.6 to 2.5 MiB). A static nubpf-run also runs on machines
# whatever libbpf version they have installed, or none.
#
# The installed runtime library, and how programs link it, stay the same.
option(NUBPF_STATIC_RUN "Link nubpf-run statically (libbpf, libelf, zlib, libstdc++, glibc)" ON)

set(nubpf_static_run ${NUBPF_STATIC_RUN})
if(NUBPF_SANITIZE OR NUBPF_FUZZ)
  # AddressSanitizer's runtime intercepts libc functions through the
  # dynamic loader, so these builds link nubpf-run dynamically (GCC rejects
  # -static with -fsanitize=address outright).
  set(nubpf_static_run OFF)
endif()

# Finds the static library FILE (such as libbpf.a) from the Debian package
# PACKAGE, and appends its path to the list named by OUTPUT.
function(nubpf_find_static_library output file package)
  string(MAKE_C_IDENTIFIER "NUBPF_STATIC_${file}" variable)
  find_library(${variable} NAMES ${file})
  if(NOT ${variable})
    message(FATAL_ERROR "${file} not found, which the static nubpf-run links: install "
                        "${package} (tools/setup.sh does), or configure with -DNUBPF_STATIC_RUN=OFF")
  endif()
  set(${output} ${${output}} ${${variable}} PARENT_SCOPE)
endfunction()

# Links TARGET, a program built on the runtime library RUNTIME, statically.
# It links RUNTIME's archive itself, because RUNTIME's usage requirements
# name the shared libbpf, libelf and libfmt.
function(nubpf_link_statically target runtime)
  set(libraries)
  nubpf_find_static_library(libraries libbpf.a libbpf-dev)
  nubpf_find_static_library(libraries libelf.a libelf-dev)
  nubpf_find_static_library(libraries libz.a zlib1g-dev)

  target_sources(${target} PRIVATE ${CMAKE_SOURCE_DIR}/runtime/fmt_definitions.cpp)
  target_compile_options(${target} PRIVATE -ffunction-sections -fdata-sections)
  target_include_directories(${target} PRIVATE
    $<TARGET_PROPERTY:${runtime},INTERFACE_INCLUDE_DIRECTORIES>)
  target_link_libraries(${target} PRIVATE $<TARGET_FILE:${runtime}> ${libraries})
  add_dependencies(${target} ${runtime})

  # -static-pie keeps address space layout randomization for nubpf-run's
  # own code. Plain -static gains nothing for giving that up: it measured
  # 0.04 MiB more peak RSS and 9 fewer page faults. A static PIE needs
  # position-independent objects, which Debian's GCC and clang compile by
  # default. Debian 12's binutils 2.40 and glibc 2.36 support packed
  # relative relocations.
  target_link_options(${target} PRIVATE
    -static-pie -Wl,--gc-sections -Wl,-z,pack-relative-relocs)
endfunction()
