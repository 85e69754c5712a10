# SPDX-License-Identifier: Apache-2.0
# Helpers used by the SDK's CMakeLists files: Kconfig-gated sources and one-line errors.

# One clear line, then stop.  CMake adds its own "CMake Error" framing and
# re-wraps message text at 80 columns unless a line starts with a space,
# so every line of the message is indented to keep it whole.
function(vofkit_fatal msg)
  string(REPLACE "\n" "\n " msg "${msg}")
  message(FATAL_ERROR " vofkit: ${msg}")
endfunction()

# Add sources (relative to the calling CMakeLists.txt) to the firmware.
function(vofkit_sources)
  foreach(src ${ARGN})
    get_filename_component(abs "${src}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    target_sources(firmware PRIVATE "${abs}")
  endforeach()
endfunction()

# Add sources only when a Kconfig symbol is enabled: this is how a service
# module is "included by compiling it" (it registers itself in a table).
function(vofkit_sources_ifdef symbol)
  if(${symbol})
    vofkit_sources(${ARGN})
  endif()
endfunction()
