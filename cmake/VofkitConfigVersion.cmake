# SPDX-License-Identifier: Apache-2.0
# Version file for find_package(Vofkit): any requested version is accepted (single in-tree SDK).
set(PACKAGE_VERSION "0.1.0")
set(PACKAGE_VERSION_COMPATIBLE TRUE)
