# SPDX-License-Identifier: Apache-2.0
# Check for the powerpc64 cross toolchain before project() enables languages.

set(CROSS_COMPILE "powerpc64-linux-gnu-" CACHE STRING "Cross toolchain prefix")
find_program(VOFKIT_CROSS_GCC NAMES ${CROSS_COMPILE}gcc)
if(NOT VOFKIT_CROSS_GCC)
  vofkit_fatal("cross compiler ${CROSS_COMPILE}gcc not found; run scripts/setup.sh (or apt-get install gcc-powerpc64-linux-gnu)")
endif()
