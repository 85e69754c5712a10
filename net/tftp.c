/* SPDX-License-Identifier: Apache-2.0 */
/* The TFTP client: one lock-step read (RFC 1350) with blksize and tsize (RFC 2347-2349), and its packet parser. */

#include <string.h>
#include <strings.h>
#include <vofkit/core/time.h>
#include <vofkit/lib/byteorder.h>
#include <vofkit/lib/console.h>
#include <vofkit/net/tftp.h>

#define TFTP_PORT		69
#define TFTP_PLAIN_BLKSIZE	512	/* without an OACK */
#define TFTP_MIN_BLKSIZE	8	/* RFC 2348 */
#define TFTP_MAX_BLKSIZE	65464	/* RFC 2348 */

#define TFTP_ERR_NOT_DEFINED	0
#define TFTP_ERR_DISK_FULL	3
#define TFTP_ERR_ILLEGAL_OP	4
#define TFTP_ERR_BAD_OPTION	8	/* RFC 2347: option negotiation refused */

/*
 * Our last packet goes out again after CONFIG_NET_TFTP_TIMEOUT_MS, up
 * to this many times; then the transfer fails (decision 60).
 */
#define TFTP_RETRANSMITS	8

/* Ephemeral ports for our end (RFC 6335's dynamic range). */
#define PORT_BASE	49152u
#define PORT_SPAN	16384u

