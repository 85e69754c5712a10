# SPDX-License-Identifier: Apache-2.0
# Kconfig: merge board defconfig, prj.conf, EXTRA_CONF_FILE and -DCONFIG_... into .config/autoconf.h.

set(KCONFIG_ROOT "${VOFKIT_BASE}/Kconfig")
set(DOTCONFIG "${CMAKE_BINARY_DIR}/.config")
set(AUTOCONF_DIR "${CMAKE_BINARY_DIR}/include/generated")
set(AUTOCONF_H "${AUTOCONF_DIR}/autoconf.h")
set(KCONFIG_SOURCES_TXT "${CMAKE_BINARY_DIR}/kconfig/sources.txt")
set(KCONFIG_CHECKSUM_FILE "${CMAKE_BINARY_DIR}/kconfig/fragments.md5")
file(MAKE_DIRECTORY "${AUTOCONF_DIR}" "${CMAKE_BINARY_DIR}/kconfig")

if(NOT DEFINED CONF_FILE)
  set(CONF_FILE "${CMAKE_CURRENT_SOURCE_DIR}/prj.conf")
endif()
set(_vk_fragments "${BOARD_DEFCONFIG}")
foreach(f ${CONF_FILE} ${EXTRA_CONF_FILE})
  get_filename_component(f "${f}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  if(NOT EXISTS "${f}")
    vofkit_fatal("configuration fragment ${f} does not exist")
  endif()
  list(APPEND _vk_fragments "${f}")
endforeach()

# -DCONFIG_FOO=bar on the cmake command line becomes the last fragment.
set(_vk_cli_conf "${CMAKE_BINARY_DIR}/kconfig/cmdline.conf")
set(_vk_cli_text "")
get_cmake_property(_vk_cache_vars CACHE_VARIABLES)
foreach(var ${_vk_cache_vars})
  if(var MATCHES "^CONFIG_[A-Za-z0-9_]+$")
    set(val "${${var}}")
    if(NOT val MATCHES "^(y|n|-?[0-9]+|0x[0-9a-fA-F]+|\".*\")$")
      string(REPLACE "\"" "\\\"" val "${val}")
      set(val "\"${val}\"")
    endif()
    string(APPEND _vk_cli_text "${var}=${val}\n")
  endif()
endforeach()
file(WRITE "${_vk_cli_conf}.tmp" "${_vk_cli_text}")
file(COPY_FILE "${_vk_cli_conf}.tmp" "${_vk_cli_conf}" ONLY_IF_DIFFERENT)
list(APPEND _vk_fragments "${_vk_cli_conf}")

# Re-merge only when a fragment or a Kconfig file changed; otherwise the
# existing .config (with any menuconfig edits) is kept.  The checksum covers
# the fragments and every Kconfig file the last run parsed (sources.txt).
function(vofkit_kconfig_checksum out)
  set(input "${BOARD}")
  set(kconfig_files "")
  if(EXISTS "${KCONFIG_SOURCES_TXT}")
    file(STRINGS "${KCONFIG_SOURCES_TXT}" kconfig_files)
  endif()
  foreach(f ${_vk_fragments} ${kconfig_files})
    if(EXISTS "${f}")
      file(MD5 "${f}" h)
      string(APPEND input ";${f}=${h}")
    endif()
  endforeach()
  string(MD5 sum "${input}")
  set(${out} "${sum}" PARENT_SCOPE)
endfunction()

vofkit_kconfig_checksum(_vk_checksum)
set(_vk_keep "")
if(EXISTS "${DOTCONFIG}" AND EXISTS "${KCONFIG_CHECKSUM_FILE}")
  file(READ "${KCONFIG_CHECKSUM_FILE}" _vk_old_checksum)
  if(_vk_old_checksum STREQUAL _vk_checksum)
    set(_vk_keep --keep-existing)
  endif()
endif()

set(VOFKIT_KCONFIG_ENV
  srctree=${VOFKIT_BASE}
  BOARD=${BOARD}
  BOARD_DIR=${BOARD_DIR}
  KCONFIG_CONFIG=${DOTCONFIG}
)
execute_process(
  COMMAND ${CMAKE_COMMAND} -E env ${VOFKIT_KCONFIG_ENV}
          ${VOFKIT_PYTHON} ${VOFKIT_BASE}/scripts/kconfig/kconfig.py ${_vk_keep}
          ${KCONFIG_ROOT} ${DOTCONFIG} ${AUTOCONF_H} ${KCONFIG_SOURCES_TXT} ${_vk_fragments}
  WORKING_DIRECTORY "${VOFKIT_BASE}"
  RESULT_VARIABLE _vk_rc
  ERROR_VARIABLE _vk_err
)
if(NOT _vk_rc EQUAL 0)
  file(REMOVE "${KCONFIG_CHECKSUM_FILE}")
  string(STRIP "${_vk_err}" _vk_err)
  vofkit_fatal("Kconfig: ${_vk_err}")
endif()
vofkit_kconfig_checksum(_vk_checksum)
file(WRITE "${KCONFIG_CHECKSUM_FILE}" "${_vk_checksum}")

file(STRINGS "${KCONFIG_SOURCES_TXT}" _vk_kconfig_files)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
  ${_vk_fragments} ${_vk_kconfig_files} ${DOTCONFIG})

# Every CONFIG_ symbol becomes a CMake variable (strings unquoted).
file(STRINGS "${DOTCONFIG}" _vk_lines REGEX "^CONFIG_")
foreach(line ${_vk_lines})
  if(line MATCHES "^(CONFIG_[A-Za-z0-9_]+)=\"(.*)\"$")
    string(REPLACE "\\\"" "\"" _v "${CMAKE_MATCH_2}")
    set(${CMAKE_MATCH_1} "${_v}")
  elseif(line MATCHES "^(CONFIG_[A-Za-z0-9_]+)=(.*)$")
    set(${CMAKE_MATCH_1} "${CMAKE_MATCH_2}")
  endif()
endforeach()

# menuconfig and friends run on the same .config with the same environment;
# CMake re-runs by itself afterwards because .config is a configure input.
foreach(tool menuconfig guiconfig)
  add_custom_target(${tool}
    COMMAND ${CMAKE_COMMAND} -E env ${VOFKIT_KCONFIG_ENV}
            ${VOFKIT_PYTHON} -m ${tool} ${KCONFIG_ROOT}
    WORKING_DIRECTORY "${VOFKIT_BASE}"
    USES_TERMINAL)
endforeach()
add_custom_target(savedefconfig
  COMMAND ${CMAKE_COMMAND} -E env ${VOFKIT_KCONFIG_ENV}
          ${VOFKIT_PYTHON} -m savedefconfig --kconfig ${KCONFIG_ROOT}
          --out ${CMAKE_BINARY_DIR}/defconfig
  COMMAND ${CMAKE_COMMAND} -E echo "minimal configuration written to ${CMAKE_BINARY_DIR}/defconfig"
  WORKING_DIRECTORY "${VOFKIT_BASE}")
