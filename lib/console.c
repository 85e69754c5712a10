/* SPDX-License-Identifier: Apache-2.0 */
/* Console device switch: where the firmware's own output and input go. */

#include <vofkit/lib/console.h>

static const struct fw_console_ops *console_ops;

void fw_console_register(const struct fw_console_ops *ops)
{
	console_ops = ops;
}

void fw_write(const char *buf, size_t len)
{
	if (console_ops && len)
		console_ops->write(buf, len);
}

static fw_console_read_fn console_read;

void fw_console_register_input(fw_console_read_fn read)
{
	console_read = read;
}

size_t fw_read(char *buf, size_t len)
{
	if (!console_read || !len)
		return 0;
	return console_read(buf, len);
}
