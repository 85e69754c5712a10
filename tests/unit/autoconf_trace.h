/* SPDX-License-Identifier: Apache-2.0 */
/* Kconfig symbols for the host unit-test build that checks the CI trace. */
#ifndef VOFKIT_UNIT_AUTOCONF_H
#define VOFKIT_UNIT_AUTOCONF_H

#define CONFIG_CI_TEST 1
#define CONFIG_CI_CALL_METHOD 1
#define CONFIG_CI_TRACE 1

#endif
