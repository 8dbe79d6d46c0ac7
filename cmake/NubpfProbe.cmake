# nubpf_add_probe(TARGET SOURCES probe.nu... [BTF FILE] [FLAGS flag...])
#
# Compiles each probe file with nubpfc at build time into PROBE.bpf.o, for
# nubpf-run, and into the skeleton header PROBE.skel.h, for C++ programs.
# TARGET is an interface library: linking it adds the folder of the
# headers to the include path and links nubpf::runtime, so that a program
# can `#include "PROBE.skel.h"`. BTF compiles against that kernel BTF file
# instead of the build host's, and FLAGS go to nubpfc as they are (such as
# `--max-strlen 128`). Paths under the project's source folder are written
# into the objects relative to it, so that the same project built in two
# folders gives the same bytes. Each command follows nubpfc's depfile, so a change
# to a `use`d module, the BTF or a tracepoint format rebuilds the probe,
# and nothing else does.
function(nubpf_add_probe target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "BTF" "SOURCES;FLAGS")
  if(NOT arg_SOURCES)
    message(FATAL_ERROR "nubpf_add_probe(${target}): give the probe files after SOURCES")
  endif()
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "nubpf_add_probe(${target}): unknown arguments ${arg_UNPARSED_ARGUMENTS}")
  endif()

  set(flags ${arg_FLAGS})
  set(inputs)
  if(arg_BTF)
    get_filename_component(btf "${arg_BTF}" ABSOLUTE)
    # A BTF file that another rule of this build generates may not exist
    # yet; any other missing one is a typo, better reported now than as
    # Make's "No rule to make target" later.
    get_source_file_property(generated "${btf}" GENERATED)
    if(NOT EXISTS "${btf}" AND NOT generated)
      message(FATAL_ERROR "nubpf_add_probe(${target}): BTF file ${btf} not found")
    endif()
    list(APPEND flags --btf "${btf}")
    list(APPEND inputs "${btf}")
  endif()

  set(dir "${CMAKE_CURRENT_BINARY_DIR}/${target}")
  set(outputs)
  set(names)
  foreach(source IN LISTS arg_SOURCES)
    get_filename_component(source "${source}" ABSOLUTE)
    get_filename_component(name "${source}" NAME_WE)
    # The objects and headers are named after the file alone.
    if(name IN_LIST names)
      message(FATAL_ERROR "nubpf_add_probe(${target}): two probe files are named ${name}.nu; "
                          "give them different names, or put them in separate targets")
    endif()
    list(APPEND names "${name}")
    foreach(kind IN ITEMS bpf.o skel.h)
      set(output "${dir}/${name}.${kind}")
      set(emit obj)
      if(kind STREQUAL "skel.h")
        set(emit skeleton)
      endif()
      add_custom_command(
        OUTPUT "${output}"
        COMMAND "${CMAKE_COMMAND}" -E make_directory "${dir}"
        COMMAND nubpf::nubpfc "${source}" --emit ${emit} -o "${output}"
                -MD -MP -MF "${output}.d" --file-prefix-map "${CMAKE_SOURCE_DIR}=."
                ${flags}
        DEPENDS "${source}" ${inputs} nubpf::nubpfc
        DEPFILE "${output}.d"
        COMMENT "Compiling probe ${name}.nu into ${name}.${kind}"
        VERBATIM)
      list(APPEND outputs "${output}")
    endforeach()
  endforeach()

  add_custom_target(${target}_compile ALL DEPENDS ${outputs})
  add_library(${target} INTERFACE)
  add_dependencies(${target} ${target}_compile)
  target_include_directories(${target} INTERFACE "${dir}")
  target_link_libraries(${target} INTERFACE nubpf::runtime)
endfunction()
