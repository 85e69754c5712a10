# SPDX-License-Identifier: Apache-2.0
# ctest helper: configure and build one sample for one board, and check the three outputs exist.
# cmake -DSRC=<sample> -DBIN=<build dir> -DBOARD=<board> [-DEXTRA="-DCONFIG_X=y;..."] -P build_firmware.cmake

file(REMOVE_RECURSE "${BIN}")
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SRC} -B ${BIN} -G Ninja -DBOARD=${BOARD} ${EXTRA}
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configure of ${SRC} for ${BOARD} failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BIN} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "build of ${SRC} for ${BOARD} failed")
endif()
foreach(out firmware.elf firmware.bin firmware.map qemu.json .config include/generated/autoconf.h)
  if(NOT EXISTS "${BIN}/${out}")
    message(FATAL_ERROR "${BIN}/${out} was not produced")
  endif()
endforeach()
file(SIZE "${BIN}/firmware.bin" size)
message(STATUS "PASS: ${SRC} for ${BOARD}: firmware.bin ${size} bytes")
