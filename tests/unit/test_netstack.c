/* SPDX-License-Identifier: Apache-2.0 */
/* The IPv4 stack, DHCP and TFTP clients (net/) against a fake NIC with a slirp-like DHCP, ARP and TFTP server behind it. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <vofkit/core/device.h>
#include <vofkit/core/time.h>
#include <vofkit/lib/byteorder.h>
#include <vofkit/lib/util.h>
#include <vofkit/net/dhcp.h>
#include <vofkit/net/ipv4.h>
#include <vofkit/net/tftp.h>
#include "capture.h"
#include "net_fakes.h"

/*
 * The fake behaves as QEMU 7.2's user networking (libslirp 4.7, facts
 * from docs/boot-sources §4.5): gateway, DHCP and TFTP server 10.0.2.2,
 * first lease 10.0.2.15; a reply is queued while the client's send is
 * still in progress (slirp answers synchronously); DHCP replies go to
 * 255.255.255.255 and ff:ff:ff:ff:ff:ff from port 67; TFTP answers come
 * from port 69 (a mode answers from a new port, as RFC 1350 servers do),
 * blksize is cut to 1428, tsize 0 gets the size.  Unlike slirp, the TFTP
 * server follows the ACK number (block n+1 for ACK n) so loss recovery
 * can be tested, and, as RFC 1123 asks, sends a block again only when a
 * repeated ACK comes 100 ms or more after it sent that block (a
 * duplicate ACK at once would start the Sorcerer's Apprentice).
 *
 * Time is fake: the clock moves only while the client polls an empty
 * receive queue (10 µs a poll), so timeouts and back-off are exact and
 * the tests take no real time.  Every frame the client sends is checked
 * on the wire: Ethernet source, minimum length, IPv4 header checksum and
 * UDP checksum computed here independently.
 */

#define CLIENT_IP	0x0a00020fu	/* 10.0.2.15 */
#define SERVER_IP	0x0a000202u	/* 10.0.2.2 */
#define DNS_IP		0x0a000203u
#define NETMASK		0xffffff00u
#define SERVER_TID	50123	/* new-port mode */

static const uint8_t client_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint8_t server_mac[6] = { 0x52, 0x55, 0x0a, 0x00, 0x02, 0x02 };
static const uint8_t bcast_mac[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* How a test frame is spoiled. */
enum frame_flaw {
	FLAW_NONE,
	FLAW_IP_CSUM,		/* header checksum off by one */
	FLAW_UDP_CSUM,		/* UDP checksum off by one */
	FLAW_UDP_CSUM_ZERO,	/* no UDP checksum (0): allowed */
	FLAW_MORE_FRAGMENTS,
	FLAW_FRAG_OFFSET,
	FLAW_VERSION6,
	FLAW_IHL4,
	FLAW_TOTAL_LONG,	/* IPv4 total length past the frame */
	FLAW_UDP_LEN_LONG,	/* UDP length past the IPv4 payload */
	FLAW_UDP_LEN_SHORT,	/* UDP length 7 */
	FLAW_IP_OPTIONS,	/* IHL 6 with one option word: valid */
	FLAW_ETH_PADDING,	/* 20 bytes of trailer after the datagram: valid */
	FLAW_PROTO_TCP,
	FLAW_WRONG_MAC,
};

/* A UDP frame as a server would send it; its length. */
static size_t build_udp(uint8_t *f, const uint8_t *dst_mac, uint32_t src, uint32_t dst,
			uint16_t sport, uint16_t dport, const void *data, size_t len,
			enum frame_flaw flaw)
{
	size_t ihl = flaw == FLAW_IP_OPTIONS ? 24 : 20, udp_len = 8 + len, total = ihl + udp_len;
	uint8_t *ip = f + 14, *udp = ip + ihl;
	uint16_t sum;

	memcpy(f, flaw == FLAW_WRONG_MAC ? server_mac : dst_mac, 6);
	memcpy(f + 6, server_mac, 6);
	put_be16(f + 12, 0x0800);
	memset(ip, 0, ihl);
	ip[0] = (uint8_t)(0x40 | ihl / 4);
	if (flaw == FLAW_VERSION6)
		ip[0] = 0x65;
	if (flaw == FLAW_IHL4)
		ip[0] = 0x44;
	put_be16(ip + 2, (uint16_t)(flaw == FLAW_TOTAL_LONG ? total + 1 : total));
	put_be16(ip + 6, flaw == FLAW_MORE_FRAGMENTS ? 0x2000 : flaw == FLAW_FRAG_OFFSET ? 0x0010 : 0);
	ip[8] = 64;
	ip[9] = flaw == FLAW_PROTO_TCP ? 6 : 17;
	put_be32(ip + 12, src);
	put_be32(ip + 16, dst);
	if (flaw == FLAW_IP_OPTIONS)
		put_be32(ip + 20, 0x01010100);	/* NOP NOP NOP EOL */
	put_be16(ip + 10, (uint16_t)(ref_csum(ip, ihl, 0) + (flaw == FLAW_IP_CSUM)));
	put_be16(udp, sport);
	put_be16(udp + 2, dport);
	put_be16(udp + 4, (uint16_t)(flaw == FLAW_UDP_LEN_LONG ? udp_len + 1 :
				     flaw == FLAW_UDP_LEN_SHORT ? 7 : udp_len));
	put_be16(udp + 6, 0);
	memcpy(udp + 8, data, len);
	if (flaw == FLAW_UDP_LEN_LONG) {
		/* the byte the UDP length claims lies in the frame, past the IPv4 datagram, and the checksum covers it */
		udp[udp_len] = 0x77;
		sum = ref_udp_csum(src, dst, udp, udp_len + 1);
		if (!sum)
			sum = 0xffff;
		put_be16(udp + 6, sum);
		return 14 + total + 1;
	}
	sum = ref_udp_csum(src, dst, udp, udp_len);
	if (!sum)
		sum = 0xffff;
	if (flaw == FLAW_UDP_CSUM)
		sum++;
	if (flaw == FLAW_UDP_CSUM_ZERO)
		sum = 0;
	put_be16(udp + 6, sum);
	if (flaw == FLAW_ETH_PADDING) {
		memset(f + 14 + total, 0xee, 20);
		return 14 + total + 20;
	}
	return 14 + total;
}

/* ---- the fake NIC: a receive queue the server fills, every send checked ---- */

#define QUEUE_MAX	128
#define FRAME_MAX	1536

static struct {
	uint8_t frame[QUEUE_MAX][FRAME_MAX];
	size_t len[QUEUE_MAX];
	uint64_t ready_us[QUEUE_MAX];	/* not delivered before */
	uint64_t delay_us;		/* for frames injected now */
	unsigned int head, count;
	unsigned int sends, receive_errors;
	uint16_t last_udp_csum;		/* of the last IPv4 frame sent */
} nic;

static void inject(const uint8_t *f, size_t len)
{
	unsigned int slot;

	assert_true(nic.count < QUEUE_MAX);
	assert_true(len <= FRAME_MAX);
	slot = (nic.head + nic.count++) % QUEUE_MAX;
	memcpy(nic.frame[slot], f, len);
	nic.len[slot] = len;
	nic.ready_us[slot] = fake_now_us + nic.delay_us;
}

static void inject_udp(const uint8_t *dst_mac, uint32_t src, uint32_t dst, uint16_t sport,
		       uint16_t dport, const void *data, size_t len, enum frame_flaw flaw)
{
	uint8_t f[FRAME_MAX];

	inject(f, build_udp(f, dst_mac, src, dst, sport, dport, data, len, flaw));
}

static int fake_receive(struct net_dev *dev, void *buf, size_t len)
{
	size_t n;

	if (nic.receive_errors) {
		nic.receive_errors--;
		return -1;
	}
	if (!nic.count || nic.ready_us[nic.head] > fake_now_us) {
		fake_now_us += 10;
		/* A client that never gives up is a failure, not a hang. */
		if (fake_now_us > 3600ull * 1000000)
			fail_msg("the client polled for an hour of fake time");
		return 0;
	}
	n = nic.len[nic.head];
	assert_true(n <= len);
	memcpy(buf, nic.frame[nic.head], n);
	nic.head = (nic.head + 1) % QUEUE_MAX;
	nic.count--;
	return (int)n;
}

static bool fake_link_up(struct net_dev *dev)
{
	return true;
}

static void server_frame(const uint8_t *f, size_t len);

static int fake_send(struct net_dev *dev, const void *frame, size_t len)
{
	const uint8_t *f = frame;

	nic.sends++;
	fake_now_us += 1;
	assert_true(len >= 60 && len <= 1514);
	assert_memory_equal(f + 6, client_mac, 6);
	if (get_be16(f + 12) == 0x0800)
		nic.last_udp_csum = get_be16(f + 14 + 20 + 6);
	server_frame(f, len);
	return 0;
}

static struct net_dev dev = {
	.mac = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 },
	.max_frame = 1514,
	.send = fake_send,
	.receive = fake_receive,
	.link_up = fake_link_up,
};

