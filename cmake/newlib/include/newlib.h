/* SPDX-License-Identifier: Apache-2.0 */
/* newlib build configuration for vofkit (what newlib's configure would generate for a nano libc). */
#ifndef __NEWLIB_H__
#define __NEWLIB_H__ 1

#include <_newlib_version.h>

/* newlib-nano choices: small reentrancy struct, no multibyte, no wide I/O. */
#define _WANT_REENT_SMALL 1
#define _MB_LEN_MAX 1
#define _REENT_CHECK_VERIFY 0

#endif
