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

#define NIC_PATH	"/pci@800000020000000/ethernet@2"
#define ETH_HLEN	14
#define IP_HLEN		20
#define UDP_HLEN	8
#define BOOTP_LEN	300	/* 236 fixed + magic + options, padded as BOOTP asks */
#define FRAME_LEN	(ETH_HLEN + IP_HLEN + UDP_HLEN + BOOTP_LEN)
#define XID		0x564f464bu	/* "VOFK" */

static unsigned char tx[FRAME_LEN], rx[1600];
static unsigned char mac[6];

static void build_discover(void)
{
	unsigned char *ip = tx + ETH_HLEN, *udp = ip + IP_HLEN, *bootp = udp + UDP_HLEN;
	uint32_t sum = 0, i;

	memset(tx, 0, sizeof(tx));
	memset(tx, 0xff, 6);			/* broadcast */
	memcpy(tx + 6, mac, 6);
	store_be16(tx + 12, 0x0800);		/* IPv4 */
	ip[0] = 0x45;
	store_be16(ip + 2, IP_HLEN + UDP_HLEN + BOOTP_LEN);
	ip[8] = 64;				/* TTL */
	ip[9] = 17;				/* UDP */
	store_be32(ip + 16, 0xffffffffu);	/* from 0.0.0.0 to 255.255.255.255 */
	for (i = 0; i < IP_HLEN; i += 2)
		sum += load_be16(ip + i);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	store_be16(ip + 10, ~sum & 0xffff);
	store_be16(udp, 68);
	store_be16(udp + 2, 67);
	store_be16(udp + 4, UDP_HLEN + BOOTP_LEN);	/* checksum 0: none, allowed over IPv4 */
	bootp[0] = 1;				/* BOOTREQUEST */
	bootp[1] = 1;				/* Ethernet */
	bootp[2] = 6;
	store_be32(bootp + 4, XID);
	store_be16(bootp + 10, 0x8000);		/* answer by broadcast: we have no address */
	memcpy(bootp + 28, mac, 6);
	store_be32(bootp + 236, 0x63825363u);	/* DHCP magic cookie */
	bootp[240] = 53;			/* message type */
	bootp[241] = 1;
	bootp[242] = 1;				/* DISCOVER */
	bootp[243] = 255;
}

/* The DHCP message type of a BOOTREPLY for us in `rx`, or 0. */
static unsigned int offer_type(uint32_t n, uint32_t *yiaddr)
{
	const unsigned char *ip = rx + ETH_HLEN, *udp, *bootp, *opt;
	uint32_t ihl;

	if (n < ETH_HLEN + IP_HLEN || load_be16(rx + 12) != 0x0800 || ip[9] != 17)
		return 0;
	ihl = (ip[0] & 15) * 4u;
	udp = ip + ihl;
	bootp = udp + UDP_HLEN;
	if (n < ETH_HLEN + ihl + UDP_HLEN + 244 || load_be16(udp) != 67 || load_be16(udp + 2) != 68 ||
	    bootp[0] != 2 || load_be32(bootp + 4) != XID || !mem_eq(bootp + 28, mac, 6) ||
	    load_be32(bootp + 236) != 0x63825363u)
		return 0;
	*yiaddr = load_be32(bootp + 16);
	for (opt = bootp + 240; opt + 2 < rx + n && opt[0] != 255; opt += opt[0] ? 2 + opt[1] : 1)
		if (opt[0] == 53 && opt[1] == 1)
			return opt[2];
	return 0;
}

static uint32_t exchange(uint32_t len)
{
	uint32_t in[5] = { cell(tx), len, cell(rx), sizeof(rx), 2000 };

	return ci1("vofkit-test-net-exchange", 5, in);
}

void client_main(uint32_t entry)
{
	uint32_t ph, got, n, yiaddr = 0, type = 0, tries;

	(void)entry;
	client_tag = "NET: ";
	console_init();
	ph = of_finddevice(NIC_PATH);
	check(ph != 0xffffffffu, "the NIC's node exists", "phandle ", ph);
	got = of_getprop(ph, "local-mac-address", mac, sizeof(mac));
	check(got == 6 && mac[0] == 0x52 && mac[1] == 0x54 && mac[5] == 0x56,
	      "local-mac-address is QEMU's MAC 52:54:00:12:34:56", "length ", got);
	build_discover();
	n = exchange(FRAME_LEN);
	/* Anything else slirp might send first (none expected) is skipped. */
	for (tries = 0; tries < 8 && n != 0xffffffffu && n; tries++) {
		type = offer_type(n, &yiaddr);
		if (type)
			break;
		n = exchange(0);
	}
	check(n != 0xffffffffu && n != 0, "a frame came back within 2 s", "n ", n);
	check(type == 2, "it is a DHCP OFFER for our MAC and transaction", "type ", type);
	check(yiaddr == 0x0a00020fu, "offering 10.0.2.15, slirp's first address", "yiaddr ", yiaddr);
	check_done();
	client_power_off(1);
}
