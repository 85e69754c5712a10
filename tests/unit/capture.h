/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: a firmware console that captures what the code under test prints. */
#ifndef VK_UNIT_CAPTURE_H
#define VK_UNIT_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <vofkit/lib/console.h>

/* Everything written since the last capture_clear(), NUL-terminated (truncated when full). */
extern char capture_out[];
extern size_t capture_len;

/* Register with fw_console_register() to capture the firmware's output. */
extern const struct fw_console_ops capture_console;

void capture_clear(void);

/* Does the capture hold text?  On a miss it prints the capture, so a failing test shows it. */
bool capture_contains(const char *text);

#endif
