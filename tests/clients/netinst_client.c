/* SPDX-License-Identifier: Apache-2.0 */
/* OF client: finds a NIC as GRUB's ofnet does and runs a whole DHCP exchange through its instance's read/write; then the error paths. */

/*
 * Booted with -kernel on the full firmware with one NIC (spapr-vlan or
 * virtio-net-pci) on QEMU user networking, restrict=on (only slirp's own
 * services answer: DHCP at 10.0.2.2).  Only the real client interface is
 * used: a tree walk for device_type "network", mac-address /
 * local-mac-address / max-frame-size, open with GRUB's argument string,
 * raw Ethernet frames with write and a polled, non-blocking read.
 * Prints "NETINST: PASS <what>" / "NETINST: FAIL <what> (...)", the NIC's
 * path and MAC, "NETINST: address a.b.c.d", and
 * "NETINST: DONE <n> passed, <m> failed", then quiesces with an instance
 * still open, checks that the NIC stays stopped, and calls CI exit.
 */

#include "client_lib.h"
#include "client_dhcp.h"

#define ARP_FRAME_LEN	(ETH_HLEN + 28)
#define XID		0x4e455449u	/* "NETI" */
#define SLIRP_SERVER	0x0a000202u	/* 10.0.2.2 */
#define FULL_FRAME	1514u
/* GRUB's argument string: PowerVM bootp arguments, always sent on pseries. */
#define GRUB_SUFFIX	":speed=auto,duplex=auto,1.1.1.1,dummy,1.1.1.1,1.1.1.1,5,5,1.1.1.1,512"

#define H_FREE_LOGICAL_LAN	0x118
#define H_RESOURCE		(-16)

static unsigned char tx[2048], rx[2048];
static unsigned char mac[6];
static char path[256], open_path[400];
static uint32_t nic, ih, max_frame, my_ip, server_id;
static int net_booted;	/* started by the firmware's network boot from this NIC */

static void put_ip(uint32_t ip)
{
	put_dec(ip >> 24);
	put_ch('.');
	put_dec(ip >> 16 & 255);
	put_ch('.');
	put_dec(ip >> 8 & 255);
	put_ch('.');
	put_dec(ip & 255);
}

static void put_mac(const unsigned char *m)
{
	int i;

	for (i = 0; i < 6; i++) {
		if (i)
			put_ch(':');
		put_ch("0123456789abcdef"[m[i] >> 4]);
		put_ch("0123456789abcdef"[m[i] & 15]);
	}
}

/* ---------------------------------------------------------- CI wrappers */

static uint32_t ms(void)
{
	return ci1("milliseconds", 0, NULL);
}

/* Poll read for up to `ms_max` ms until it answers non-zero (GRUB's loop); its last answer. */
static uint32_t read_wait(uint32_t ihandle, void *buf, uint32_t len, uint32_t ms_max)
{
	uint32_t t0 = ms(), n;

	do {
		n = of_read(ihandle, buf, len);
		if (n)
			return n;
	} while (ms() - t0 < ms_max);
	return 0;
}

/* ---------------------------------------------------------- finding the NIC */

/* Depth-first walk from the root, as GRUB's devices_iterate: the first node of type "network". */
static uint32_t find_network(void)
{
	uint32_t node = of_tree("peer", 0), next;
	char type[16];

	while (node && node != CI_ERR) {
		uint32_t n = of_getprop(node, "device_type", type, sizeof(type));

		if (n == sizeof("network") && mem_eq(type, "network", sizeof("network")))
			return node;
		next = of_tree("child", node);
		if (next && next != CI_ERR) {
			node = next;
			continue;
		}
		while (node && node != CI_ERR) {
			next = of_tree("peer", node);
			if (next && next != CI_ERR) {
				node = next;
				break;
			}
			node = of_tree("parent", node);
		}
	}
	return 0;
}

