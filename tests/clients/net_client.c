/* SPDX-License-Identifier: Apache-2.0 */
/* OF client: a DHCP DISCOVER through the virtio-net driver (test-only service) must get QEMU's OFFER. */

/*
 * Booted with -kernel on the full_vnet firmware (CI_TEST_NET_HOOKS) with
 * one virtio-net-pci at slot 2 on QEMU user networking (restrict=on: only
 * the slirp services answer).  The client reads the node's
 * local-mac-address, broadcasts a DHCP DISCOVER built from it with
 * vofkit-test-net-exchange, and waits for slirp's DHCP OFFER to that MAC.
 * Prints "NET: PASS <what>" / "NET: FAIL <what> (...)" and
 * "NET: DONE <n> passed, <m> failed", then CI exit.
 */

#include "client_lib.h"
#include "client_dhcp.h"

#define NIC_PATH	"/pci@800000020000000/ethernet@2"
#define XID		0x564f464bu	/* "VOFK" */

static unsigned char tx[DHCP_FRAME_LEN], rx[1600];
static unsigned char mac[6];

static uint32_t exchange(uint32_t len)
{
	uint32_t in[5] = { cell(tx), len, cell(rx), sizeof(rx), 2000 };

	return ci1("vofkit-test-net-exchange", 5, in);
}

void client_main(uint32_t entry)
{
	uint32_t ph, got, n, yiaddr = 0, server = 0, type = 0, tries;

	(void)entry;
	client_tag = "NET: ";
	console_init();
	ph = of_finddevice(NIC_PATH);
	check(ph != 0xffffffffu, "the NIC's node exists", "phandle ", ph);
	got = of_getprop(ph, "local-mac-address", mac, sizeof(mac));
	check(got == 6 && mac[0] == 0x52 && mac[1] == 0x54 && mac[5] == 0x56,
	      "local-mac-address is QEMU's MAC 52:54:00:12:34:56", "length ", got);
	dhcp_build(tx, mac, XID, DHCP_DISCOVER, 0, 0);
	n = exchange(DHCP_FRAME_LEN);
	/* Anything else slirp might send first (none expected) is skipped. */
	for (tries = 0; tries < 8 && n != 0xffffffffu && n; tries++) {
		type = n <= sizeof(rx) ? dhcp_reply_type(rx, n, mac, XID, &yiaddr, &server) : 0;
		if (type)
			break;
		n = exchange(0);
	}
	check(n != 0xffffffffu && n != 0, "a frame came back within 2 s", "n ", n);
	check(type == DHCP_OFFER, "it is a DHCP OFFER for our MAC and transaction", "type ", type);
	check(yiaddr == 0x0a00020fu, "offering 10.0.2.15, slirp's first address", "yiaddr ", yiaddr);
	check_done();
	client_power_off(1);
}
