/* SPDX-License-Identifier: Apache-2.0 */
/* The DHCP/BOOTP client: DISCOVER, OFFER, REQUEST, ACK (or one BOOTP reply), and the reply parser. */

#include <string.h>
#include <vofkit/core/time.h>
#include <vofkit/lib/byteorder.h>
#include <vofkit/lib/console.h>
#include <vofkit/net/dhcp.h>

#define DHCP_SERVER_PORT	67
#define DHCP_CLIENT_PORT	68

/* BOOTP (RFC 951) field offsets; the options follow the RFC 1048 cookie at 236. */
#define BOOTP_OP	0
#define BOOTP_HTYPE	1
#define BOOTP_HLEN	2
#define BOOTP_XID	4
#define BOOTP_YIADDR	16
#define BOOTP_SIADDR	20
#define BOOTP_CHADDR	28
#define BOOTP_SNAME	44
#define BOOTP_SNAME_LEN	64
#define BOOTP_FILE	108
#define BOOTP_FILE_LEN	128
#define BOOTP_FIXED	236	/* everything up to the vendor area */
#define BOOTP_COOKIE	236
#define BOOTP_OPTIONS	240
#define BOOTP_REQUEST_OP 1
#define BOOTP_REPLY_OP	2
/* What we send: BOOTP's 300-byte minimum (some relays and servers drop shorter requests). */
#define BOOTP_MIN_LEN	300

#define OPT_PAD		0
#define OPT_NETMASK	1
#define OPT_ROUTER	3
#define OPT_REQUESTED_IP 50
#define OPT_OVERLOAD	52
#define OPT_MSG_TYPE	53
#define OPT_SERVER_ID	54
#define OPT_PARAM_LIST	55
#define OPT_TFTP_SERVER	66
#define OPT_BOOTFILE	67
#define OPT_END		255

#define OVERLOAD_FILE	1
#define OVERLOAD_SNAME	2

/* The first retransmission after 1 s, then 2 s, 4 s...: the caller's timeout bounds the whole. */
#define FIRST_RETRY_MS	1000

static const uint8_t cookie[4] = { 99, 130, 83, 99 };

static void copy_string(char *dst, size_t size, const uint8_t *src, size_t len)
{
	size_t n = 0;

	for (; n < len && n < size - 1 && src[n]; n++)
		dst[n] = (char)src[n];
	dst[n] = '\0';
}

/* "a.b.c.d", each part 0-255 in at most three digits, and nothing else; 0 when not one. */
static uint32_t parse_dotted_quad(const char *s)
{
	uint32_t ip = 0, part;
	unsigned int i, digits;

	for (i = 0; i < 4; i++) {
		part = 0;
		for (digits = 0; *s >= '0' && *s <= '9'; s++, digits++) {
			if (digits == 3)
				return 0;
			part = part * 10 + (uint32_t)(*s - '0');
		}
		if (!digits || part > 255 || *s != (i < 3 ? '.' : '\0'))
			return 0;
		if (i < 3)
			s++;
		ip = ip << 8 | part;
	}
	return ip;
}

/*
 * Walk one option area.  Every option's length byte and value must lie
 * inside the area (-1 otherwise); the area may end without OPT_END.
 * Only the first instance of an option counts; a value of the wrong
 * length is ignored.  Option 52 is read only in the vendor area: an
 * overloaded field naming another would be a loop.
 */
static int parse_options(const uint8_t *p, size_t len, bool vendor_area, uint32_t seen[8],
			 struct dhcp_reply *out)
{
	size_t i = 0, olen;
	const uint8_t *v;
	uint8_t code;

	while (i < len) {
		code = p[i++];
		if (code == OPT_PAD)
			continue;
		if (code == OPT_END)
			return 0;
		if (i >= len)
			return -1;
		olen = p[i++];
		if (olen > len - i)
			return -1;
		v = p + i;
		i += olen;
		if (seen[code / 32] & (1u << (code % 32)))
			continue;
		seen[code / 32] |= 1u << (code % 32);
		switch (code) {
		case OPT_MSG_TYPE:
			if (olen == 1)
				out->type = v[0];
			break;
		case OPT_SERVER_ID:
			if (olen == 4)
				out->server_id = get_be32(v);
			break;
		case OPT_NETMASK:
			if (olen == 4)
				out->netmask = get_be32(v);
			break;
		case OPT_ROUTER:
			if (olen >= 4 && olen % 4 == 0)
				out->router = get_be32(v);
			break;
		case OPT_OVERLOAD:
			if (vendor_area && olen == 1 && v[0] >= 1 && v[0] <= 3)
				out->overload = v[0];
			break;
		case OPT_TFTP_SERVER:
			copy_string(out->server_name, sizeof(out->server_name), v, olen);
			out->tftp_server = parse_dotted_quad(out->server_name);
			break;
		case OPT_BOOTFILE:
			copy_string(out->bootfile, sizeof(out->bootfile), v, olen);
			break;
		default:
			break;
		}
	}
	return 0;
}