/*
 * The net… aliases: as bootargs list them ("net=<path> net1=<path>", for
 * several NICs), else "net" = the NIC found; and no alias after the last.
 */
static char args[512];

/* Does the bootargs string hold the word w? */
static int has_arg(const char *w)
{
	uint32_t i = 0, n = str_len(w);

	while (args[i]) {
		if (mem_eq(args + i, w, n) && (args[i + n] == ' ' || !args[i + n]))
			return 1;
		while (args[i] && args[i] != ' ')
			i++;
		while (args[i] == ' ')
			i++;
	}
	return 0;
}

static void check_aliases(void)
{
	static char tok[300], alias[300];
	uint32_t aliases = of_finddevice("/aliases"), n, count = 0, i, t;
	char name[8];

	for (i = 0; args[i];) {
		uint32_t eq = 0;

		for (t = 0; args[i] && args[i] != ' '; i++)
			if (t < sizeof(tok) - 1)
				tok[t++] = args[i];
		tok[t] = '\0';
		while (args[i] == ' ')
			i++;
		while (eq < t && tok[eq] != '=')
			eq++;
		if (eq == t || eq < 3 || eq >= sizeof(name) || !mem_eq(tok, "net", 3))
			continue;
		memcpy(name, tok, eq);
		name[eq] = '\0';
		n = of_getprop(aliases, name, alias, sizeof(alias) - 1);
		alias[n < sizeof(alias) ? n : 0] = '\0';
		put_str("NETINST: /aliases ");
		put_str(name);
		put_str(" = ");
		put_str(n != CI_ERR ? alias : "(none)");
		put_ch('\n');
		check(n == t - eq && str_eq(alias, tok + eq + 1),
		      "/aliases net… as bootargs list them", "length ", n);
		count++;
	}
	if (!count) {
		n = of_getprop(aliases, "net", alias, sizeof(alias));
		check(n == str_len(path) + 1 && str_eq(alias, path), "/aliases net is the NIC's path",
		      "length ", n);
		check(of_finddevice("net") == nic, "finddevice(\"net\") is the NIC", "node ",
		      of_finddevice("net"));
		count = 1;
	}
	memcpy(name, "net", 3);
	name[3] = (char)('0' + count);
	name[4] = '\0';
	n = of_getprop(aliases, name, alias, sizeof(alias));
	check(n == CI_ERR, "no net… alias after the last NIC's", "length ", n);
}

static void find_nic(void)
{
	unsigned char lmac[8], fs[4];
	uint32_t in[3], n, lm;

	n = of_getprop(of_finddevice("/chosen"), "bootargs", args, sizeof(args) - 1);
	args[n == CI_ERR || n >= sizeof(args) ? 0 : n] = '\0';
	nic = find_network();
	check(nic != 0, "a node of device_type \"network\" (tree walk from /)", "node ", nic);
	in[0] = nic;
	in[1] = cell(path);
	in[2] = sizeof(path) - 1;
	n = ci1("package-to-path", 3, in);
	check(n > 0 && n < sizeof(path), "package-to-path of the NIC", "length ", n);
	put_str("NETINST: NIC ");
	put_str(path);
	put_ch('\n');

	n = of_getprop(nic, "mac-address", mac, sizeof(mac) + 2);
	check(n == 6, "mac-address is 6 bytes", "length ", n);
	lm = of_getprop(nic, "local-mac-address", lmac, sizeof(lmac));
	check((lm == 6 && mem_eq(lmac, mac, 6)) ||
	      (lm == 8 && !lmac[0] && !lmac[1] && mem_eq(lmac + 2, mac, 6)),
	      "local-mac-address is the same MAC (6 bytes, or 8 with two leading zeros)",
	      "length ", lm);
	put_str("NETINST: mac-address ");
	put_mac(mac);
	put_str(", local-mac-address ");
	put_dec(lm);
	put_str(" bytes\n");
	n = of_getprop(nic, "max-frame-size", fs, sizeof(fs));
	max_frame = load_be32(fs);
	check(n == 4 && max_frame >= FULL_FRAME && max_frame <= 1518,
	      "max-frame-size holds a full frame (1514 to 1518)", "value ", max_frame);

	check_aliases();
}