/* ---- the server side ---- */

enum dhcp_mode { DHCP_NORMAL, DHCP_SILENT, DHCP_BOOTP, DHCP_NAK_ONCE, DHCP_NAK_ALWAYS };

#define MAX_BLOCKS	70000u

static struct {
	/* ARP */
	bool arp_silent;
	unsigned int arp_ignore;	/* requests left unanswered first */
	unsigned int arp_requests;
	uint32_t arp_last_target;
	unsigned int arp_replies;	/* the client's replies to our requests */
	uint8_t arp_reply[60];
	/* DHCP */
	enum dhcp_mode dhcp;
	bool dhcp_noise;		/* wrong xid and wrong chaddr replies first */
	bool dhcp_unicast;		/* replies to yiaddr and the client's MAC, as RFC 2131 servers may */
	uint8_t extra_opts[128];
	size_t extra_len;
	bool no_cookie;			/* BOOTP mode: RFC 951 vendor area */
	char file[128], sname[64];
	unsigned int discovers, requests, naks;
	uint64_t discover_us[16];
	uint32_t discover_xid[16];
	uint32_t req_ip, req_server;
	uint8_t params[32];
	size_t params_len;
	uint8_t ack[600];
	size_t ack_len;
	/* TFTP */
	const uint8_t *data;
	size_t size;
	bool options;			/* answer options with an OACK */
	uint32_t grant_blksize;		/* 0: min(asked, 1428) */
	uint32_t asked_blksize;
	bool tsize_asked;
	uint64_t tsize_override;	/* 0: the real size */
	const char *oack_raw;		/* an OACK body sent as is (pairs, '|' for NUL) */
	bool not_found;
	uint16_t tid;			/* 69 (slirp) or SERVER_TID */
	uint16_t client_port;
	uint32_t blksize, cur, last_block;	/* cur: the last block sent; 0 = none / OACK */
	bool done;
	uint64_t cur_sent_us;
	uint32_t drop_data_once, drop_ack_once, dup_data, reorder_at, foreign_at, stop_after;
	uint32_t oversize_at;		/* this block carries one byte more than agreed */
	bool drop_every;		/* the first copy of every block is lost */
	bool oack_twice;		/* the OACK is sent twice, as by a server whose timer fired */
	uint32_t oack_late_at;		/* after this block, an OACK with blksize 512 comes again */
	uint64_t delay_us;		/* every answer takes this long */
	uint32_t dropped;
	unsigned int acks_to_wrong_port, rrqs, data_sent;
	unsigned int errors;
	uint16_t error_code;
	uint8_t *ack_count;		/* per block (32-bit count), for ACKs of the last two sent */
	uint32_t acks_by_number[65536];	/* every ACK, by its 16-bit number */
} srv;

static void server_reset(void)
{
	free(srv.ack_count);
	memset(&srv, 0, sizeof(srv));
	srv.tid = 69;
	srv.options = true;
	srv.ack_count = calloc(MAX_BLOCKS + 2, 1);
	strcpy(srv.file, "boot/vmlinux");
}

static void server_send_arp_reply(const uint8_t *req)
{
	uint8_t f[60] = { 0 }, *a = f + 14;

	memcpy(f, req + 8, 6);
	memcpy(f + 6, server_mac, 6);
	put_be16(f + 12, 0x0806);
	put_be16(a, 1);
	put_be16(a + 2, 0x0800);
	a[4] = 6;
	a[5] = 4;
	put_be16(a + 6, 2);
	memcpy(a + 8, server_mac, 6);
	memcpy(a + 14, req + 24, 4);
	memcpy(a + 18, req + 8, 6);
	memcpy(a + 24, req + 14, 4);
	inject(f, 60);
}

static void server_arp(const uint8_t *a)
{
	uint16_t op = get_be16(a + 6);

	assert_int_equal(get_be16(a), 1);
	assert_int_equal(get_be16(a + 2), 0x0800);
	if (op == 2) {
		srv.arp_replies++;
		memcpy(srv.arp_reply, a - 14, 60);
		return;
	}
	assert_int_equal(op, 1);
	srv.arp_requests++;
	srv.arp_last_target = get_be32(a + 24);
	if (srv.arp_silent || srv.arp_ignore) {
		if (srv.arp_ignore)
			srv.arp_ignore--;
		return;
	}
	/* slirp answers for its own addresses in 10.0.2.0/24 */
	if ((srv.arp_last_target & NETMASK) == (SERVER_IP & NETMASK))
		server_send_arp_reply(a);
}

/* ---- DHCP server ---- */

static size_t dhcp_reply(uint8_t *r, const uint8_t *req, uint8_t type)
{
	uint8_t *o;

	memset(r, 0, 548);
	r[0] = 2;
	r[1] = 1;
	r[2] = 6;
	memcpy(r + 4, req + 4, 4);
	memcpy(r + 28, req + 28, 6);
	if (type != DHCP_NAK) {
		put_be32(r + 16, CLIENT_IP);
		put_be32(r + 20, SERVER_IP);
	}
	memcpy(r + 44, srv.sname, strlen(srv.sname));
	memcpy(r + 108, srv.file, strlen(srv.file));
	if (srv.no_cookie)
		return 300;
	o = r + 236;
	*o++ = 99, *o++ = 130, *o++ = 83, *o++ = 99;
	if (type) {
		*o++ = 53, *o++ = 1, *o++ = type;
	}
	*o++ = 54, *o++ = 4;
	put_be32(o, SERVER_IP), o += 4;
	if (type != DHCP_NAK) {
		*o++ = 1, *o++ = 4;
		put_be32(o, NETMASK), o += 4;
		*o++ = 3, *o++ = 4;
		put_be32(o, SERVER_IP), o += 4;
		*o++ = 6, *o++ = 4;
		put_be32(o, DNS_IP), o += 4;
		*o++ = 51, *o++ = 4;
		put_be32(o, 86400), o += 4;
		memcpy(o, srv.extra_opts, srv.extra_len);
		o += srv.extra_len;
	}
	*o = 255;
	return 548;	/* slirp's struct bootp_t: 236 + 312 */
}

static void dhcp_send_reply(const uint8_t *reply, size_t len)
{
	if (srv.dhcp_unicast && get_be32(reply + 16))
		inject_udp(client_mac, SERVER_IP, get_be32(reply + 16), 67, 68, reply, len,
			   FLAW_NONE);
	else
		inject_udp(bcast_mac, SERVER_IP, IPV4_BROADCAST, 67, 68, reply, len, FLAW_NONE);
}

static void server_dhcp(const uint8_t *req, size_t len)
{
	uint8_t r[600], msg_type = 0;
	const uint8_t *o;
	size_t n;

	assert_true(len >= 300);
	assert_int_equal(req[0], 1);
	assert_memory_equal(req + 28, client_mac, 6);
	assert_memory_equal(req + 236, "\x63\x82\x53\x63", 4);
	srv.req_ip = srv.req_server = 0;
	for (o = req + 240; o + 1 < req + len && *o != 255; o += 2 + o[1]) {
		if (o[0] == 53)
			msg_type = o[2];
		if (o[0] == 50)
			srv.req_ip = get_be32(o + 2);
		if (o[0] == 54)
			srv.req_server = get_be32(o + 2);
		if (o[0] == 55) {
			srv.params_len = o[1];
			memcpy(srv.params, o + 2, o[1]);
		}
	}
	if (msg_type == DHCP_DISCOVER && srv.discovers < 16) {
		srv.discover_us[srv.discovers] = fake_now_us;
		srv.discover_xid[srv.discovers] = get_be32(req + 4);
	}
	if (msg_type == DHCP_DISCOVER)
		srv.discovers++;
	else if (msg_type == DHCP_REQUEST)
		srv.requests++;
	else
		fail_msg("DHCP message type %u", msg_type);
	if (srv.dhcp == DHCP_SILENT)
		return;
	if (srv.dhcp_noise) {
		/* another client's transaction, and ours with another chaddr: both ignored */
		n = dhcp_reply(r, req, msg_type == DHCP_DISCOVER ? DHCP_OFFER : DHCP_NAK);
		r[4] ^= 0x80;
		dhcp_send_reply(r, n);
		n = dhcp_reply(r, req, msg_type == DHCP_DISCOVER ? DHCP_OFFER : DHCP_NAK);
		r[33] ^= 1;
		dhcp_send_reply(r, n);
		if (msg_type == DHCP_REQUEST) {
			/* a NAK from another server (option 54 = 10.0.2.66): not an answer to us */
			n = dhcp_reply(r, req, DHCP_NAK);
			assert_int_equal(r[243], 54);
			r[248] = 66;
			dhcp_send_reply(r, n);
		}
	}
	if (srv.dhcp == DHCP_BOOTP) {
		n = dhcp_reply(r, req, 0);
	} else if (msg_type == DHCP_DISCOVER) {
		n = dhcp_reply(r, req, DHCP_OFFER);
	} else if (srv.dhcp == DHCP_NAK_ALWAYS || (srv.dhcp == DHCP_NAK_ONCE && !srv.naks)) {
		srv.naks++;
		n = dhcp_reply(r, req, DHCP_NAK);
	} else {
		n = dhcp_reply(r, req, DHCP_ACK);
		memcpy(srv.ack, r, n);
		srv.ack_len = n;
	}
	dhcp_send_reply(r, n);
}

