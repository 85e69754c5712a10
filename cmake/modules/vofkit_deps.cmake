# SPDX-License-Identifier: Apache-2.0
# Target compile flags, and libfdt + newlib-nano built for the target from the setup cache.

if(DEFINED ENV{VOFKIT_CACHE})
  set(_vk_cache_default "$ENV{VOFKIT_CACHE}")
else()
  set(_vk_cache_default "$ENV{HOME}/.cache/vofkit")
endif()
set(VOFKIT_CACHE "${_vk_cache_default}" CACHE PATH "Where scripts/setup.sh put libfdt, newlib and guests")
set(LIBFDT_DIR "${VOFKIT_CACHE}/libfdt")
set(NEWLIB_DIR "${VOFKIT_CACHE}/newlib/newlib/libc")
if(NOT EXISTS "${LIBFDT_DIR}/fdt.c")
  vofkit_fatal("libfdt sources missing in ${LIBFDT_DIR}; run scripts/setup.sh")
endif()
if(NOT EXISTS "${NEWLIB_DIR}/string/memcpy.c")
  vofkit_fatal("newlib sources missing in ${NEWLIB_DIR}; run scripts/setup.sh")
endif()

# The compiler's own freestanding headers (stdint.h, stdarg.h, limits.h).
execute_process(COMMAND ${CMAKE_C_COMPILER} -print-file-name=include
                OUTPUT_VARIABLE _vk_gcc_inc OUTPUT_STRIP_TRAILING_WHITESPACE)

if(CONFIG_SPEED_OPTIMIZATIONS)
  set(_vk_opt -O2)
elseif(CONFIG_DEBUG_OPTIMIZATIONS)
  set(_vk_opt -Og)
else()
  set(_vk_opt -Os)
endif()

# Flags every target object shares.  The CPU starts with FP/VMX/VSX off,
# hence soft-float and no vectors; ELFv2 so function pointers are plain
# code addresses (the CI entry handed to clients is one); real mode at
# address 0, hence no PIC.
add_library(vofkit_cflags INTERFACE)
target_compile_options(vofkit_cflags INTERFACE
  -m64 -mbig-endian -mabi=elfv2 -mcpu=${CONFIG_ARCH_CPU} -mcmodel=medium
  -msoft-float -mno-altivec -mno-vsx -mno-string -mno-multiple -mtraceback=no
  -ffreestanding -nostdinc -fno-pic -fno-pie -fno-stack-protector
  -fno-common -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables
  ${_vk_opt} $<$<BOOL:${CONFIG_DEBUG_INFO}>:-g>
)
# -nostdinc drops the compiler's own directory, and CMake filters it out of
# include-directory lists as "implicit", so it goes in as a raw option.
target_compile_options(vofkit_cflags INTERFACE
  "SHELL:-isystem ${VOFKIT_BASE}/cmake/newlib/include"
  "SHELL:-isystem ${NEWLIB_DIR}/include"
  "SHELL:-isystem ${_vk_gcc_inc}"
)

# newlib-nano: just the string and ctype parts the firmware and libfdt use,
# compiled with newlib's size-over-speed variants.
set(_vk_newlib_srcs
  string/memchr.c string/memcmp.c
  string/strchr.c string/strrchr.c string/strcmp.c string/strncmp.c string/strcpy.c
  string/strncpy.c string/strlen.c string/strnlen.c string/strcat.c string/strstr.c
  string/strspn.c string/strcspn.c string/strcasecmp.c string/strncasecmp.c
  ctype/ctype_.c ctype/isdigit.c ctype/isxdigit.c ctype/isspace.c ctype/isalpha.c
  ctype/isalnum.c ctype/isprint.c ctype/tolower.c ctype/toupper.c
)
list(TRANSFORM _vk_newlib_srcs PREPEND "${NEWLIB_DIR}/")
add_library(vk_newlib STATIC ${_vk_newlib_srcs})
target_link_libraries(vk_newlib PRIVATE vofkit_cflags)
target_compile_definitions(vk_newlib PRIVATE PREFER_SIZE_OVER_SPEED __OPTIMIZE_SIZE__ _COMPILING_NEWLIB)
target_compile_options(vk_newlib PRIVATE -w)

# memcpy/memmove/memset: newlib's byte loops when size matters most, or its
# word-at-a-time versions (built at -O2: -Os defines __OPTIMIZE_SIZE__,
# which selects the byte loops) when the firmware moves whole trees around.
set(_vk_newlib_mem string/memcpy.c string/memmove.c string/memset.c)
list(TRANSFORM _vk_newlib_mem PREPEND "${NEWLIB_DIR}/")
add_library(vk_newlib_mem STATIC ${_vk_newlib_mem})
target_link_libraries(vk_newlib_mem PRIVATE vofkit_cflags)
target_compile_definitions(vk_newlib_mem PRIVATE _COMPILING_NEWLIB
  $<$<NOT:$<BOOL:${CONFIG_LIBC_FAST_MEM}>>:PREFER_SIZE_OVER_SPEED>)
target_compile_options(vk_newlib_mem PRIVATE -w)
if(CONFIG_LIBC_FAST_MEM)
  # Source options come after the target's, so this -O2 wins over -Os.
  set_source_files_properties(${_vk_newlib_mem} PROPERTIES COMPILE_OPTIONS -O2)
endif()

# libfdt, exactly as the kernel tarball ships it.
file(GLOB _vk_libfdt_srcs "${LIBFDT_DIR}/*.c")
add_library(vk_libfdt STATIC ${_vk_libfdt_srcs})
target_link_libraries(vk_libfdt PRIVATE vofkit_cflags)
target_include_directories(vk_libfdt PUBLIC ${LIBFDT_DIR})