/*
 * Started by the firmware's network boot (no -kernel): /chosen bootpath
 * is the NIC's path, and dhcp-response (or bootp-response) holds the
 * firmware's DHCP answer from the BOOTP op byte on, where GRUB's ofnet
 * configures itself from.
 */
static void check_net_boot(void)
{
	static char bootpath[256];
	static unsigned char resp[1800];
	uint32_t chosen = of_finddevice("/chosen"), n;

	n = of_getprop(chosen, "bootpath", bootpath, sizeof(bootpath) - 1);
	if (n == CI_ERR || n >= sizeof(bootpath))
		return;
	bootpath[n] = '\0';
	net_booted = of_finddevice(bootpath) == nic;
	put_str("NETINST: bootpath ");
	put_str(bootpath);
	put_ch('\n');
	check(net_booted && str_eq(bootpath, path),
	      "booted from the network: /chosen bootpath is the NIC's path", "node ",
	      of_finddevice(bootpath));
	n = of_getprop(chosen, "dhcp-response", resp, sizeof(resp));
	if (n == CI_ERR)
		n = of_getprop(chosen, "bootp-response", resp, sizeof(resp));
	check(n != CI_ERR && n >= 240 && n <= sizeof(resp) && resp[0] == 2 &&
	      load_be32(resp + 16) == 0x0a00020fu && load_be32(resp + 236) == 0x63825363u &&
	      mem_eq(resp + 28, mac, 6),
	      "booted from the network: /chosen dhcp-response is the ACK for 10.0.2.15 to our MAC",
	      "length ", n);
}

/* ---------------------------------------------------------- DHCP */

/* Send a DHCP message and wait up to 2 s for a reply of type `want`; the reply's type or 0. */
static unsigned int dhcp_step(unsigned int send_type, unsigned int want, uint32_t *yiaddr,
			      uint32_t *frames)
{
	uint32_t t0, n, w;
	unsigned int type = 0;

	dhcp_build(tx, mac, XID, send_type, my_ip, server_id);
	w = of_write(ih, tx, DHCP_FRAME_LEN);
	check(w == DHCP_FRAME_LEN, send_type == DHCP_DISCOVER ? "write of a DHCP DISCOVER returns its length"
						  : "write of a DHCP REQUEST returns its length",
	      "actual ", w);
	t0 = ms();
	while (ms() - t0 < 2000) {
		n = of_read(ih, rx, sizeof(rx));
		if (!n)
			continue;
		(*frames)++;
		if (n == CI_ERR)
			break;
		type = n <= sizeof(rx) ? dhcp_reply_type(rx, n, mac, XID, yiaddr, &server_id) : 0;
		if (type == want)
			break;
	}
	return type;
}

static void dhcp(void)
{
	uint32_t t0 = ms(), yiaddr = 0, frames = 0, t;
	unsigned int type;

	type = dhcp_step(DHCP_DISCOVER, DHCP_OFFER, &yiaddr, &frames);
	check(type == DHCP_OFFER, "a DHCP OFFER came back through read", "type ", type);
	check(yiaddr == 0x0a00020fu, "offering 10.0.2.15, slirp's first address", "yiaddr ", yiaddr);
	my_ip = yiaddr;
	check(server_id == SLIRP_SERVER, "from server 10.0.2.2 (option 54)", "server ", server_id);
	yiaddr = 0;
	type = dhcp_step(DHCP_REQUEST, DHCP_ACK, &yiaddr, &frames);
	check(type == DHCP_ACK, "a DHCP ACK for the REQUEST", "type ", type);
	check(yiaddr == my_ip, "the ACK gives the offered address", "yiaddr ", yiaddr);
	t = ms() - t0;
	put_str("NETINST: address ");
	put_ip(yiaddr);
	put_str(" (DHCP exchange ");
	put_dec(t);
	put_str(" ms, ");
	put_dec(frames);
	put_str(" frames read)\n");
}

