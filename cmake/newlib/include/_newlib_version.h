/* SPDX-License-Identifier: Apache-2.0 */
/* Version of the newlib sources vofkit builds (Debian newlib-source 3.3.0). */
#ifndef _NEWLIB_VERSION_H__
#define _NEWLIB_VERSION_H__ 1

#define _NEWLIB_VERSION "3.3.0"
#define __NEWLIB__ 3
#define __NEWLIB_MINOR__ 3
#define __NEWLIB_PATCHLEVEL__ 0

#endif
