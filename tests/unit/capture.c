/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: a firmware console that captures what the code under test prints. */

#include <stdio.h>
#include <string.h>
#include "capture.h"

char capture_out[1 << 16];
size_t capture_len;

static void capture_write(const char *buf, size_t len)
{
	if (capture_len + len >= sizeof(capture_out))
		len = sizeof(capture_out) - 1 - capture_len;
	memcpy(capture_out + capture_len, buf, len);
	capture_len += len;
	capture_out[capture_len] = '\0';
}

const struct fw_console_ops capture_console = { .write = capture_write };

void capture_clear(void)
{
	capture_len = 0;
	capture_out[0] = '\0';
}

bool capture_contains(const char *text)
{
	if (strstr(capture_out, text))
		return true;
	fprintf(stderr, "console was:\n%s", capture_out);
	return false;
}