/* ---------------------------------------------------------- ARP, for a frame on demand */

static void build_arp_request(void)
{
	unsigned char *a = tx + ETH_HLEN;

	memset(tx, 0, sizeof(tx));
	memset(tx, 0xff, 6);
	memcpy(tx + 6, mac, 6);
	store_be16(tx + 12, 0x0806);
	store_be16(a, 1);			/* Ethernet */
	store_be16(a + 2, 0x0800);		/* IPv4 */
	a[4] = 6;
	a[5] = 4;
	store_be16(a + 6, 1);			/* request */
	memcpy(a + 8, mac, 6);
	store_be32(a + 14, my_ip);
	store_be32(a + 24, SLIRP_SERVER);
}

static int is_arp_reply(uint32_t n)
{
	const unsigned char *a = rx + ETH_HLEN;

	return n >= ARP_FRAME_LEN && n <= sizeof(rx) && load_be16(rx + 12) == 0x0806 &&
	       load_be16(a + 6) == 2 && load_be32(a + 14) == SLIRP_SERVER && mem_eq(rx, mac, 6);
}

/* ---------------------------------------------------------- error paths */

static void error_paths(void)
{
	uint32_t n, w, t0, other, in[3];

	/* Bad ihandles: 0, -1, an ihandle-looking number nobody opened, a phandle. */
	n = of_write(0, tx, ARP_FRAME_LEN);
	check(n == CI_ERR, "write on ihandle 0 -> -1", "actual ", n);
	n = of_write(0xdeadbeefu, tx, ARP_FRAME_LEN);
	check(n == CI_ERR, "write on ihandle 0xdeadbeef -> -1", "actual ", n);
	n = of_read(CI_ERR, rx, sizeof(rx));
	check(n == CI_ERR, "read on ihandle -1 -> -1", "actual ", n);
	n = of_read(nic, rx, sizeof(rx));
	check(n == CI_ERR, "read on the NIC's phandle as an ihandle -> -1", "actual ", n);

	/* Lengths. */
	build_arp_request();
	n = of_write(ih, tx, 0);
	check(n == CI_ERR, "write of 0 bytes -> -1", "actual ", n);
	n = of_write(ih, tx, 13);
	check(n == CI_ERR, "write of 13 bytes (less than a header) -> -1", "actual ", n);
	n = of_write(ih, tx, max_frame + 1);
	check(n == CI_ERR, "write of max-frame-size + 1 bytes -> -1", "actual ", n);
	n = of_write(ih, tx, 0x80000000u);
	check(n == CI_ERR, "write of 2 GiB -> -1", "actual ", n);
	/* A frame of exactly max-frame-size (local experimental ethertype: nobody answers). */
	memset(tx, 0x5a, max_frame);
	memset(tx, 0xff, 6);
	memcpy(tx + 6, mac, 6);
	store_be16(tx + 12, 0x88b5);
	n = of_write(ih, tx, max_frame);
	check(n == max_frame, "write of a max-frame-size frame -> its length", "actual ", n);

	/* Buffers outside client RAM. */
	build_arp_request();
	n = of_write(ih, (const void *)0xfffff000u, ARP_FRAME_LEN);
	check(n == CI_ERR, "write from beyond RAM -> -1", "actual ", n);
	n = of_read(ih, (void *)0x2000, sizeof(rx));
	check(n == CI_ERR, "read into the firmware's own memory (0x2000) -> -1", "actual ", n);
	n = of_read(ih, (void *)0xfffff000u, sizeof(rx));
	check(n == CI_ERR, "read into memory beyond RAM -> -1", "actual ", n);

	/* Reads: nothing waiting, len 0, a buffer too small for the frame. */
	t0 = ms();
	n = of_read(ih, rx, sizeof(rx));
	w = ms() - t0;
	check(n == 0, "read with nothing waiting -> 0", "actual ", n);
	check(w < 100, "read with nothing waiting does not wait", "ms ", w);
	n = of_write(ih, tx, ARP_FRAME_LEN);
	check(n == ARP_FRAME_LEN, "write of an ARP request for 10.0.2.2", "actual ", n);
	n = read_wait(ih, rx, 0, 300);
	check(n == 0, "read of 0 bytes with a frame waiting -> 0", "actual ", n);
	n = read_wait(ih, rx, 20, 2000);
	check(n == CI_ERR, "read into 20 bytes of the ARP reply -> -1 (too small)", "actual ", n);
	n = read_wait(ih, rx, sizeof(rx), 300);
	check(n == 0, "the frame too long for the buffer was dropped, not kept", "actual ", n);
	of_write(ih, tx, ARP_FRAME_LEN);
	n = read_wait(ih, rx, sizeof(rx), 2000);
	check(is_arp_reply(n), "the next ARP reply, read whole: 10.0.2.2 answers", "actual ", n);
	put_str("NETINST: ARP reply of ");
	put_dec(n);
	put_str(" bytes\n");

	/* A second instance of the same NIC works; after close neither read nor write does. */
	other = of_open(path);
	check(other != 0 && other != CI_ERR && other != ih, "a second open of the NIC (no arguments)",
	      "ihandle ", other);
	n = of_write(other, tx, ARP_FRAME_LEN);
	check(n == ARP_FRAME_LEN, "write on the second instance", "actual ", n);
	n = read_wait(other, rx, sizeof(rx), 2000);
	check(is_arp_reply(n), "read on the second instance: the ARP reply", "actual ", n);
	of_close(other);
	n = of_write(other, tx, ARP_FRAME_LEN);
	check(n == CI_ERR, "write on a closed instance -> -1", "actual ", n);
	n = of_read(other, rx, sizeof(rx));
	check(n == CI_ERR, "read on a closed instance -> -1", "actual ", n);

	/* Not a NIC. */
	n = of_open("/no-such-nic" GRUB_SUFFIX);
	check(n == 0, "open of a missing path -> 0", "ihandle ", n);
	other = of_open("/vdevice" GRUB_SUFFIX);
	check(other != 0 && other != CI_ERR, "open of /vdevice (not a NIC) gives an instance",
	      "ihandle ", other);
	n = of_write(other, tx, ARP_FRAME_LEN);
	check(n == CI_ERR, "write of a frame on a non-NIC instance -> -1", "actual ", n);
	n = of_read(other, rx, sizeof(rx));
	check(n == CI_ERR, "read on a non-NIC instance -> -1", "actual ", n);
	of_close(other);

	/* instance-to-package of the GRUB-style instance is the NIC. */
	in[0] = ih;
	n = ci1("instance-to-package", 1, in);
	check(n == nic, "instance-to-package of the open NIC is its node", "phandle ", n);
}