/* ---- TFTP server ---- */

static void tftp_out(const void *pkt, size_t len)
{
	nic.delay_us = srv.delay_us;
	inject_udp(client_mac, SERVER_IP, CLIENT_IP, srv.tid, srv.client_port, pkt, len,
		   FLAW_NONE);
	nic.delay_us = 0;
}

/* Block b (1-based, a 32-bit count) into pkt; its payload length. */
static size_t tftp_block(uint8_t *pkt, uint32_t b)
{
	uint64_t off = (uint64_t)(b - 1) * srv.blksize;
	size_t n = off >= srv.size ? 0 : srv.size - off < srv.blksize ? srv.size - off : srv.blksize;

	if (srv.oversize_at == b && off + n < srv.size)
		n++;
	put_be16(pkt, TFTP_DATA);
	put_be16(pkt + 2, (uint16_t)b);
	memcpy(pkt + 4, srv.data + off, n);
	return n;
}

static void tftp_send_block(uint32_t b)
{
	uint8_t pkt[4 + 1468];
	size_t n = tftp_block(pkt, b);

	srv.cur = b;
	srv.cur_sent_us = fake_now_us;
	if (n < srv.blksize)
		srv.last_block = b;
	if (srv.stop_after && b > srv.stop_after)
		return;
	if (srv.drop_data_once == b) {
		srv.drop_data_once = 0;
		return;
	}
	if (srv.drop_every && srv.dropped < b) {
		srv.dropped = b;
		return;
	}
	if (srv.reorder_at == b) {
		/* the next block overtakes this one */
		uint8_t next[4 + 1468];
		size_t m;

		srv.reorder_at = 0;
		m = tftp_block(next, b + 1);
		tftp_out(next, 4 + m);
	}
	srv.data_sent++;
	tftp_out(pkt, 4 + n);
	if (srv.dup_data == b) {
		srv.dup_data = 0;
		tftp_out(pkt, 4 + n);
	}
	if (srv.oack_late_at == b) {
		static const uint8_t late[] = "\0\6blksize\0" "512";

		tftp_out(late, sizeof(late));
	}
	if (srv.foreign_at == b) {
		/* the next block's number, garbage inside, from another port of the server */
		uint8_t junk[4 + 1468];
		size_t m = tftp_block(junk, b + 1);

		memset(junk + 4, 0xa5, m);
		inject_udp(client_mac, SERVER_IP, CLIENT_IP, (uint16_t)(srv.tid + 1),
			   srv.client_port, junk, 4 + m, FLAW_NONE);
		/* and from another host, to our port */
		inject_udp(client_mac, DNS_IP, CLIENT_IP, srv.tid, srv.client_port, junk, 4 + m,
			   FLAW_NONE);
	}
}

static void tftp_error(uint16_t code, const char *msg)
{
	uint8_t pkt[128];
	size_t n = strlen(msg) + 1;

	put_be16(pkt, TFTP_ERROR);
	put_be16(pkt + 2, code);
	memcpy(pkt + 4, msg, n);
	tftp_out(pkt, 4 + n);
}

static void server_tftp_rrq(const uint8_t *p, size_t len, uint16_t sport)
{
	char *s = (char *)p + 2, *end = (char *)p + len, *key, *val;
	uint8_t oack[128];
	size_t n = 2;

	assert_int_equal(p[len - 1], 0);
	srv.rrqs++;
	srv.client_port = sport;
	srv.blksize = 512;
	srv.cur = 0;
	srv.done = false;
	s += strlen(s) + 1;		/* the name */
	assert_string_equal(s, "octet");
	s += strlen(s) + 1;
	put_be16(oack, TFTP_OACK);
	while (s < end) {
		key = s;
		val = s + strlen(s) + 1;
		s = val + strlen(val) + 1;
		if (!strcmp(key, "blksize")) {
			srv.asked_blksize = (uint32_t)atoi(val);
			srv.blksize = srv.grant_blksize ? srv.grant_blksize :
				      srv.asked_blksize < 1428 ? srv.asked_blksize : 1428;
			n += (size_t)sprintf((char *)oack + n, "blksize") + 1;
			n += (size_t)sprintf((char *)oack + n, "%u", srv.blksize) + 1;
		} else if (!strcmp(key, "tsize")) {
			srv.tsize_asked = true;
			assert_string_equal(val, "0");
			n += (size_t)sprintf((char *)oack + n, "tsize") + 1;
			n += (size_t)sprintf((char *)oack + n, "%llu",
					     (unsigned long long)(srv.tsize_override ?
								  srv.tsize_override : srv.size)) + 1;
		}
	}
	if (srv.not_found) {
		tftp_error(1, "File not found");
		return;
	}
	if (!srv.options) {
		srv.blksize = 512;
		tftp_send_block(1);
		return;
	}
	if (srv.oack_raw) {
		const char *r;

		if (!strstr(srv.oack_raw, "blksize"))
			srv.blksize = 512;

		for (r = srv.oack_raw, n = 2; *r; r++)
			oack[n++] = *r == '|' ? 0 : (uint8_t)*r;
	}
	srv.cur_sent_us = fake_now_us;
	tftp_out(oack, n);
	if (srv.oack_twice)
		tftp_out(oack, n);
}

static void server_tftp(const uint8_t *p, size_t len, uint16_t sport, uint16_t dport)
{
	uint16_t op = get_be16(p), block;

	if (op == TFTP_RRQ) {
		assert_int_equal(dport, 69);
		server_tftp_rrq(p, len, sport);
		return;
	}
	assert_int_equal(sport, srv.client_port);
	if (dport != srv.tid)
		srv.acks_to_wrong_port++;
	if (op == TFTP_ERROR) {
		srv.errors++;
		srv.error_code = get_be16(p + 2);
		srv.done = true;
		return;
	}
	assert_int_equal(op, TFTP_ACK);
	assert_int_equal(len, 4);
	if (srv.done)
		return;
	block = get_be16(p + 2);
	srv.acks_by_number[block]++;
	if (block == (uint16_t)srv.cur && srv.cur <= MAX_BLOCKS)
		srv.ack_count[srv.cur]++;
	else if (srv.cur && block == (uint16_t)(srv.cur - 1) && srv.cur <= MAX_BLOCKS)
		srv.ack_count[srv.cur - 1]++;
	if (srv.drop_ack_once && block == (uint16_t)srv.drop_ack_once) {
		srv.drop_ack_once = 0;
		return;
	}
	if (block == (uint16_t)srv.cur) {
		if (srv.last_block && srv.cur == srv.last_block) {
			srv.done = true;	/* slirp ends the session after the short block */
			return;
		}
		tftp_send_block(srv.cur + 1);
	} else if (block == (uint16_t)(srv.cur - 1) && fake_now_us - srv.cur_sent_us >= 100000) {
		/* the client timed out waiting for srv.cur: send it again */
		uint32_t b = srv.cur;

		if (b)
			tftp_send_block(b);
	}
}

