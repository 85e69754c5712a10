# SPDX-License-Identifier: Apache-2.0
# QEMU targets (run, debugserver) from the board's flags; writes qemu.json for tests and benchmarks.

include("${BOARD_DIR}/board.cmake")
math(EXPR _vk_ram_rem "${CONFIG_BOARD_RAM_MB} % 256")
if(NOT _vk_ram_rem EQUAL 0)
  vofkit_fatal("CONFIG_BOARD_RAM_MB=${CONFIG_BOARD_RAM_MB} is not a multiple of 256, which QEMU pseries requires")
endif()

set(QEMU_KERNEL "" CACHE FILEPATH "Client image QEMU loads with -kernel (run/debugserver)")
set(QEMU_INITRD "" CACHE FILEPATH "Initrd QEMU loads with -initrd")
set(QEMU_APPEND "" CACHE STRING "Kernel command line (-append)")

separate_arguments(_vk_cfg_extra UNIX_COMMAND "${CONFIG_QEMU_EXTRA_FLAGS}")
set(_vk_json_flags "")
foreach(flag ${QEMU_BOARD_FLAGS} ${_vk_cfg_extra})
  string(REPLACE "\\" "\\\\" flag "${flag}")
  string(REPLACE "\"" "\\\"" flag "${flag}")
  list(APPEND _vk_json_flags "\"${flag}\"")
endforeach()
string(REPLACE ";" ", " _vk_json_flags "${_vk_json_flags}")
# qemu.json is read by scripts/lib/vofkit_qemu.py, which builds every QEMU
# command (run, debugserver, boot tests, benchmarks) from it.
file(WRITE "${CMAKE_BINARY_DIR}/qemu.json.tmp"
"{
  \"board\": \"${BOARD}\",
  \"qemu\": \"${QEMU_BINARY}\",
  \"flags\": [${_vk_json_flags}],
  \"firmware\": \"${CMAKE_BINARY_DIR}/firmware.bin\",
  \"elf\": \"${CMAKE_BINARY_DIR}/firmware.elf\",
  \"kernel\": \"${QEMU_KERNEL}\",
  \"initrd\": \"${QEMU_INITRD}\",
  \"append\": \"${QEMU_APPEND}\"
}
")
file(COPY_FILE "${CMAKE_BINARY_DIR}/qemu.json.tmp" "${CMAKE_BINARY_DIR}/qemu.json" ONLY_IF_DIFFERENT)

add_custom_target(run
  COMMAND ${VOFKIT_PYTHON} ${VOFKIT_BASE}/scripts/qemu_run.py ${CMAKE_BINARY_DIR}/qemu.json
  DEPENDS firmware
  COMMENT "QEMU ${BOARD}: console on this terminal; Ctrl-a x quits"
  USES_TERMINAL)
add_custom_target(debugserver
  COMMAND ${VOFKIT_PYTHON} ${VOFKIT_BASE}/scripts/qemu_run.py --debugserver ${CMAKE_BINARY_DIR}/qemu.json
  DEPENDS firmware
  COMMENT "QEMU ${BOARD} halted at reset, gdb on tcp::1234 (see docs/getting-started.md); Ctrl-a x quits"
  USES_TERMINAL)