/* ---------------------------------------------------------- quiesce */

/* ---------------------------------------------------------- load */

static uint32_t call_load(uint32_t ihandle, uint32_t addr, uint32_t *size)
{
	struct ci_args a;
	uint32_t in[3] = { cell("load"), ihandle, addr };

	if (ci_call(&a, "call-method", 3, 2, in) != 0)
		return 0xdeadu;
	*size = a.cell[4];
	return a.cell[3];
}

/*
 * "load=elf" in the bootargs: the user network serves this client's own
 * ELF as the boot file; "load=none": it names no boot file.  Without
 * either, only the error path that needs no network.
 */
static void load(void)
{
	uint32_t in[3] = { 0, 0x100000, 0x10000 }, base, catch, size = 0, t0, t;
	const unsigned char *f;

	catch = call_load(ih, 0x2000, &size);
	check(catch == CI_ERR, "load into the firmware's own memory throws", "catch ", catch);
	if (has_arg("load=none")) {
		catch = call_load(ih, 0x1000000, &size);
		check(catch == CI_ERR && size == 0, "load without a boot file throws", "catch ", catch);
	}
	/* A network boot served this client's own ELF: load gets it again. */
	if (!has_arg("load=elf") && !net_booted)
		return;
	base = ci1("claim", 3, in);
	check(base != CI_ERR && base, "claim 1 MiB for the boot file", "base ", base);
	t0 = ms();
	catch = call_load(ih, base, &size);
	t = ms() - t0;
	check(catch == 0, "load of the DHCP boot file returns", "catch ", catch);
	f = (const unsigned char *)base;
	check(size > 52 && mem_eq(f, "\177ELF\001\002", 6), "it is a 32-bit big-endian ELF",
	      "size ", size);
	if (size > 52) {
		uint32_t shoff = load_be32(f + 32), shentsize = load_be16(f + 46), shnum = load_be16(f + 48);
		uint32_t phoff = load_be32(f + 28), off = 0, vaddr = 0, filesz = 0;

		check(size == shoff + shentsize * shnum,
		      "its size ends with its section headers (the whole file)", "size ", size);
		if (phoff + 20 <= size) {
			off = load_be32(f + phoff + 4);
			vaddr = load_be32(f + phoff + 8);
			filesz = load_be32(f + phoff + 16);
		}
		if (filesz > 256)
			filesz = 256;
		check(filesz && off + filesz <= size &&
		      mem_eq(f + off, (const void *)vaddr, filesz),
		      "its first segment's code is this client's own", "offset ", off);
	}
	put_str("NETINST: loaded ");
	put_dec(size);
	put_str(" bytes in ");
	put_dec(t);
	put_str(" ms\n");
}