/* Every frame the client sends: checked on the wire, then served. */
static void server_frame(const uint8_t *f, size_t len)
{
	const uint8_t *ip = f + 14, *udp;
	size_t total, udp_len;
	uint32_t src, dst;

	if (get_be16(f + 12) == 0x0806) {
		server_arp(ip);
		return;
	}
	assert_int_equal(get_be16(f + 12), 0x0800);
	assert_int_equal(ip[0], 0x45);
	assert_int_equal(ref_csum(ip, 20, 0), 0);
	assert_int_equal(get_be16(ip + 6) & 0x3fff, 0);
	assert_int_equal(ip[9], 17);
	total = get_be16(ip + 2);
	assert_true(total >= 28 && 14 + total <= len);
	src = get_be32(ip + 12);
	dst = get_be32(ip + 16);
	udp = ip + 20;
	udp_len = get_be16(udp + 4);
	assert_int_equal(udp_len, total - 20);
	/* a checksum must be sent, and be right */
	assert_int_not_equal(get_be16(udp + 6), 0);
	assert_int_equal(ref_udp_csum(src, dst, udp, udp_len), 0);
	if (dst == IPV4_BROADCAST)
		assert_memory_equal(f, bcast_mac, 6);
	else
		assert_memory_equal(f, server_mac, 6);
	if (get_be16(udp + 2) == 9)
		return;	/* the discard port: the datagram was checked, that is all */
	if (get_be16(udp + 2) == 67) {
		assert_int_equal(src, 0);
		assert_int_equal(dst, IPV4_BROADCAST);
		assert_int_equal(get_be16(udp), 68);
		server_dhcp(udp + 8, udp_len - 8);
		return;
	}
	if (dst == SERVER_IP) {
		server_tftp(udp + 8, udp_len - 8, get_be16(udp), get_be16(udp + 2));
		return;
	}
	fail_msg("unexpected datagram to %08x port %u", dst, get_be16(udp + 2));
}

/* ---- set-up ---- */

static struct net_iface ifc;

static int setup(void **state)
{
	memset(&nic, 0, sizeof(nic));
	server_reset();
	fake_now_us = 1000000;
	net_iface_init(&ifc, &dev);
	fw_console_register(&capture_console);
	capture_clear();
	return 0;
}

static int teardown(void **state)
{
	free(srv.ack_count);
	srv.ack_count = NULL;
	return 0;
}

/* An interface configured as DHCP would leave it. */
static void configured(void)
{
	ifc.ip = CLIENT_IP;
	ifc.netmask = NETMASK;
	ifc.router = SERVER_IP;
}

/* ==== IPv4, UDP, ARP ==== */

static void test_udp_send_wire(void **state)
{
	uint8_t payload[UDP_PAYLOAD_MAX + 1];

	memset(payload, 0x5a, sizeof(payload));
	/* broadcast from 0.0.0.0: no ARP; checked by server_frame */
	assert_int_equal(udp_send(&ifc, IPV4_BROADCAST, 68, 9, payload, 0), 0);
	assert_int_equal(srv.arp_requests, 0);
	configured();
	/* too long: refused, nothing sent */
	nic.sends = 0;
	assert_int_equal(udp_send(&ifc, SERVER_IP, 5000, 5001, payload, UDP_PAYLOAD_MAX + 1), -1);
	assert_int_equal(nic.sends, 0);
	/* resolved once (a request, an answer), then the cache: one ARP for two datagrams */
	assert_int_equal(udp_send(&ifc, SERVER_IP, 5000, 9, "abcd", 4), 0);
	assert_int_equal(udp_send(&ifc, SERVER_IP, 5000, 9, "abcd", 4), 0);
	assert_int_equal(srv.arp_requests, 1);
	assert_int_equal(srv.arp_last_target, SERVER_IP);
}

static void test_udp_send_odd_lengths(void **state)
{
	/* every length's checksum is verified by the fake, odd ones included */
	uint8_t payload[UDP_PAYLOAD_MAX];
	size_t len;

	for (len = 0; len < sizeof(payload); len++)
		payload[len] = (uint8_t)(len * 7 + 3);
	for (len = 0; len <= UDP_PAYLOAD_MAX; len += (len < 40 ? 1 : 97))
		assert_int_equal(udp_send(&ifc, IPV4_BROADCAST, 68, 9, payload, len), 0);
	assert_int_equal(udp_send(&ifc, IPV4_BROADCAST, 68, 9, payload, UDP_PAYLOAD_MAX), 0);
	configured();
	for (len = 0; len < 40; len++)
		assert_int_equal(udp_send(&ifc, SERVER_IP, 4000, 9, payload, len), 0);
}

/* A checksum that computes to 0 goes out as 0xffff: 0 on the wire would mean "none". */
static void test_udp_send_zero_checksum(void **state)
{
	uint8_t udp[8 + 2] = { 0, 68, 0, 9, 0, 10, 0, 0, 0, 0 };
	uint16_t c = ref_udp_csum(0, IPV4_BROADCAST, udp, sizeof(udp));
	/* the payload word that brings the one's-complement sum to 0xffff */
	uint8_t payload[2] = { (uint8_t)(c >> 8), (uint8_t)c };

	assert_int_equal(udp_send(&ifc, IPV4_BROADCAST, 68, 9, payload, sizeof(payload)), 0);
	assert_int_equal(nic.last_udp_csum, 0xffff);
}

static void test_arp_retry_and_failure(void **state)
{
	uint64_t t0;

	configured();
	/* the first two requests are lost: the third is answered */
	srv.arp_ignore = 2;
	assert_int_equal(udp_send(&ifc, SERVER_IP, 7, 9, "abcd", 4), 0);
	assert_int_equal(srv.arp_requests, 3);
	/* nobody answers: four requests over 1 s, then -1 */
	srv.arp_requests = 0;
	srv.arp_silent = true;
	t0 = fake_now_us;
	assert_int_equal(udp_send(&ifc, 0x0a000209, 7, 9, "x", 1), -1);
	assert_int_equal(srv.arp_requests, 4);
	assert_in_range(fake_now_us - t0, 1000000, 1010000);
}

static void test_arp_off_link_uses_router(void **state)
{
	configured();
	srv.arp_silent = true;
	/* 192.168.1.1 is off-link: the router's MAC is asked for, not the host's */
	assert_int_equal(udp_send(&ifc, 0xc0a80101, 7, 9, "x", 1), -1);
	assert_int_equal(srv.arp_last_target, SERVER_IP);
}

static void test_arp_answers_for_us(void **state)
{
	uint8_t f[60] = { 0 }, *a = f + 14, buf[64];
	uint32_t ip;
	uint16_t port;

	configured();
	memcpy(f, bcast_mac, 6);
	memcpy(f + 6, server_mac, 6);
	put_be16(f + 12, 0x0806);
	put_be16(a, 1);
	put_be16(a + 2, 0x0800);
	a[4] = 6;
	a[5] = 4;
	put_be16(a + 6, 1);
	memcpy(a + 8, server_mac, 6);
	put_be32(a + 14, SERVER_IP);
	put_be32(a + 24, CLIENT_IP);
	inject(f, 60);
	/* a request for another address: no answer */
	put_be32(a + 24, CLIENT_IP + 1);
	inject(f, 60);
	assert_int_equal(udp_poll(&ifc, 68, buf, sizeof(buf), &ip, &port), 0);
	assert_int_equal(srv.arp_replies, 1);
	a = srv.arp_reply + 14;
	assert_memory_equal(srv.arp_reply, server_mac, 6);
	assert_int_equal(get_be16(a + 6), 2);
	assert_memory_equal(a + 8, client_mac, 6);
	assert_int_equal(get_be32(a + 14), CLIENT_IP);
	assert_memory_equal(a + 18, server_mac, 6);
	assert_int_equal(get_be32(a + 24), SERVER_IP);
	/* and the request taught us the server's MAC: no ARP before this send */
	assert_int_equal(udp_send(&ifc, SERVER_IP, 7, 9, "x", 1), 0);
	assert_int_equal(srv.arp_requests, 0);
	/* another host asking for us does not take the valid entry (the frame still goes to the server's MAC) */
	a = f + 14;
	a[13] = 0x99;			/* its MAC ends in 99 */
	put_be32(a + 14, 0x0a000209);
	put_be32(a + 24, CLIENT_IP);
	inject(f, 60);
	assert_int_equal(udp_poll(&ifc, 68, buf, sizeof(buf), &ip, &port), 0);
	assert_int_equal(srv.arp_replies, 2);
	assert_int_equal(udp_send(&ifc, SERVER_IP, 7, 9, "x", 1), 0);
	assert_int_equal(srv.arp_requests, 0);
}