int dhcp_parse(const void *bootp, size_t len, uint32_t xid, const uint8_t mac[6],
	       struct dhcp_reply *out)
{
	const uint8_t *b = bootp;
	uint32_t seen[8] = { 0 };

	memset(out, 0, sizeof(*out));
	if (len < BOOTP_FIXED || b[BOOTP_OP] != BOOTP_REPLY_OP || b[BOOTP_HTYPE] != 1 ||
	    b[BOOTP_HLEN] != 6 || get_be32(b + BOOTP_XID) != xid ||
	    memcmp(b + BOOTP_CHADDR, mac, 6))
		return -1;
	out->yiaddr = get_be32(b + BOOTP_YIADDR);
	out->siaddr = get_be32(b + BOOTP_SIADDR);
	/* Without the cookie the vendor area is not RFC 1048 options: a plain BOOTP reply. */
	if (len >= BOOTP_OPTIONS && !memcmp(b + BOOTP_COOKIE, cookie, 4)) {
		if (parse_options(b + BOOTP_OPTIONS, len - BOOTP_OPTIONS, true, seen, out))
			return -1;
		/* RFC 2132 9.3: the file field's options come before sname's. */
		if ((out->overload & OVERLOAD_FILE) &&
		    parse_options(b + BOOTP_FILE, BOOTP_FILE_LEN, false, seen, out))
			return -1;
		if ((out->overload & OVERLOAD_SNAME) &&
		    parse_options(b + BOOTP_SNAME, BOOTP_SNAME_LEN, false, seen, out))
			return -1;
	}
	if (!out->bootfile[0] && !(out->overload & OVERLOAD_FILE))
		copy_string(out->bootfile, sizeof(out->bootfile), b + BOOTP_FILE, BOOTP_FILE_LEN);
	if (!out->server_name[0] && !(out->overload & OVERLOAD_SNAME))
		copy_string(out->server_name, sizeof(out->server_name), b + BOOTP_SNAME,
			    BOOTP_SNAME_LEN);
	return 0;
}

/* DISCOVER or REQUEST, broadcast from 0.0.0.0:68 (we have no address yet). */
static int dhcp_send(struct net_iface *ifc, uint8_t type, uint32_t xid, uint32_t requested_ip,
		     uint32_t server_id)
{
	/* Options asked for: netmask, router, DNS, host name, domain, TFTP server, boot file. */
	static const uint8_t params[] = { OPT_PARAM_LIST, 7, 1, 3, 6, 12, 15, 66, 67 };
	uint8_t pkt[BOOTP_MIN_LEN], *o = pkt + BOOTP_OPTIONS;

	memset(pkt, 0, sizeof(pkt));
	pkt[BOOTP_OP] = BOOTP_REQUEST_OP;
	pkt[BOOTP_HTYPE] = 1;
	pkt[BOOTP_HLEN] = 6;
	put_be32(pkt + BOOTP_XID, xid);
	memcpy(pkt + BOOTP_CHADDR, ifc->dev->mac, 6);
	memcpy(pkt + BOOTP_COOKIE, cookie, 4);
	*o++ = OPT_MSG_TYPE;
	*o++ = 1;
	*o++ = type;
	if (type == DHCP_REQUEST) {
		*o++ = OPT_REQUESTED_IP;
		*o++ = 4;
		put_be32(o, requested_ip);
		o += 4;
		*o++ = OPT_SERVER_ID;
		*o++ = 4;
		put_be32(o, server_id);
		o += 4;
	}
	memcpy(o, params, sizeof(params));
	o += sizeof(params);
	*o = OPT_END;
	return udp_send(ifc, IPV4_BROADCAST, DHCP_CLIENT_PORT, DHCP_SERVER_PORT, pkt, sizeof(pkt));
}

