# SPDX-License-Identifier: Apache-2.0
# vofkit CMake package: `find_package(Vofkit)` in a sample sets up board, Kconfig, toolchain and targets.

cmake_minimum_required(VERSION 3.20)
get_filename_component(VOFKIT_BASE "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
set(VOFKIT_BASE "${VOFKIT_BASE}" CACHE INTERNAL "vofkit SDK root")
list(APPEND CMAKE_MODULE_PATH "${VOFKIT_BASE}/cmake/modules")

include(vofkit_extensions)
include(vofkit_python)
include(vofkit_board)
include(vofkit_kconfig)
include(vofkit_toolchain_check)

set(CMAKE_TOOLCHAIN_FILE "${VOFKIT_BASE}/cmake/toolchain-ppc64.cmake")
project(vofkit_firmware C ASM)

include(vofkit_deps)
add_subdirectory("${VOFKIT_BASE}" vofkit)
include(vofkit_qemu)
