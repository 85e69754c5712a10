# SPDX-License-Identifier: Apache-2.0
# Find a Python that has Debian's kconfiglib (python3-kconfiglib installs for /usr/bin/python3).

if(NOT VOFKIT_PYTHON)
  foreach(candidate /usr/bin/python3 python3)
    find_program(_vk_py NAMES ${candidate} NO_CACHE)
    if(_vk_py)
      execute_process(COMMAND ${_vk_py} -c "import kconfiglib"
                      RESULT_VARIABLE _vk_rc OUTPUT_QUIET ERROR_QUIET)
      if(_vk_rc EQUAL 0)
        set(VOFKIT_PYTHON ${_vk_py} CACHE FILEPATH "Python with kconfiglib")
        break()
      endif()
    endif()
    unset(_vk_py)
  endforeach()
  if(NOT VOFKIT_PYTHON)
    vofkit_fatal("no Python with kconfiglib found; run scripts/setup.sh (or apt-get install python3-kconfiglib)")
  endif()
endif()
