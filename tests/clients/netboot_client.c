/* SPDX-License-Identifier: Apache-2.0 */
/* OF client loaded as a network boot file: checks what the firmware left in /chosen (bootpath, dhcp-response). */

/*
 * Served by QEMU's user networking as the DHCP boot file (bootfile=
 * netboot.elf) and started by boot/boot_net.c, never with -kernel: its
 * program header carries its run address, 0x400000 (objcopy, as the CD
 * client's).  It checks, as GRUB's ofnet would read them:
 *   - /chosen bootpath is a node path without arguments that resolves;
 *   - /chosen dhcp-response is 1720 bytes: the BOOTP reply from its op
 *     byte on (op 2, yiaddr 10.0.2.15, siaddr 10.0.2.2, the file field
 *     naming this boot file, the DHCP cookie at 236, option 53 = ACK),
 *     zero-padded as SLOF stores it;
 *   - it started at most 12 s after reset: the tests boot it after at
 *     most one NIC that could not boot, which may take 10 s (DHCP's
 *     default 6 s) with the firmware's start-up around it.
 * Prints "NETBOOT: bootpath <path>", "NETBOOT: PASS <what>" /
 * "NETBOOT: FAIL <what> (...)", "NETBOOT: DONE <n> passed, <m> failed",
 * then CI exit.
 */

#include "client_lib.h"

#define RESPONSE_SIZE	1720u
#define BOOT_FILE	"netboot.elf"
#define START_LIMIT_MS	12000u

static unsigned char resp[RESPONSE_SIZE + 16];
static char bootpath[260];

/* Option `code` in the options after the cookie (pad and end handled); -1 when absent. */
static int option_byte(const unsigned char *opt, uint32_t len, unsigned char code)
{
	uint32_t i = 0;

	while (i < len && opt[i] != 255) {
		if (opt[i] == 0) {
			i++;
			continue;
		}
		if (i + 1 >= len || i + 2 + opt[i + 1] > len)
			return -1;
		if (opt[i] == code && opt[i + 1] >= 1)
			return opt[i + 2];
		i += 2u + opt[i + 1];
	}
	return -1;
}

void client_main(uint32_t entry)
{
	uint32_t chosen, len, ms, ph, i, zero_tail = 1;
	int has_colon = 0;

	(void)entry;
	client_tag = "NETBOOT: ";
	console_init();
	ms = ci1("milliseconds", 0, 0);
	put_str("NETBOOT: started at ");
	put_dec(ms);
	put_str(" ms after reset\n");
	check(ms <= START_LIMIT_MS, "started within 12 s of reset", "ms ", ms);

	chosen = of_finddevice("/chosen");
	len = of_getprop(chosen, "bootpath", bootpath, sizeof(bootpath) - 1);
	check(len != CI_ERR && len > 1 && len < sizeof(bootpath), "/chosen bootpath present",
	      "length ", len);
	if (len == CI_ERR || len >= sizeof(bootpath))
		len = 0;
	bootpath[len] = '\0';
	put_str("NETBOOT: bootpath ");
	put_str(bootpath);
	put_ch('\n');
	for (i = 0; bootpath[i]; i++)
		has_colon |= bootpath[i] == ':';
	check(!has_colon, "bootpath has no arguments (SLOF's form)", "length ", len);
	ph = of_finddevice(bootpath);
	check(ph != CI_ERR && ph != 0, "bootpath names a node", "phandle ", ph);

	len = of_getprop(chosen, "dhcp-response", resp, sizeof(resp));
	check(len == RESPONSE_SIZE, "/chosen dhcp-response is 1720 bytes", "length ", len);
	if (len != RESPONSE_SIZE)
		memset(resp, 0, sizeof(resp));
	check(resp[0] == 2, "it starts at the BOOTP op byte (2, a reply)", "op ", resp[0]);
	check(load_be32(resp + 16) == 0x0a00020fu, "yiaddr 10.0.2.15", "yiaddr ", load_be32(resp + 16));
	check(load_be32(resp + 20) == 0x0a000202u, "siaddr 10.0.2.2", "siaddr ", load_be32(resp + 20));
	check(mem_eq(resp + 108, BOOT_FILE, sizeof(BOOT_FILE)), "file field names " BOOT_FILE,
	      "byte 108 ", resp[108]);
	check(load_be32(resp + 236) == 0x63825363u, "DHCP cookie at 236", "cookie ",
	      load_be32(resp + 236));
	check(option_byte(resp + 240, RESPONSE_SIZE - 240, 53) == 5, "option 53 is DHCPACK",
	      "option 53 ", (uint32_t)option_byte(resp + 240, RESPONSE_SIZE - 240, 53));
	/* slirp's ACK is about 300 bytes: the end of the 1720 is padding */
	for (i = 1200; i < RESPONSE_SIZE; i++)
		zero_tail &= resp[i] == 0;
	check(zero_tail, "zero-padded to 1720 bytes", "", 0);
	check(of_getprop(chosen, "bootp-response", resp, 4) == CI_ERR,
	      "no bootp-response (a DHCP server answered)", "", 0);

	check_done();
	client_power_off(1);
}