static void test_udp_receive_checks(void **state)
{
	static const struct {
		enum frame_flaw flaw;
		int taken;
	} cases[] = {
		{ FLAW_NONE, 1 },		{ FLAW_IP_CSUM, 0 },
		{ FLAW_UDP_CSUM, 0 },		{ FLAW_UDP_CSUM_ZERO, 1 },
		{ FLAW_MORE_FRAGMENTS, 0 },	{ FLAW_FRAG_OFFSET, 0 },
		{ FLAW_VERSION6, 0 },		{ FLAW_IHL4, 0 },
		{ FLAW_TOTAL_LONG, 0 },		{ FLAW_UDP_LEN_LONG, 0 },
		{ FLAW_UDP_LEN_SHORT, 0 },	{ FLAW_IP_OPTIONS, 1 },
		{ FLAW_ETH_PADDING, 1 },	{ FLAW_PROTO_TCP, 0 },
		{ FLAW_WRONG_MAC, 0 },
	};
	uint8_t payload[333], buf[400];
	uint32_t ip;
	uint16_t port;
	unsigned int i;
	int n;

	configured();
	for (i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(i ^ 0x3c);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		inject_udp(client_mac, SERVER_IP, CLIENT_IP, 69, 4000, payload, sizeof(payload),
			   cases[i].flaw);
		n = udp_poll(&ifc, 4000, buf, sizeof(buf), &ip, &port);
		if (!cases[i].taken) {
			assert_int_equal(n, 0);
			continue;
		}
		assert_int_equal(n, sizeof(payload));
		assert_memory_equal(buf, payload, sizeof(payload));
		assert_int_equal(ip, SERVER_IP);
		assert_int_equal(port, 69);
	}
	/* wrong port, another host's address, our subnet's broadcast, a too-small buffer */
	inject_udp(client_mac, SERVER_IP, CLIENT_IP, 69, 4001, payload, 10, FLAW_NONE);
	assert_int_equal(udp_poll(&ifc, 4000, buf, sizeof(buf), &ip, &port), 0);
	inject_udp(client_mac, SERVER_IP, CLIENT_IP + 1, 69, 4000, payload, 10, FLAW_NONE);
	assert_int_equal(udp_poll(&ifc, 4000, buf, sizeof(buf), &ip, &port), 0);
	inject_udp(bcast_mac, SERVER_IP, 0x0a0002ff, 69, 4000, payload, 10, FLAW_NONE);
	assert_int_equal(udp_poll(&ifc, 4000, buf, sizeof(buf), &ip, &port), 10);
	inject_udp(client_mac, SERVER_IP, CLIENT_IP, 69, 4000, payload, 20, FLAW_NONE);
	assert_int_equal(udp_poll(&ifc, 4000, buf, 19, &ip, &port), 0);
	/* a device error is passed on */
	nic.receive_errors = 1;
	assert_int_equal(udp_poll(&ifc, 4000, buf, sizeof(buf), &ip, &port), -1);
	/* truncated frames of every length up to the full one are dropped, never overread (ASan) */
	{
		uint8_t f[FRAME_MAX];
		size_t full = build_udp(f, client_mac, SERVER_IP, CLIENT_IP, 69, 4000, payload, 40,
					FLAW_NONE), len;

		for (len = 0; len < full; len++) {
			uint8_t *copy = malloc(len ? len : 1);

			memcpy(copy, f, len);
			inject(copy, len);
			free(copy);
			assert_int_equal(udp_poll(&ifc, 4000, buf, sizeof(buf), &ip, &port), 0);
		}
	}
}

static void test_udp_flood_returns(void **state)
{
	uint8_t payload[8] = { 0 }, buf[16];
	uint32_t ip;
	uint16_t port;
	unsigned int i;

	configured();
	/* 100 frames for someone else: after 64 the call returns "nothing" so its caller can look at the clock */
	for (i = 0; i < 100; i++)
		inject_udp(client_mac, SERVER_IP, CLIENT_IP, 69, 4001, payload, 8, FLAW_NONE);
	assert_int_equal(udp_poll(&ifc, 4000, buf, sizeof(buf), &ip, &port), 0);
	assert_int_equal(nic.count, 100 - 64);
}

/* ==== DHCP ==== */

static struct dhcp_lease lease;

static void test_dhcp_offer_ack(void **state)
{
	const char *why = NULL;
	static const uint8_t want_params[] = { 1, 3, 6, 12, 15, 66, 67 };
	size_t i;

	srv.dhcp_noise = true;
	memset(&lease, 0xcc, sizeof(lease));
	assert_int_equal(dhcp_configure(&ifc, &lease, 6000, &why), 0);
	assert_int_equal(srv.discovers, 1);
	assert_int_equal(srv.requests, 1);
	assert_int_equal(srv.req_ip, CLIENT_IP);
	assert_int_equal(srv.req_server, SERVER_IP);
	assert_int_equal(srv.params_len, sizeof(want_params));
	assert_memory_equal(srv.params, want_params, sizeof(want_params));
	assert_int_equal(lease.client_ip, CLIENT_IP);
	assert_int_equal(lease.server_ip, SERVER_IP);
	assert_int_equal(lease.netmask, NETMASK);
	assert_int_equal(lease.router, SERVER_IP);
	assert_string_equal(lease.bootfile, "boot/vmlinux");
	assert_string_equal(lease.server_name, "");
	assert_false(lease.bootp_only);
	assert_int_equal(lease.response_len, srv.ack_len);
	assert_memory_equal(lease.response, srv.ack, srv.ack_len);
	for (i = srv.ack_len; i < DHCP_RESPONSE_SIZE; i++)
		assert_int_equal(lease.response[i], 0);
	assert_int_equal(ifc.ip, CLIENT_IP);
	assert_int_equal(ifc.netmask, NETMASK);
	assert_int_equal(ifc.router, SERVER_IP);

	/* OFFER and ACK unicast to the address offered, which is not ours yet */
	setup(state);
	srv.dhcp_unicast = true;
	assert_int_equal(dhcp_configure(&ifc, &lease, 6000, &why), 0);
	assert_int_equal(srv.discovers, 1);
	assert_int_equal(lease.client_ip, CLIENT_IP);
}

static void test_dhcp_bootp_only(void **state)
{
	const char *why = NULL;

	srv.dhcp = DHCP_BOOTP;
	strcpy(srv.sname, "tftp.example");
	assert_int_equal(dhcp_configure(&ifc, &lease, 6000, &why), 0);
	assert_int_equal(srv.discovers, 1);
	assert_int_equal(srv.requests, 0);
	assert_true(lease.bootp_only);
	assert_int_equal(lease.client_ip, CLIENT_IP);
	assert_int_equal(lease.server_ip, SERVER_IP);
	assert_string_equal(lease.server_name, "tftp.example");
	assert_int_equal(lease.netmask, NETMASK);

	/* RFC 951 without the cookie: the fixed fields only */
	setup(state);
	srv.dhcp = DHCP_BOOTP;
	srv.no_cookie = true;
	assert_int_equal(dhcp_configure(&ifc, &lease, 6000, &why), 0);
	assert_true(lease.bootp_only);
	assert_int_equal(lease.client_ip, CLIENT_IP);
	assert_int_equal(lease.netmask, 0);
	assert_string_equal(lease.bootfile, "boot/vmlinux");
	assert_int_equal(lease.response_len, 300);
}

static void test_dhcp_nak(void **state)
{
	const char *why = NULL;

	srv.dhcp = DHCP_NAK_ONCE;
	assert_int_equal(dhcp_configure(&ifc, &lease, 6000, &why), 0);
	assert_int_equal(srv.discovers, 2);
	assert_int_equal(srv.requests, 2);
	assert_int_equal(lease.client_ip, CLIENT_IP);
	/* the restart is a new transaction (RFC 2131 4.4.1): a late answer to the old one is not ours */
	assert_int_not_equal(srv.discover_xid[1], srv.discover_xid[0]);

	setup(state);
	srv.dhcp = DHCP_NAK_ALWAYS;
	assert_int_equal(dhcp_configure(&ifc, &lease, 6000, &why), -1);
	assert_non_null(strstr(why, "NAK"));
	assert_int_equal(srv.discovers, 2);
	assert_int_equal(srv.requests, 2);
	assert_int_equal(ifc.ip, 0);
	/* it ended at the second NAK, not at the timeout */
	assert_true(fake_now_us < 1000000 + 100000);
}

