/* SPDX-License-Identifier: Apache-2.0 */
/* The TFTP client (RFC 1350 read requests, with the blksize and tsize options). */
#ifndef VOFKIT_NET_TFTP_H
#define VOFKIT_NET_TFTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <vofkit/net/ipv4.h>

#define TFTP_NAME_MAX	256	/* a file name, NUL included */
#define TFTP_ERROR_MAX	96	/* the reason kept for the caller, NUL included */

struct tftp_result {
	uint64_t size;		/* bytes received */
	uint32_t blksize;	/* the block size in use (512 without an OACK) */
	uint32_t blocks;	/* DATA packets taken */
	uint32_t retransmits;	/* our packets sent again after a timeout */
	uint32_t duplicates;	/* DATA packets seen again or out of order, dropped */
	uint64_t elapsed_us;	/* from the request to the last ACK */
	bool has_tsize;		/* the server's OACK gave the file's size ... */
	uint64_t tsize;		/* ... this one, even when the transfer was refused as too large */
	bool too_large;		/* refused because the file does not fit in max */
	bool server_error;	/* the server answered with an ERROR packet ("server: ..." in error) */
	char error[TFTP_ERROR_MAX];	/* why it failed ("server: File not found", "timeout", ...) */
};

/*
 * Read `name` from server (port 69) into buf[0..max), asking blksize
 * CONFIG_NET_TFTP_BLKSIZE and tsize 0.  Lock-step: every DATA is ACKed
 * to the port it came from; a duplicate or out-of-order block is ACKed
 * with the last good number and dropped; the block number wraps past
 * 65,535; our last packet is sent again after a timeout, a few times.
 * A file longer than max (by tsize, or as it arrives) is refused and
 * the transfer ended with an ERROR packet.  Returns 0, or -1 with
 * res->error set.  With max 0 (and buf NULL) a server that answers
 * tsize says the size and sends nothing: res->has_tsize/tsize.
 */
int tftp_get(struct net_iface *ifc, uint32_t server, const char *name, void *buf, uint64_t max,
	     struct tftp_result *res);

/* RFC 1350 opcodes, and RFC 2347's OACK. */
#define TFTP_RRQ	1
#define TFTP_WRQ	2
#define TFTP_DATA	3
#define TFTP_ACK	4
#define TFTP_ERROR	5
#define TFTP_OACK	6

/* What one packet says, as tftp_parse_packet reads it. */
struct tftp_packet {
	uint16_t opcode;
	uint16_t block;		/* DATA, ACK */
	const uint8_t *data;	/* DATA: the block, inside the packet */
	size_t data_len;
	uint16_t error_code;	/* ERROR */
	char error_msg[TFTP_ERROR_MAX - 8];	/* ERROR: printable ('?' for others), cut, NUL-terminated */
	bool has_blksize, has_tsize;	/* OACK */
	uint32_t blksize;
	uint64_t tsize;
};

/*
 * Read one packet (a UDP payload).  0, or -1 when it is too short, has
 * an unknown opcode, or is an OACK that is not pairs of NUL-terminated
 * strings naming blksize (8-65464) and tsize (decimal) at most once each;
 * out->opcode is set whenever the packet holds one, so the caller can
 * answer a bad OACK with ERROR 8.  A pure function (fuzzed as is).
 */
int tftp_parse_packet(const void *pkt, size_t len, struct tftp_packet *out);

#endif /* VOFKIT_NET_TFTP_H */
