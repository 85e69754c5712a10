/* SPDX-License-Identifier: Apache-2.0 */
/* hvterm driver: spapr-vty output and non-blocking input through hypercalls. */

#include <string.h>
#include <arch/hcall.h>
#include <vofkit/lib/console.h>
#include <vofkit/drivers/hvterm.h>
#include <vofkit/core/init.h>
#include <vofkit/lib/util.h>

/* QEMU moves at most 16 bytes per H_PUT_TERM_CHAR / H_GET_TERM_CHAR. */
#define HVTERM_CHUNK 16

static uint32_t default_reg;
/* H_GET_TERM_CHAR hands over up to 16 bytes at once; callers may take one. */
static char rx_buf[HVTERM_CHUNK];
static size_t rx_head, rx_count;

void hvterm_set_default_reg(uint32_t reg)
{
	default_reg = reg;
}

uint32_t hvterm_default_reg(void)
{
	return default_reg;
}

int hvterm_write(uint32_t reg, const char *buf, size_t len)
{
	while (len) {
		/*
		 * Bytes travel in r6/r7 most-significant byte first; on this
		 * big-endian CPU that is exactly their order in memory.
		 */
		uint64_t words[2] = { 0, 0 };
		size_t n = MIN(len, (size_t)HVTERM_CHUNK);

		memcpy(words, buf, n);
		if (hcall(H_PUT_TERM_CHAR, reg, n, words[0], words[1], 0) != H_SUCCESS)
			return -1;
		buf += n;
		len -= n;
	}
	return 0;
}

size_t hvterm_read(char *buf, size_t len)
{
	size_t n;

	if (!rx_count) {
		uint64_t out[4];

		if (hcall(H_GET_TERM_CHAR, default_reg, 0, 0, 0, out) != H_SUCCESS)
			return 0;
		rx_count = MIN(out[0], (uint64_t)HVTERM_CHUNK);
		memcpy(rx_buf, &out[1], rx_count);
		rx_head = 0;
	}
	n = MIN(len, rx_count);
	memcpy(buf, rx_buf + rx_head, n);
	rx_head += n;
	rx_count -= n;
	return n;
}

static void hvterm_console_write(const char *buf, size_t len)
{
	hvterm_write(default_reg, buf, len);
}

static const struct fw_console_ops hvterm_console = {
	.write = hvterm_console_write,
};

static int hvterm_early_init(void)
{
	fw_console_register(&hvterm_console);
	/* only when the firmware reads keys itself: other images stay as small as they were */
	if (IS_ENABLED(CONFIG_CONSOLE_INPUT))
		fw_console_register_input(hvterm_read);
	return 0;
}
FW_INIT(hvterm_early_init, FW_INIT_EARLY, "the console");