static void test_dhcp_silence_backoff(void **state)
{
	const char *why = NULL;
	uint64_t t0 = fake_now_us;

	srv.dhcp = DHCP_SILENT;
	assert_int_equal(dhcp_configure(&ifc, &lease, 6000, &why), -1);
	assert_string_equal(why, "no DHCP answer in 6 s");
	/* DISCOVER at 0, 1 and 3 s (back-off 1, 2, 4 s cut by the 6 s total), failing at 6 s */
	assert_int_equal(srv.discovers, 3);
	assert_in_range(srv.discover_us[0] - t0, 0, 1000);
	assert_in_range(srv.discover_us[1] - t0, 1000000, 1001000);
	assert_in_range(srv.discover_us[2] - t0, 3000000, 3001000);
	assert_in_range(fake_now_us - t0, 6000000, 6001000);
	assert_int_equal(ifc.ip, 0);

	setup(state);
	srv.dhcp = DHCP_SILENT;
	t0 = fake_now_us;
	assert_int_equal(dhcp_configure(&ifc, &lease, 20000, &why), -1);
	assert_string_equal(why, "no DHCP answer in 20 s");
	assert_int_equal(srv.discovers, 5);	/* 0, 1, 3, 7, 15 s */
	assert_in_range(srv.discover_us[4] - t0, 15000000, 15001000);
}

static void test_dhcp_options(void **state)
{
	const char *why = NULL;
	/* option 66 as a dotted quad, option 67 over the file field */
	static const uint8_t opts[] = { 66, 8, '1', '0', '.', '0', '.', '2', '.', '9',
					67, 9, 'g', 'r', 'u', 'b', '/', 'c', 'o', 'r', 'e' };

	memcpy(srv.extra_opts, opts, sizeof(opts));
	srv.extra_len = sizeof(opts);
	assert_int_equal(dhcp_configure(&ifc, &lease, 6000, &why), 0);
	assert_int_equal(lease.server_ip, 0x0a000209);
	assert_string_equal(lease.server_name, "10.0.2.9");
	assert_string_equal(lease.bootfile, "grub/core");

	/* option 66 as a name: the server is siaddr, the name is kept */
	setup(state);
	memcpy(srv.extra_opts, "\x42\x0btftp.local.", 13);
	srv.extra_len = 13;
	assert_int_equal(dhcp_configure(&ifc, &lease, 6000, &why), 0);
	assert_int_equal(lease.server_ip, SERVER_IP);
	assert_string_equal(lease.server_name, "tftp.local.");
}

/* A reply laid out by hand for dhcp_parse. */
static size_t handmade(uint8_t *b, const uint8_t *opts, size_t opts_len)
{
	memset(b, 0, 1024);
	b[0] = 2;
	b[1] = 1;
	b[2] = 6;
	put_be32(b + 4, 0x12345678);
	memcpy(b + 28, client_mac, 6);
	put_be32(b + 16, CLIENT_IP);
	put_be32(b + 20, SERVER_IP);
	strcpy((char *)b + 108, "fieldfile");
	strcpy((char *)b + 44, "fieldsname");
	memcpy(b + 236, "\x63\x82\x53\x63", 4);
	memcpy(b + 240, opts, opts_len);
	return 240 + opts_len;
}

static void test_dhcp_parse(void **state)
{
	uint8_t b[1024];
	struct dhcp_reply r;
	size_t n;

	n = handmade(b, (const uint8_t *)"\x35\x01\x05\x00\x00\x36\x04\x0a\x00\x02\x02\xff", 12);
	assert_int_equal(dhcp_parse(b, n, 0x12345678, client_mac, &r), 0);
	assert_int_equal(r.type, DHCP_ACK);
	assert_int_equal(r.server_id, SERVER_IP);
	assert_string_equal(r.bootfile, "fieldfile");
	assert_string_equal(r.server_name, "fieldsname");
	/* not for us */
	assert_int_equal(dhcp_parse(b, n, 0x12345679, client_mac, &r), -1);
	b[33] ^= 1;
	assert_int_equal(dhcp_parse(b, n, 0x12345678, client_mac, &r), -1);
	b[33] ^= 1;
	b[0] = 1;
	assert_int_equal(dhcp_parse(b, n, 0x12345678, client_mac, &r), -1);
	b[0] = 2;
	assert_int_equal(dhcp_parse(b, 235, 0x12345678, client_mac, &r), -1);
	/* no cookie: a BOOTP reply, options area ignored */
	assert_int_equal(dhcp_parse(b, 236, 0x12345678, client_mac, &r), 0);
	assert_int_equal(r.type, 0);
	/* an option whose length runs past the packet: refused */
	n = handmade(b, (const uint8_t *)"\x35\x01\x05\x43\x10" "abc", 8);
	assert_int_equal(dhcp_parse(b, n, 0x12345678, client_mac, &r), -1);
	/* one byte too long */
	n = handmade(b, (const uint8_t *)"\x35\x01\x05\x43\x04" "abc", 8);
	assert_int_equal(dhcp_parse(b, n, 0x12345678, client_mac, &r), -1);
	assert_int_equal(dhcp_parse(b, n + 1, 0x12345678, client_mac, &r), 0);
	/* a code with no length byte at the very end: refused */
	n = handmade(b, (const uint8_t *)"\x35\x01\x05\x43", 4);
	assert_int_equal(dhcp_parse(b, n, 0x12345678, client_mac, &r), -1);
	/* no end option: fine */
	n = handmade(b, (const uint8_t *)"\x35\x01\x02", 3);
	assert_int_equal(dhcp_parse(b, n, 0x12345678, client_mac, &r), 0);
	assert_int_equal(r.type, DHCP_OFFER);
	/* wrong lengths are ignored, the first of a repeated option counts */
	n = handmade(b, (const uint8_t *)"\x35\x02\x05\x05\x01\x03\x0a\x00\x02\x35\x01\x06\xff",
		     13);
	assert_int_equal(dhcp_parse(b, n, 0x12345678, client_mac, &r), 0);
	assert_int_equal(r.type, 0);
	assert_int_equal(r.netmask, 0);
	/* overload: the file field holds options (67 here), sname stays a name */
	n = handmade(b, (const uint8_t *)"\x35\x01\x05\x34\x01\x01\xff", 7);
	memset(b + 108, 0, 128);
	memcpy(b + 108, "\x43\x05" "k/img" "\x01\x04\xff\xff\xff\x00\xff", 14);
	assert_int_equal(dhcp_parse(b, n, 0x12345678, client_mac, &r), 0);
	assert_int_equal(r.overload, 1);
	assert_string_equal(r.bootfile, "k/img");
	assert_int_equal(r.netmask, NETMASK);
	assert_string_equal(r.server_name, "fieldsname");
	/* overloaded file without a boot file option: the options are not taken as a name */
	memset(b + 108, 0, 128);
	memcpy(b + 108, "\x01\x04\xff\xff\xff\x00\xff", 7);
	assert_int_equal(dhcp_parse(b, n, 0x12345678, client_mac, &r), 0);
	assert_string_equal(r.bootfile, "");
	/* overloaded sname whose option runs past its 64 bytes: refused */
	n = handmade(b, (const uint8_t *)"\x35\x01\x05\x34\x01\x02\xff", 7);
	memset(b + 44, 0, 64);
	b[44 + 62] = 12;
	b[44 + 63] = 5;
	assert_int_equal(dhcp_parse(b, n, 0x12345678, client_mac, &r), -1);
	/* an option 66 that is almost a dotted quad */
	n = handmade(b, (const uint8_t *)"\x42\x0b" "10.0.2.256.", 13);
	assert_int_equal(dhcp_parse(b, n, 0x12345678, client_mac, &r), 0);
	assert_int_equal(r.tftp_server, 0);
	n = handmade(b, (const uint8_t *)"\x42\x08" "1.2.3.4\0", 10);
	assert_int_equal(dhcp_parse(b, n, 0x12345678, client_mac, &r), 0);
	assert_int_equal(r.tftp_server, 0x01020304);
	n = handmade(b, (const uint8_t *)"\x42\x08" "1.2.3.04", 10);
	assert_int_equal(dhcp_parse(b, n, 0x12345678, client_mac, &r), 0);
	assert_int_equal(r.tftp_server, 0x01020304);
	n = handmade(b, (const uint8_t *)"\x42\x0a" "1.2.3.0004", 12);
	assert_int_equal(dhcp_parse(b, n, 0x12345678, client_mac, &r), 0);
	assert_int_equal(r.tftp_server, 0);
	/* a 200-byte boot file option is cut to the field, NUL-terminated */
	{
		uint8_t o[204];

		o[0] = 67;
		o[1] = 200;
		memset(o + 2, 'x', 200);
		o[202] = 255;
		n = handmade(b, o, 203);
		assert_int_equal(dhcp_parse(b, n, 0x12345678, client_mac, &r), 0);
		assert_int_equal(strlen(r.bootfile), DHCP_FILE_MAX - 1);
	}
}

/* ==== TFTP ==== */

static uint8_t *file_data;
static uint8_t *dest;