static void take_lease(struct net_iface *ifc, struct dhcp_lease *lease,
		       const struct dhcp_reply *r, const uint8_t *pkt, size_t len)
{
	lease->client_ip = r->yiaddr;
	lease->server_ip = r->tftp_server ? r->tftp_server : r->siaddr ? r->siaddr : r->server_id;
	lease->netmask = r->netmask;
	lease->router = r->router;
	memcpy(lease->bootfile, r->bootfile, sizeof(lease->bootfile));
	memcpy(lease->server_name, r->server_name, sizeof(lease->server_name));
	lease->bootp_only = r->type == 0;
	if (len > DHCP_RESPONSE_SIZE)
		len = DHCP_RESPONSE_SIZE;
	memcpy(lease->response, pkt, len);
	memset(lease->response + len, 0, DHCP_RESPONSE_SIZE - len);
	lease->response_len = (uint16_t)len;

	ifc->ip = r->yiaddr;
	ifc->netmask = r->netmask;
	ifc->router = r->router;
	ifc->arp_valid = false;
}

/* "no DHCP answer in 6 s": the reason must name the wait the user sat through. */
static const char *timeout_reason(const char *what, uint32_t timeout_ms)
{
	static char why[64];	/* the longest prefix (27) + 10 digits + " s" fits */
	size_t n = strlen(what);

	memcpy(why, what, n);
	memcpy(fw_format_dec(why + n, (timeout_ms + 999) / 1000), " s", 3);
	return why;
}

int dhcp_configure(struct net_iface *ifc, struct dhcp_lease *lease, uint32_t timeout_ms,
		   const char **why)
{
	const uint8_t *mac = ifc->dev->mac;
	struct dhcp_reply reply;
	const uint8_t *pkt;
	uint64_t now, end, next_send;
	uint32_t xid, interval, offered_ip = 0, offer_server = 0, src_ip;
	uint16_t src_port;
	bool requesting = false, restarted = false, answered = false;
	int n;

	ifc->ip = 0;
	ifc->netmask = 0;
	ifc->router = 0;
	ifc->arp_valid = false;
	/* Unique enough per NIC and boot: the MAC's tail mixed with the clock. */
	xid = get_be32(mac + 2) ^ ((uint32_t)time_ms() * 2654435761u);

	now = time_ms();
	end = now + timeout_ms;
	next_send = now;
	interval = FIRST_RETRY_MS;
	for (;;) {
		now = time_ms();
		if (now >= end) {
			*why = answered ? timeout_reason("no DHCP acknowledgement in ", timeout_ms)
					: timeout_reason("no DHCP answer in ", timeout_ms);
			return -1;
		}
		if (now >= next_send) {
			if (requesting)
				dhcp_send(ifc, DHCP_REQUEST, xid, offered_ip, offer_server);
			else
				dhcp_send(ifc, DHCP_DISCOVER, xid, 0, 0);
			next_send = now + interval;
			interval *= 2;
		}
		n = udp_recv(ifc, DHCP_CLIENT_PORT, &pkt, &src_ip, &src_port);
		if (n <= 0 || src_port != DHCP_SERVER_PORT)
			continue;
		if (dhcp_parse(pkt, (size_t)n, xid, mac, &reply))
			continue;
		answered = true;
		if (reply.type == 0 && reply.yiaddr) {
			/* A BOOTP server: its one reply is the lease. */
			take_lease(ifc, lease, &reply, pkt, (size_t)n);
			return 0;
		}
		if (!requesting && reply.type == DHCP_OFFER && reply.yiaddr) {
			offered_ip = reply.yiaddr;
			/* RFC 2131 requires option 54 in an OFFER; a server that omits it is named by its source. */
			offer_server = reply.server_id ? reply.server_id : src_ip;
			requesting = true;
			next_send = now;
			interval = FIRST_RETRY_MS;
			continue;
		}
		if (!requesting)
			continue;
		/* Answers to the REQUEST: only from the server we asked. */
		if (reply.server_id && reply.server_id != offer_server)
			continue;
		if (reply.type == DHCP_ACK && reply.yiaddr) {
			take_lease(ifc, lease, &reply, pkt, (size_t)n);
			return 0;
		}
		if (reply.type == DHCP_NAK) {
			if (restarted) {
				*why = "the DHCP server refused the offered address twice (NAK)";
				return -1;
			}
			/* Start over once, with a new transaction. */
			restarted = true;
			requesting = false;
			xid++;
			next_send = now;
			interval = FIRST_RETRY_MS;
		}
	}
}
