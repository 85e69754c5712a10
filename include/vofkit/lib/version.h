/* SPDX-License-Identifier: Apache-2.0 */
/* Build identity strings, defined by CMake on the compiler command line. */
#ifndef VOFKIT_VERSION_H
#define VOFKIT_VERSION_H

#ifndef VOFKIT_VERSION
#define VOFKIT_VERSION "unknown"
#endif
#ifndef VOFKIT_SAMPLE
#define VOFKIT_SAMPLE "unknown"
#endif
#ifndef VOFKIT_BOARD
#define VOFKIT_BOARD "unknown"
#endif

#endif