static void make_file(size_t size)
{
	size_t i;

	free(file_data);
	file_data = malloc(size ? size : 1);
	for (i = 0; i < size; i++)
		file_data[i] = (uint8_t)(i * 131 + (i >> 11) * 7 + 1);
	srv.data = file_data;
	srv.size = size;
}

/* DHCP-configured, the file ready; tftp_get of it into dest (max bytes). */
static int fetch(size_t size, uint64_t max, struct tftp_result *res)
{
	const char *why;

	make_file(size);
	assert_int_equal(dhcp_configure(&ifc, &lease, 6000, &why), 0);
	free(dest);
	dest = malloc(max ? max : 1);
	return tftp_get(&ifc, lease.server_ip, lease.bootfile, dest, max, res);
}

static void check_file(const struct tftp_result *res)
{
	assert_int_equal(res->size, srv.size);
	assert_memory_equal(dest, file_data, srv.size);
	assert_string_equal(res->error, "");
}

static void test_tftp_oack_1428(void **state)
{
	struct tftp_result res;

	assert_int_equal(fetch(100000, 200000, &res), 0);
	check_file(&res);
	assert_int_equal(srv.asked_blksize, 1428);
	assert_true(srv.tsize_asked);
	assert_int_equal(res.blksize, 1428);
	assert_int_equal(res.blocks, 100000 / 1428 + 1);
	assert_int_equal(res.retransmits, 0);
	assert_int_equal(res.duplicates, 0);
	/* slirp answers from port 69: every ACK went there */
	assert_int_equal(srv.acks_to_wrong_port, 0);
	assert_int_equal(srv.rrqs, 1);
}

static void test_tftp_plain_512(void **state)
{
	struct tftp_result res;

	/* a server without option support: DATA 1 answers the RRQ, 512-byte blocks */
	srv.options = false;
	assert_int_equal(fetch(5000, 5000, &res), 0);
	check_file(&res);
	assert_int_equal(res.blksize, 512);
	assert_int_equal(res.blocks, 10);

	/* an OACK that grants 512 */
	setup(state);
	srv.grant_blksize = 512;
	assert_int_equal(fetch(5000, 5000, &res), 0);
	check_file(&res);
	assert_int_equal(res.blksize, 512);
}

static void test_tftp_empty_and_exact(void **state)
{
	struct tftp_result res;

	assert_int_equal(fetch(0, 100, &res), 0);
	check_file(&res);
	assert_int_equal(res.blocks, 1);

	/* exactly three blocks: a fourth, empty DATA ends it */
	setup(state);
	assert_int_equal(fetch(3 * 1428, 3 * 1428, &res), 0);
	check_file(&res);
	assert_int_equal(res.blocks, 4);
	assert_int_equal(srv.ack_count[4], 1);
}

static void test_tftp_new_tid(void **state)
{
	struct tftp_result res;

	/* an RFC 1350 server answering from a new port: ACKs go there */
	srv.tid = SERVER_TID;
	assert_int_equal(fetch(20000, 20000, &res), 0);
	check_file(&res);
	assert_int_equal(srv.acks_to_wrong_port, 0);
}

static void test_tftp_lost_data(void **state)
{
	struct tftp_result res;
	uint64_t t0;

	srv.drop_data_once = 3;
	t0 = fake_now_us;
	assert_int_equal(fetch(20000, 20000, &res), 0);
	check_file(&res);
	assert_int_equal(res.retransmits, 1);
	assert_int_equal(srv.ack_count[2], 2);	/* ACK 2 sent again after the timeout */
	assert_true(fake_now_us - t0 >= 500000);
	assert_true(res.elapsed_us >= 500000 && res.elapsed_us < 600000);
}

static void test_tftp_lost_ack(void **state)
{
	struct tftp_result res;

	srv.drop_ack_once = 4;
	assert_int_equal(fetch(20000, 20000, &res), 0);
	check_file(&res);
	assert_int_equal(res.retransmits, 1);
	assert_int_equal(srv.ack_count[4], 2);

	/* ACK 0 (of the OACK) lost */
	setup(state);
	srv.drop_ack_once = 0x10000;	/* block number 0 */
	assert_int_equal(fetch(20000, 20000, &res), 0);
	check_file(&res);
	assert_int_equal(res.retransmits, 1);
}

static void test_tftp_slow_and_lossy(void **state)
{
	struct tftp_result res;

	/* every answer takes 300 ms: under the 500 ms timeout, so nothing is sent twice */
	srv.delay_us = 300000;
	assert_int_equal(fetch(10000, 10000, &res), 0);
	check_file(&res);
	assert_int_equal(res.retransmits, 0);
	assert_true(res.elapsed_us >= 8 * 300000);

	/* every block's first copy lost: 12 timeouts in one transfer, each recovered */
	setup(state);
	srv.drop_every = true;
	assert_int_equal(fetch(15000, 15000, &res), 0);
	check_file(&res);
	assert_int_equal(res.retransmits, 11);

	/* the OACK twice: ACK 0 again for the second */
	setup(state);
	srv.oack_twice = true;
	assert_int_equal(fetch(5000, 5000, &res), 0);
	check_file(&res);
	assert_int_equal(srv.ack_count[0], 2);

	/* an OACK once data flows: ignored, neither ACKed nor taken */
	setup(state);
	srv.oack_late_at = 2;
	assert_int_equal(fetch(5000, 5000, &res), 0);
	check_file(&res);
	assert_int_equal(srv.acks_by_number[0], 1);
	assert_int_equal(res.blksize, 1428);
}

static void test_tftp_duplicate_data(void **state)
{
	struct tftp_result res;

	srv.dup_data = 3;
	assert_int_equal(fetch(20000, 20000, &res), 0);
	check_file(&res);
	assert_int_equal(res.duplicates, 1);
	/* the duplicate was ACKed with the last good number */
	assert_int_equal(srv.ack_count[3], 2);
	assert_int_equal(res.retransmits, 0);
}

static void test_tftp_reordered_data(void **state)
{
	struct tftp_result res;

	/* block 6 arrives before block 5: dropped (ACK 4 again), then 5 and 6 in order */
	srv.reorder_at = 5;
	assert_int_equal(fetch(20000, 20000, &res), 0);
	check_file(&res);
	assert_int_equal(res.duplicates, 1);
	assert_int_equal(srv.ack_count[4], 2);
	assert_int_equal(res.blocks, 20000 / 1428 + 1);
}

static void test_tftp_wrap(void **state)
{
	struct tftp_result res;
	size_t size = (65536u + 100) * 8 + 3;

	/* 8-byte blocks: block numbers run 1..65535, 0, 1... */
	srv.grant_blksize = 8;
	assert_int_equal(fetch(size, size, &res), 0);
	check_file(&res);
	assert_int_equal(res.blocks, 65536 + 101);
	assert_int_equal(res.blksize, 8);
	assert_int_equal(res.retransmits, 0);
	assert_int_equal(res.duplicates, 0);
	assert_int_equal(srv.ack_count[65536], 1);	/* block number 0 acknowledged once */
}

static void test_tftp_error_not_found(void **state)
{
	struct tftp_result res;

	srv.not_found = true;
	assert_int_equal(fetch(10, 10, &res), -1);
	assert_string_equal(res.error, "server: File not found");
	assert_false(res.too_large);
	assert_true(res.server_error);
	assert_int_equal(srv.errors, 0);	/* nothing answers an ERROR */
}

static void test_tftp_too_large(void **state)
{
	struct tftp_result res;

	/* tsize says 5000 > 4000: ERROR 3 before any data */
	assert_int_equal(fetch(5000, 4000, &res), -1);
	assert_string_equal(res.error, "file is larger than the 4000 bytes available");
	assert_true(res.too_large);
	assert_false(res.server_error);
	assert_int_equal(srv.errors, 1);
	assert_int_equal(srv.error_code, 3);
	assert_int_equal(srv.data_sent, 0);

	/* no tsize (a plain server): the block that would overflow ends it */
	setup(state);
	srv.options = false;
	assert_int_equal(fetch(5000, 1000, &res), -1);
	assert_string_equal(res.error, "file is larger than the 1000 bytes available");
	assert_true(res.too_large);
	assert_int_equal(srv.errors, 1);
	assert_int_equal(res.size, 512);

	/* exactly max: fine */
	setup(state);
	srv.options = false;
	assert_int_equal(fetch(1000, 1000, &res), 0);
	check_file(&res);
}