static void after_quiesce(void)
{
	struct ci_args a;
	uint32_t n, reg, compat_len;
	char compat[16];

	/* The GRUB-style instance stays open across quiesce, as a careless client leaves it. */
	ci_call(&a, "quiesce", 0, 0, NULL);
	build_arp_request();
	n = of_write(ih, tx, ARP_FRAME_LEN);
	check(n == CI_ERR, "write after quiesce -> -1", "actual ", n);
	n = of_read(ih, rx, sizeof(rx));
	check(n == CI_ERR, "read after quiesce -> -1", "actual ", n);
	n = call_load(ih, 0x1000000, &reg);
	check(n == CI_ERR, "load after quiesce throws", "catch ", n);
	compat_len = of_getprop(nic, "compatible", compat, sizeof(compat));
	if (compat_len == sizeof("IBM,l-lan") && mem_eq(compat, "IBM,l-lan", compat_len) &&
	    of_getprop(nic, "reg", &reg, 4) == 4) {
		/* made by the client itself: H_RESOURCE when the LAN is not open */
		int32_t rc = hcall1(H_FREE_LOGICAL_LAN, reg);

		check(rc == H_RESOURCE,
		      "the l-lan stays closed after quiesce (H_FREE_LOGICAL_LAN -> H_RESOURCE)",
		      "rc ", (uint32_t)rc);
	}
}

void client_main(uint32_t entry)
{
	(void)entry;
	client_tag = "NETINST: ";
	console_init();
	find_nic();
	if (!nic) {
		/* its FAIL line is printed: nothing more to check */
		check_done();
		client_power_off(1);
	}
	memcpy(open_path, path, str_len(path));
	memcpy(open_path + str_len(path), GRUB_SUFFIX, sizeof(GRUB_SUFFIX));
	check_net_boot();
	ih = of_open(open_path);
	check(ih != 0 && ih != CI_ERR, "open with GRUB's argument string", "ihandle ", ih);
	dhcp();
	error_paths();
	load();
	after_quiesce();
	check_done();
	client_power_off(1);
}
