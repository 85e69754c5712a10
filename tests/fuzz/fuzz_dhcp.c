/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: the DHCP/BOOTP client (net/dhcp.c) over the IPv4 stack
 * (net/ipv4.c).
 *
 * Input: byte 0 chooses what is fuzzed, the rest is the data.
 *   bit 7 clear  the data is one reply (the UDP payload): dhcp_parse()
 *                alone, with op, htype, hlen, xid and chaddr made to
 *                match when bit 0 is set (so the options are reached)
 *   bit 7 set    the data is the frames a NIC delivers (fuzz_net.h)
 *                while dhcp_configure() runs, from 10.0.2.2:67 to the
 *                broadcast address; each wrapped payload gets the
 *                client's xid and chaddr when it is long enough
 * Oracles: sanitizers; dhcp_parse is pure (the same answer twice); its
 * strings are NUL-terminated within their fields and overload is 0-3;
 * dhcp_configure ends by its 6 s timeout; on success the interface has
 * the lease's non-zero address and the response is at most 1720 bytes,
 * zero-padded; on failure there is a reason.
 */

#include <vofkit/net/dhcp.h>
#include "fuzz_net.h"

static void fn_patch(uint8_t *p, size_t len)
{
	if (len < 34 || fn_last_sent_len < 42 + 34)
		return;
	p[0] = 2;
	p[1] = 1;
	p[2] = 6;
	memcpy(p + 4, fn_last_sent + 42 + 4, 4);	/* xid */
	memcpy(p + 28, fn_last_sent + 42 + 28, 6);	/* chaddr */
}

static void check_reply(const struct dhcp_reply *r)
{
	FN_CHECK_STRING(r->bootfile);
	FN_CHECK_STRING(r->server_name);
	FUZZ_CHECK(r->overload <= 3, "overload %u", r->overload);
}

static struct dhcp_lease lease;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t xid = 0x1234abcd;
	struct dhcp_reply r1, r2;
	struct net_iface ifc;
	const char *why = NULL;
	uint8_t *copy;
	size_t i;
	int rc;

	if (size < 1)
		return 0;
	if (!(data[0] & 0x80)) {
		size--;
		copy = malloc(size ? size : 1);	/* exactly the input: ASan sees any overread */
		memcpy(copy, data + 1, size);
		if ((data[0] & 1) && size >= 34) {
			copy[0] = 2;
			copy[1] = 1;
			copy[2] = 6;
			put_be32(copy + 4, xid);
			memcpy(copy + 28, fn_client_mac, 6);
		}
		rc = dhcp_parse(copy, size, xid, fn_client_mac, &r1);
		FUZZ_CHECK(dhcp_parse(copy, size, xid, fn_client_mac, &r2) == rc, "not pure");
		FUZZ_CHECK(!memcmp(&r1, &r2, sizeof(r1)), "not pure");
		if (!rc) {
			FUZZ_CHECK(size >= 236, "a %zu-byte reply accepted", size);
			check_reply(&r1);
		}
		free(copy);
		return 0;
	}

	fn_start(data + 1, size - 1, 0x0a000202, 0xffffffff, 67);
	net_iface_init(&ifc, &fn_dev);
	rc = dhcp_configure(&ifc, &lease, 6000, &why);
	FUZZ_CHECK(fake_now_us <= 1000000 + 6000000 + 100000, "DHCP ran %llu us",
		   (unsigned long long)(fake_now_us - 1000000));
	if (rc) {
		FUZZ_CHECK(rc == -1 && why && *why, "failure without a reason");
		return 0;
	}
	FUZZ_CHECK(lease.client_ip && ifc.ip == lease.client_ip, "address not taken");
	FUZZ_CHECK(lease.response_len > 0 && lease.response_len <= DHCP_RESPONSE_SIZE,
		   "response_len %u", lease.response_len);
	for (i = lease.response_len; i < DHCP_RESPONSE_SIZE; i++)
		FUZZ_CHECK(lease.response[i] == 0, "response not zero-padded at %zu", i);
	FN_CHECK_STRING(lease.bootfile);
	FN_CHECK_STRING(lease.server_name);
	return 0;
}