static void test_tftp_size_probe(void **state)
{
	struct tftp_result res;
	const char *why;

	/* max 0, no buffer: the server's tsize is reported, nothing is transferred */
	make_file(5000);
	assert_int_equal(dhcp_configure(&ifc, &lease, 6000, &why), 0);
	assert_int_equal(tftp_get(&ifc, SERVER_IP, "vmlinux", NULL, 0, &res), -1);
	assert_true(res.has_tsize);
	assert_int_equal(res.tsize, 5000);
	assert_int_equal(srv.data_sent, 0);
	assert_int_equal(srv.error_code, 3);
	/* an empty file fits */
	setup(state);
	make_file(0);
	assert_int_equal(dhcp_configure(&ifc, &lease, 6000, &why), 0);
	assert_int_equal(tftp_get(&ifc, SERVER_IP, "empty", NULL, 0, &res), 0);
	assert_true(res.has_tsize);
	assert_int_equal(res.tsize, 0);
	assert_int_equal(res.size, 0);
	/* a server without options says nothing */
	setup(state);
	make_file(100);
	srv.options = false;
	assert_int_equal(dhcp_configure(&ifc, &lease, 6000, &why), 0);
	assert_int_equal(tftp_get(&ifc, SERVER_IP, "vmlinux", NULL, 0, &res), -1);
	assert_false(res.has_tsize);
}

static void test_tftp_bad_oack(void **state)
{
	struct tftp_result res;

	/* a block size larger than asked */
	srv.grant_blksize = 1432;
	assert_int_equal(fetch(5000, 5000, &res), -1);
	assert_int_equal(srv.errors, 1);
	assert_int_equal(srv.error_code, 8);
	assert_int_equal(srv.data_sent, 0);

	/* one byte larger than asked is larger too */
	setup(state);
	srv.grant_blksize = CONFIG_NET_TFTP_BLKSIZE + 1;
	assert_int_equal(fetch(5000, 5000, &res), -1);
	assert_string_equal(res.error, "the server chose a larger block size than asked");
	assert_int_equal(srv.error_code, 8);
	assert_int_equal(srv.data_sent, 0);

	/* an option never asked for */
	setup(state);
	srv.oack_raw = "blksize|1428|windowsize|8|";
	assert_int_equal(fetch(5000, 5000, &res), -1);
	assert_int_equal(srv.error_code, 8);

	/* garbage in the value */
	setup(state);
	srv.oack_raw = "blksize|14x8|";
	assert_int_equal(fetch(5000, 5000, &res), -1);
	assert_int_equal(srv.error_code, 8);

	/* tsize only: 512-byte blocks */
	setup(state);
	srv.oack_raw = "TSIZE|5000|";
	srv.blksize = 512;
	assert_int_equal(fetch(5000, 5000, &res), 0);
	assert_int_equal(res.blksize, 512);
}

/* A DATA block one byte longer than the agreed 1428: ERROR 4, nothing of it taken. */
static void test_tftp_block_too_large(void **state)
{
	struct tftp_result res;

	srv.oversize_at = 2;
	assert_int_equal(fetch(20000, 20000, &res), -1);
	assert_string_equal(res.error, "the server sent a block larger than agreed");
	assert_int_equal(srv.errors, 1);
	assert_int_equal(srv.error_code, 4);
	assert_int_equal(res.size, 1428);
}

static void test_tftp_server_stops(void **state)
{
	struct tftp_result res;
	uint64_t t0 = fake_now_us;

	srv.stop_after = 3;
	assert_int_equal(fetch(20000, 20000, &res), -1);
	assert_string_equal(res.error, "timeout: the server stopped answering");
	assert_int_equal(res.retransmits, 8);
	assert_int_equal(res.size, 3 * 1428);
	/* 9 timeouts of 500 ms */
	assert_in_range(fake_now_us - t0, 9 * 500000, 9 * 500000 + 100000);
}

static void test_tftp_foreign_port(void **state)
{
	struct tftp_result res;

	/* after block 2, a "block 3" from port 70 and one from another host: both ignored */
	srv.foreign_at = 2;
	assert_int_equal(fetch(20000, 20000, &res), 0);
	check_file(&res);
	assert_int_equal(res.duplicates, 0);
}

/* A packet literal and its length (its embedded NULs included, the final one not). */
#define PKT(s) (s), sizeof(s) - 1

static void test_tftp_parse(void **state)
{
	struct tftp_packet pk;
	uint8_t p[64];

	assert_int_equal(tftp_parse_packet(PKT("\x00"), &pk), -1);
	assert_int_equal(tftp_parse_packet(PKT("\x00\x03\x00"), &pk), -1);
	assert_int_equal(tftp_parse_packet(PKT("\x00\x09\x00\x01"), &pk), -1);
	assert_int_equal(tftp_parse_packet(PKT("\x00\x03\xff\xff" "abc"), &pk), 0);
	assert_int_equal(pk.block, 0xffff);
	assert_int_equal(pk.data_len, 3);
	/* ERROR without a NUL, with control characters */
	assert_int_equal(tftp_parse_packet(PKT("\x00\x05\x00\x01" "no\x1b[2Jway"), &pk), 0);
	assert_string_equal(pk.error_msg, "no?[2Jway");
	memset(p, 'A', sizeof(p));
	put_be16(p, TFTP_ERROR);
	assert_int_equal(tftp_parse_packet(p, sizeof(p), &pk), 0);
	assert_int_equal(strlen(pk.error_msg), 60);
	/* OACK */
	assert_int_equal(tftp_parse_packet(PKT("\x00\x06" "tsize\0" "99\0" "blksize\0" "8\0"), &pk), 0);
	assert_true(pk.has_blksize && pk.has_tsize);
	assert_int_equal(pk.blksize, 8);
	assert_int_equal(pk.tsize, 99);
	assert_int_equal(tftp_parse_packet(PKT("\x00\x06" "blksize\0" "7\0"), &pk), -1);
	assert_int_equal(pk.opcode, TFTP_OACK);
	assert_int_equal(tftp_parse_packet(PKT("\x00\x06" "blksize\0" "65465\0"), &pk), -1);
	assert_int_equal(tftp_parse_packet(PKT("\x00\x06" "blksize\0" "\0"), &pk), -1);
	assert_int_equal(tftp_parse_packet(PKT("\x00\x06" "blksize\0" "8"), &pk), -1);
	assert_int_equal(tftp_parse_packet(PKT("\x00\x06" "blksize"), &pk), -1);
	assert_int_equal(tftp_parse_packet(PKT("\x00\x06" "blksize\0" "8\0" "blksize\0" "8\0"), &pk),
			 -1);
	assert_int_equal(tftp_parse_packet(PKT("\x00\x06" "tsize\0" "18446744073709551616\0"), &pk),
			 -1);
	assert_int_equal(tftp_parse_packet(PKT("\x00\x06" "tsize\0" "18446744073709551615\0"), &pk),
			 0);
	assert_int_equal(tftp_parse_packet(PKT("\x00\x06"), &pk), 0);
}

static void test_tftp_name_checks(void **state)
{
	struct tftp_result res;
	char name[TFTP_NAME_MAX + 1];

	configured();
	memset(name, 'n', sizeof(name));
	name[TFTP_NAME_MAX] = '\0';
	nic.sends = 0;
	assert_int_equal(tftp_get(&ifc, SERVER_IP, name, NULL, 0, &res), -1);
	assert_int_equal(tftp_get(&ifc, SERVER_IP, "", NULL, 0, &res), -1);
	assert_int_equal(nic.sends, 0);
	assert_string_equal(res.error, "file name empty or too long");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_udp_send_wire, setup, teardown),
		cmocka_unit_test_setup_teardown(test_udp_send_odd_lengths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_udp_send_zero_checksum, setup, teardown),
		cmocka_unit_test_setup_teardown(test_arp_retry_and_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_arp_off_link_uses_router, setup, teardown),
		cmocka_unit_test_setup_teardown(test_arp_answers_for_us, setup, teardown),
		cmocka_unit_test_setup_teardown(test_udp_receive_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_udp_flood_returns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dhcp_offer_ack, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dhcp_bootp_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dhcp_nak, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dhcp_silence_backoff, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dhcp_options, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dhcp_parse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tftp_oack_1428, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tftp_plain_512, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tftp_empty_and_exact, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tftp_new_tid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tftp_lost_data, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tftp_lost_ack, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tftp_slow_and_lossy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tftp_duplicate_data, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tftp_reordered_data, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tftp_wrap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tftp_error_not_found, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tftp_too_large, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tftp_size_probe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tftp_bad_oack, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tftp_block_too_large, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tftp_server_stops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tftp_foreign_port, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tftp_parse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tftp_name_checks, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
