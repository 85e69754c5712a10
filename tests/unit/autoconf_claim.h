/* SPDX-License-Identifier: Apache-2.0 */
/* Kconfig symbols for the host unit tests of the native claim/release allocator. */
#ifndef VOFKIT_UNIT_AUTOCONF_H
#define VOFKIT_UNIT_AUTOCONF_H

#define CONFIG_CI_CLAIM 1
/* On, so the tests can check the reasons release gives (it has no return). */
#define CONFIG_CI_TRACE 1
#define CONFIG_FW_HEAP_END 0x180000

#endif
