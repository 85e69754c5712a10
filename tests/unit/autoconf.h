/* SPDX-License-Identifier: Apache-2.0 */
/* Kconfig symbols for the host unit-test builds (CI trace off). */
#ifndef VOFKIT_UNIT_AUTOCONF_H
#define VOFKIT_UNIT_AUTOCONF_H

#define CONFIG_CI_TEST 1
#define CONFIG_CI_CALL_METHOD 1
#define CONFIG_CI_FORWARD 1
#define CONFIG_CI_RTAS_SHIM 1
#define CONFIG_CI_CONSOLE 1
#define CONFIG_CI_CONSOLE_READ 1
#define CONFIG_CI_EXIT 1
#define CONFIG_DRIVER_HVTERM 1
#define CONFIG_QEMU_PAIRING_FORWARD 1
/* CONFIG_CI_TRACE stays undefined: IS_ENABLED() sees 0. */

#endif
