# SPDX-License-Identifier: Apache-2.0
# CMake toolchain file: Debian's powerpc64-linux-gnu cross gcc, freestanding big-endian.

set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR ppc64)
if(NOT CROSS_COMPILE)
  set(CROSS_COMPILE "powerpc64-linux-gnu-")
endif()
set(CMAKE_C_COMPILER "${CROSS_COMPILE}gcc")
set(CMAKE_ASM_COMPILER "${CROSS_COMPILE}gcc")
set(CMAKE_OBJCOPY "${CROSS_COMPILE}objcopy" CACHE FILEPATH "")
set(CMAKE_NM "${CROSS_COMPILE}nm" CACHE FILEPATH "")
# No C library to link against yet: test compiles as static libraries.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
