# NUBPF_SANITIZE=ON builds every target (nubpfc, nubpf-run, the libraries
# and the test programs) with AddressSanitizer and UndefinedBehaviorSanitizer.
# UBSan stops at its first finding instead of printing and going on, so a
# finding fails the test that hit it. `make test-sanitize` builds this way
# into build-sanitize and runs the test suite.
option(NUBPF_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)

if(NUBPF_SANITIZE)
  set(nubpf_sanitizer_flags -fsanitize=address,undefined -fno-sanitize-recover=undefined)
  add_compile_options(${nubpf_sanitizer_flags} -fno-omit-frame-pointer)
  add_link_options(${nubpf_sanitizer_flags})
endif()

# Programs that link the installed static runtime library need the
# sanitizer runtimes too, so the link flags travel with it: in the CMake
# package, and in the pkg-config file's `Libs` through
# nubpf_pkgconfig_sanitizer_flags.
set(nubpf_pkgconfig_sanitizer_flags "")
if(NUBPF_SANITIZE)
  list(JOIN nubpf_sanitizer_flags " " nubpf_pkgconfig_sanitizer_flags)
  string(PREPEND nubpf_pkgconfig_sanitizer_flags " ")
endif()
function(nubpf_sanitize_consumers target)
  if(NUBPF_SANITIZE)
    target_link_options(${target} INTERFACE ${nubpf_sanitizer_flags})
  endif()
endfunction()

# NUBPF_FUZZ=ON builds the libFuzzer target tests/fuzz with clang: every
# library it links is built with libFuzzer's coverage hooks and the same
# two sanitizers. `make fuzz` builds this way into build-fuzz.
option(NUBPF_FUZZ "Build the libFuzzer target (needs clang)" OFF)

if(NUBPF_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "NUBPF_FUZZ needs clang, for libFuzzer: configure with "
                        "-DCMAKE_CXX_COMPILER=clang++-19 (tools/setup-fuzz.sh installs it)")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined
                      -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
