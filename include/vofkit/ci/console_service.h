/* SPDX-License-Identifier: Apache-2.0 */
/* Shared state of the console service modules (write, read). */
#ifndef VOFKIT_CONSOLE_SERVICE_H
#define VOFKIT_CONSOLE_SERVICE_H

#include <stdbool.h>
#include <stdint.h>

/* True for /chosen "stdout" and other instances of the same vty package. */
bool console_is_stdout_instance(uint32_t ihandle);

#endif
