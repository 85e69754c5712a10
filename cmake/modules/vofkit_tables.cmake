# SPDX-License-Identifier: Apache-2.0
# Linker-script text for the registration tables listed in cmake/linker-tables.txt (firmware and host tests).

# vofkit_table_sections(<out-var>): one sorted, kept output section per table,
# bounded by __<table>_start/__<table>_end.
function(vofkit_table_sections out)
  file(STRINGS "${VOFKIT_BASE}/cmake/linker-tables.txt" lines REGEX "^[a-z_]+$")
  set(text "")
  foreach(table ${lines})
    string(APPEND text
      "\t.${table} : ALIGN(8) {\n"
      "\t\t__${table}_start = .;\n"
      "\t\tKEEP(*(SORT_BY_NAME(.${table}.*)))\n"
      "\t\t__${table}_end = .;\n"
      "\t}\n")
  endforeach()
  set(${out} "${text}" PARENT_SCOPE)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${VOFKIT_BASE}/cmake/linker-tables.txt")
endfunction()
