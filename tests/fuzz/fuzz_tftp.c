/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: the TFTP client (net/tftp.c) over the IPv4 stack
 * (net/ipv4.c).
 *
 * Input: byte 0 chooses what is fuzzed, the rest is the data.
 *   bit 7 clear  the data is one packet: tftp_parse_packet() alone
 *   bit 7 set    the data is the frames a NIC delivers (fuzz_net.h)
 *                while tftp_get() reads a file of at most 64 KiB
 *                (bits 0-3 of byte 0 take 4 KiB off per step) from
 *                10.0.2.2, answers coming from port 69
 * Oracles: sanitizers (the destination is exactly max bytes on the
 * heap); a parsed DATA points inside the packet; an ERROR message is
 * printable and NUL-terminated; an OACK's blksize is 8-65464; the
 * transfer ends (by its retransmission limit at the latest); success
 * means size <= max, a block size of 512 or at most the one asked for,
 * and no error text; a failure names its reason.
 */

#include <vofkit/net/tftp.h>
#include "fuzz_net.h"

static void fn_patch(uint8_t *p, size_t len)
{
}

static void check_packet(const uint8_t *pkt, size_t len, const struct tftp_packet *pk)
{
	size_t i;

	switch (pk->opcode) {
	case TFTP_DATA:
		FUZZ_CHECK(pk->data == pkt + 4 && pk->data_len == len - 4, "DATA outside the packet");
		break;
	case TFTP_ERROR:
		FUZZ_CHECK(memchr(pk->error_msg, 0, sizeof(pk->error_msg)), "message not terminated");
		for (i = 0; pk->error_msg[i]; i++)
			FUZZ_CHECK(pk->error_msg[i] >= 0x20 && pk->error_msg[i] < 0x7f,
				   "unprintable message");
		break;
	case TFTP_OACK:
		if (pk->has_blksize)
			FUZZ_CHECK(pk->blksize >= 8 && pk->blksize <= 65464, "blksize %u",
				   pk->blksize);
		break;
	default:
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tftp_result res;
	struct tftp_packet pk;
	struct net_iface ifc;
	uint8_t *copy, *dest;
	uint64_t max;
	int rc;

	if (size < 1)
		return 0;
	if (!(data[0] & 0x80)) {
		size--;
		copy = malloc(size ? size : 1);
		memcpy(copy, data + 1, size);
		if (!tftp_parse_packet(copy, size, &pk))
			check_packet(copy, size, &pk);
		free(copy);
		return 0;
	}

	max = 65536 - (uint64_t)(data[0] & 0xf) * 4096;
	dest = malloc(max);
	fn_start(data + 1, size - 1, 0x0a000202, 0x0a00020f, 69);
	net_iface_init(&ifc, &fn_dev);
	ifc.ip = 0x0a00020f;
	ifc.netmask = 0xffffff00;
	ifc.router = 0x0a000202;
	/* the server's MAC is known, as after DHCP: no ARP wait per input */
	ifc.arp_valid = true;
	ifc.arp_ip = 0x0a000202;
	memcpy(ifc.arp_mac, fn_server_mac, 6);
	rc = tftp_get(&ifc, 0x0a000202, "boot/vmlinux", dest, max, &res);
	FUZZ_CHECK(memchr(res.error, 0, sizeof(res.error)), "error not terminated");
	if (rc) {
		FUZZ_CHECK(rc == -1 && res.error[0], "failure without a reason");
	} else {
		FUZZ_CHECK(!res.error[0], "success with an error: %s", res.error);
		FUZZ_CHECK(res.size <= max, "size %llu", (unsigned long long)res.size);
		FUZZ_CHECK(res.blksize == 512 || res.blksize <= CONFIG_NET_TFTP_BLKSIZE,
			   "blksize %u", res.blksize);
		FUZZ_CHECK(res.blocks >= 1, "no block");
	}
	free(dest);
	return 0;
}