/* A decimal number, digits only, at most max; -1 otherwise. */
static int parse_decimal(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (v > (max - (uint64_t)(*s - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return 0;
}

/* OACK: pairs of NUL-terminated strings; only the options we ask for, once each, in any case (RFC 2347). */
static int parse_oack(const uint8_t *p, size_t len, struct tftp_packet *out)
{
	const char *key, *value;
	const void *nul;
	uint64_t v;
	size_t i = 0;

	while (i < len) {
		key = (const char *)p + i;
		nul = memchr(p + i, 0, len - i);
		if (!nul)
			return -1;
		i = (size_t)((const uint8_t *)nul - p) + 1;
		if (i >= len)
			return -1;
		value = (const char *)p + i;
		nul = memchr(p + i, 0, len - i);
		if (!nul)
			return -1;
		i = (size_t)((const uint8_t *)nul - p) + 1;
		if (!strcasecmp(key, "blksize") && !out->has_blksize) {
			if (parse_decimal(value, TFTP_MAX_BLKSIZE, &v) || v < TFTP_MIN_BLKSIZE)
				return -1;
			out->has_blksize = true;
			out->blksize = (uint32_t)v;
		} else if (!strcasecmp(key, "tsize") && !out->has_tsize) {
			if (parse_decimal(value, UINT64_MAX, &v))
				return -1;
			out->has_tsize = true;
			out->tsize = v;
		} else {
			return -1;	/* not asked for, or twice */
		}
	}
	return 0;
}

int tftp_parse_packet(const void *pkt, size_t len, struct tftp_packet *out)
{
	const uint8_t *p = pkt;
	size_t i, n = 0;

	memset(out, 0, sizeof(*out));
	if (len < 2)
		return -1;
	out->opcode = get_be16(p);
	switch (out->opcode) {
	case TFTP_DATA:
	case TFTP_ACK:
		if (len < 4)
			return -1;
		out->block = get_be16(p + 2);
		out->data = p + 4;
		out->data_len = len - 4;
		return 0;
	case TFTP_ERROR:
		if (len < 4)
			return -1;
		out->error_code = get_be16(p + 2);
		/* The message is shown to the user: printable ASCII only, cut to fit, NUL or not. */
		for (i = 4; i < len && p[i] && n < sizeof(out->error_msg) - 1; i++)
			out->error_msg[n++] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '?';
		out->error_msg[n] = '\0';
		return 0;
	case TFTP_OACK:
		return parse_oack(p + 2, len - 2, out);
	case TFTP_RRQ:
	case TFTP_WRQ:
		return 0;
	default:
		return -1;
	}
}

/* ---- the client ---- */

struct tftp_xfer {
	struct net_iface *ifc;
	uint32_t server;
	uint16_t local_port;
	uint16_t server_port;	/* where our packets go: 69 until the first answer, then its port */
	uint8_t pkt[TFTP_NAME_MAX + 48];	/* our last packet, sent again on a timeout */
	size_t pkt_len;
};

static int xfer_send(struct tftp_xfer *x)
{
	return udp_send(x->ifc, x->server, x->local_port, x->server_port, x->pkt, x->pkt_len);
}

static int send_ack(struct tftp_xfer *x, uint16_t block)
{
	put_be16(x->pkt, TFTP_ACK);
	put_be16(x->pkt + 2, block);
	x->pkt_len = 4;
	return xfer_send(x);
}

/* An ERROR ends the transfer on the server's side too; it is never sent again. */
static void send_error(struct tftp_xfer *x, uint16_t code, const char *msg)
{
	size_t len = strlen(msg) + 1;

	put_be16(x->pkt, TFTP_ERROR);
	put_be16(x->pkt + 2, code);
	memcpy(x->pkt + 4, msg, len);
	x->pkt_len = 4 + len;
	xfer_send(x);
}

static size_t append(char *dst, size_t at, size_t size, const char *s)
{
	while (*s && at < size - 1)
		dst[at++] = *s++;
	dst[at] = '\0';
	return at;
}

static size_t append_u64(char *dst, size_t at, size_t size, uint64_t v)
{
	char digits[21];

	fw_format_dec(digits, v);
	return append(dst, at, size, digits);
}

static void set_error(struct tftp_result *res, const char *why)
{
	append(res->error, 0, sizeof(res->error), why);
}

/* "file is larger than the N bytes available" */
static void set_too_large(struct tftp_result *res, uint64_t max)
{
	size_t n = append(res->error, 0, sizeof(res->error), "file is larger than the ");

	res->too_large = true;

	n = append_u64(res->error, n, sizeof(res->error), max);
	append(res->error, n, sizeof(res->error), " bytes available");
}

static int build_rrq(struct tftp_xfer *x, const char *name)
{
	size_t name_len = strlen(name), n = 2;
	char blksize[8];

	if (!name_len || name_len >= TFTP_NAME_MAX)
		return -1;
	append_u64(blksize, 0, sizeof(blksize), CONFIG_NET_TFTP_BLKSIZE);
	put_be16(x->pkt, TFTP_RRQ);
	memcpy(x->pkt + n, name, name_len + 1);
	n += name_len + 1;
	memcpy(x->pkt + n, "octet", 6);
	n += 6;
	memcpy(x->pkt + n, "blksize", 8);
	n += 8;
	memcpy(x->pkt + n, blksize, strlen(blksize) + 1);
	n += strlen(blksize) + 1;
	/* tsize 0: the server says the size, so a file too large fails before any data. */
	memcpy(x->pkt + n, "tsize", 6);
	n += 6;
	memcpy(x->pkt + n, "0", 2);
	n += 2;
	x->pkt_len = n;
	return 0;
}

int tftp_get(struct net_iface *ifc, uint32_t server, const char *name, void *buf, uint64_t max,
	     struct tftp_result *res)
{
	static uint16_t port_seq;
	struct tftp_xfer x = { .ifc = ifc, .server = server, .server_port = TFTP_PORT };
	struct tftp_packet pk;
	uint8_t *dst = buf;
	const uint8_t *payload;
	uint64_t start_ms, deadline;
	uint32_t src_ip, blksize = TFTP_PLAIN_BLKSIZE, tries = 0;
	uint16_t src_port, expected = 1;
	bool answered = false, oack = false;
	int n, rc = -1;

	memset(res, 0, sizeof(*res));
	res->blksize = blksize;
	if (build_rrq(&x, name)) {
		set_error(res, "file name empty or too long");
		return -1;
	}
	/* A new port per transfer: a late packet of an earlier one cannot pass for ours. */
	x.local_port = (uint16_t)(PORT_BASE + (time_ms() + port_seq++ * 4099u) % PORT_SPAN);
	start_ms = time_ms();
	if (xfer_send(&x)) {
		set_error(res, "cannot reach the server (no ARP answer, or the NIC refused the frame)");
		goto out;
	}
	deadline = time_deadline_ms(CONFIG_NET_TFTP_TIMEOUT_MS);
	for (;;) {
		n = udp_recv(ifc, x.local_port, &payload, &src_ip, &src_port);
		if (n <= 0) {
			if (!time_expired(deadline))
				continue;
			if (tries++ == TFTP_RETRANSMITS) {
				set_error(res, "timeout: the server stopped answering");
				goto out;
			}
			res->retransmits++;
			xfer_send(&x);
			deadline = time_deadline_ms(CONFIG_NET_TFTP_TIMEOUT_MS);
			continue;
		}
		if (src_ip != server || (answered && src_port != x.server_port))
			continue;	/* another host, or another transfer's port */
		if (tftp_parse_packet(payload, (size_t)n, &pk)) {
			if (pk.opcode != TFTP_OACK || oack || expected != 1)
				continue;
			x.server_port = src_port;
			send_error(&x, TFTP_ERR_BAD_OPTION, "bad options");
			set_error(res, "the server answered with options not asked for");
			goto out;
		}
		/*
		 * The first answer fixes the server's port: RFC 1350 servers
		 * answer from a new one, slirp from 69.
		 */
		if (!answered) {
			answered = true;
			x.server_port = src_port;
		}
		if (pk.opcode == TFTP_ERROR) {
			size_t at = append(res->error, 0, sizeof(res->error), "server: ");

			res->server_error = true;

			append(res->error, at, sizeof(res->error), pk.error_msg);
			goto out;
		}
		if (pk.opcode == TFTP_OACK) {
			if (expected != 1)
				continue;	/* late: data flows already */
			if (oack) {
				send_ack(&x, 0);	/* our ACK 0 was lost */
				continue;
			}
			if (pk.has_blksize && pk.blksize > CONFIG_NET_TFTP_BLKSIZE) {
				send_error(&x, TFTP_ERR_BAD_OPTION, "blksize larger than asked");
				set_error(res, "the server chose a larger block size than asked");
				goto out;
			}
			res->has_tsize = pk.has_tsize;
			res->tsize = pk.tsize;
			if (pk.has_tsize && pk.tsize > max) {
				send_error(&x, TFTP_ERR_DISK_FULL, "file too large");
				set_too_large(res, max);
				goto out;
			}
			oack = true;
			if (pk.has_blksize)
				blksize = pk.blksize;
			res->blksize = blksize;
			send_ack(&x, 0);
			tries = 0;
			deadline = time_deadline_ms(CONFIG_NET_TFTP_TIMEOUT_MS);
			continue;
		}
		if (pk.opcode != TFTP_DATA)
			continue;
		if (pk.block != expected) {
			/*
			 * A duplicate (our ACK was lost) or a block out of order:
			 * dropped, and the last good block ACKed again.  Before
			 * anything was accepted there is nothing to ACK: block 1
			 * without an OACK is the only valid start.
			 */
			res->duplicates++;
			if (expected != 1 || oack)
				send_ack(&x, (uint16_t)(expected - 1));
			continue;
		}
		if (pk.data_len > blksize) {
			send_error(&x, TFTP_ERR_ILLEGAL_OP, "block too large");
			set_error(res, "the server sent a block larger than agreed");
			goto out;
		}
		if (pk.data_len > max - res->size) {
			send_error(&x, TFTP_ERR_DISK_FULL, "file too large");
			set_too_large(res, max);
			goto out;
		}
		if (pk.data_len)	/* an empty last block may come with no buffer at all (max 0) */
			memcpy(dst + res->size, pk.data, pk.data_len);
		res->size += pk.data_len;
		res->blocks++;
		send_ack(&x, expected);
		/* 65535 is followed by 0 (slirp, tftp-hpa and most servers). */
		expected++;
		if (pk.data_len < blksize) {
			rc = 0;
			goto out;
		}
		tries = 0;
		deadline = time_deadline_ms(CONFIG_NET_TFTP_TIMEOUT_MS);
	}
out:
	res->elapsed_us = (time_ms() - start_ms) * 1000;
	return rc;
}
