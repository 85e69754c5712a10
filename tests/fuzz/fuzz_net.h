/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by fuzz_dhcp.c and fuzz_tftp.c: a fake NIC that plays frames from the fuzzer's input (clock and checksums: net_fakes.h). */
#ifndef VOFKIT_FUZZ_NET_H
#define VOFKIT_FUZZ_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <vofkit/core/device.h>
#include <vofkit/core/time.h>
#include <vofkit/lib/byteorder.h>
#include "fuzz.h"
#include "net_fakes.h"

/*
 * Input for a whole exchange: chunks of [flags][len hi][len lo][len
 * bytes].  Flags bit 0: the bytes are a raw Ethernet frame; otherwise
 * they are a UDP payload the NIC wraps in a valid frame from fn_src_ip
 * and port fn_src_port (flags bit 1: port + 1, a stranger) to the port
 * the client last sent from.  The clock moves 1 ms per empty poll, so a
 * client that waits for nothing ends by its own timeouts.
 */

static const uint8_t fn_client_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint8_t fn_server_mac[6] = { 0x52, 0x55, 0x0a, 0x00, 0x02, 0x02 };

static const uint8_t *fn_in;
static size_t fn_in_len, fn_in_pos;
static uint32_t fn_src_ip, fn_dst_ip;
static uint16_t fn_src_port, fn_client_port;
static unsigned int fn_sends;
static uint8_t fn_last_sent[1514];
static size_t fn_last_sent_len;

static int fn_send(struct net_dev *dev, const void *frame, size_t len)
{
	const uint8_t *f = frame;

	FUZZ_CHECK(len >= 60 && len <= 1514, "frame of %zu bytes sent", len);
	fn_sends++;
	fake_now_us += 1;
	memcpy(fn_last_sent, f, len);
	fn_last_sent_len = len;
	if (get_be16(f + 12) == 0x0800 && f[14 + 9] == 17) {
		FUZZ_CHECK(ref_csum(f + 14, 20, 0) == 0, "bad IPv4 header checksum sent");
		fn_client_port = get_be16(f + 34);
	}
	return 0;
}

static size_t fn_wrap(uint8_t *f, const uint8_t *data, size_t len, uint16_t sport)
{
	uint8_t *ip = f + 14, *udp = ip + 20;
	uint16_t sum;

	memcpy(f, fn_client_mac, 6);
	memcpy(f + 6, fn_server_mac, 6);
	put_be16(f + 12, 0x0800);
	memset(ip, 0, 20);
	ip[0] = 0x45;
	put_be16(ip + 2, (uint16_t)(28 + len));
	ip[8] = 64;
	ip[9] = 17;
	put_be32(ip + 12, fn_src_ip);
	put_be32(ip + 16, fn_dst_ip);
	put_be16(ip + 10, ref_csum(ip, 20, 0));
	put_be16(udp, sport);
	put_be16(udp + 2, fn_client_port);
	put_be16(udp + 4, (uint16_t)(8 + len));
	put_be16(udp + 6, 0);
	memcpy(udp + 8, data, len);
	sum = ref_udp_csum(fn_src_ip, fn_dst_ip, udp, 8 + len);
	put_be16(udp + 6, sum ? sum : 0xffff);	/* 0 would mean "no checksum" */
	return 42 + len;
}

/* Hook for the target: patch a UDP payload before it is wrapped (xid, chaddr...). */
static void fn_patch(uint8_t *payload, size_t len);

static int fn_receive(struct net_dev *dev, void *buf, size_t len)
{
	uint8_t flags, payload[1472];
	size_t n;

	if (fn_in_pos + 3 > fn_in_len) {
		fake_now_us += 1000;
		return 0;
	}
	flags = fn_in[fn_in_pos];
	n = get_be16(fn_in + fn_in_pos + 1);
	fn_in_pos += 3;
	if (n > fn_in_len - fn_in_pos)
		n = fn_in_len - fn_in_pos;
	if (flags & 1) {
		if (n > len)
			n = len;
		memcpy(buf, fn_in + fn_in_pos, n);
		fn_in_pos += n;
		return (int)n;
	}
	if (n > sizeof(payload))
		n = sizeof(payload);
	memcpy(payload, fn_in + fn_in_pos, n);
	fn_in_pos += n;
	fn_patch(payload, n);
	FUZZ_CHECK(42 + n <= len, "receive buffer of %zu bytes", len);
	return (int)fn_wrap(buf, payload, n, (uint16_t)(fn_src_port + ((flags >> 1) & 1)));
}

static bool fn_link_up(struct net_dev *dev)
{
	return true;
}

static struct net_dev fn_dev = {
	.mac = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 },
	.max_frame = 1514,
	.send = fn_send,
	.receive = fn_receive,
	.link_up = fn_link_up,
};

static void fn_start(const uint8_t *data, size_t len, uint32_t src_ip, uint32_t dst_ip,
		     uint16_t src_port)
{
	fn_in = data;
	fn_in_len = len;
	fn_in_pos = 0;
	fake_now_us = 1000000;
	fn_src_ip = src_ip;
	fn_dst_ip = dst_ip;
	fn_src_port = src_port;
	fn_client_port = 0;
	fn_sends = 0;
}

/* A string field of `size` bytes is NUL-terminated inside it. */
#define FN_CHECK_STRING(field)                                                          \
	FUZZ_CHECK(memchr((field), 0, sizeof(field)) != NULL, "%s not terminated", #field)

#endif /* VOFKIT_FUZZ_NET_H */
