/* SPDX-License-Identifier: Apache-2.0 */
/* DHCP from a test client's side: broadcast requests and the server's replies (see client_dhcp.h). */

#include "client_lib.h"
#include "client_dhcp.h"

#define DHCP_COOKIE	0x63825363u

/* Ethernet, IPv4 and UDP headers of a broadcast from 0.0.0.0 with `payload` bytes of UDP data. */
static void broadcast_headers(unsigned char *frame, const unsigned char *mac, uint32_t payload,
			      uint32_t sport, uint32_t dport)
{
	unsigned char *ip = frame + ETH_HLEN, *udp = ip + IP_HLEN;
	uint32_t sum = 0, i;

	memset(frame, 0xff, 6);			/* broadcast */
	memcpy(frame + 6, mac, 6);
	store_be16(frame + 12, 0x0800);		/* IPv4 */
	ip[0] = 0x45;
	store_be16(ip + 2, IP_HLEN + UDP_HLEN + payload);
	ip[8] = 64;				/* TTL */
	ip[9] = 17;				/* UDP */
	store_be32(ip + 16, 0xffffffffu);	/* from 0.0.0.0 to 255.255.255.255 */
	for (i = 0; i < IP_HLEN; i += 2)
		sum += load_be16(ip + i);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	store_be16(ip + 10, ~sum & 0xffff);
	store_be16(udp, sport);
	store_be16(udp + 2, dport);
	store_be16(udp + 4, UDP_HLEN + payload);	/* checksum 0: none, allowed over IPv4 */
}

void dhcp_build(unsigned char *frame, const unsigned char *mac, uint32_t xid, unsigned int type,
		uint32_t ip, uint32_t server)
{
	unsigned char *bootp = frame + ETH_HLEN + IP_HLEN + UDP_HLEN, *o;

	memset(frame, 0, DHCP_FRAME_LEN);
	broadcast_headers(frame, mac, BOOTP_LEN, 68, 67);
	bootp[0] = 1;				/* BOOTREQUEST */
	bootp[1] = 1;				/* Ethernet */
	bootp[2] = 6;
	store_be32(bootp + 4, xid);
	store_be16(bootp + 10, 0x8000);		/* answer by broadcast: we have no address */
	memcpy(bootp + 28, mac, 6);
	store_be32(bootp + 236, DHCP_COOKIE);
	o = bootp + 240;
	*o++ = 53;				/* message type */
	*o++ = 1;
	*o++ = (unsigned char)type;
	if (type == DHCP_REQUEST) {
		*o++ = 50;			/* the address offered */
		*o++ = 4;
		store_be32(o, ip);
		o += 4;
		*o++ = 54;			/* from this server */
		*o++ = 4;
		store_be32(o, server);
		o += 4;
	}
	*o = 255;
}

unsigned int dhcp_reply_type(const unsigned char *frame, uint32_t n, const unsigned char *mac,
			     uint32_t xid, uint32_t *yiaddr, uint32_t *server)
{
	const unsigned char *ip = frame + ETH_HLEN, *udp, *bootp, *opt;
	unsigned int type = 0;
	uint32_t ihl;

	if (n < ETH_HLEN + IP_HLEN || load_be16(frame + 12) != 0x0800 || ip[9] != 17)
		return 0;
	ihl = (ip[0] & 15) * 4u;
	udp = ip + ihl;
	bootp = udp + UDP_HLEN;
	if (n < ETH_HLEN + ihl + UDP_HLEN + 244 || load_be16(udp) != 67 || load_be16(udp + 2) != 68 ||
	    bootp[0] != 2 || load_be32(bootp + 4) != xid || !mem_eq(bootp + 28, mac, 6) ||
	    load_be32(bootp + 236) != DHCP_COOKIE)
		return 0;
	*yiaddr = load_be32(bootp + 16);
	for (opt = bootp + 240; opt + 2 < frame + n && opt[0] != 255; opt += opt[0] ? 2 + opt[1] : 1) {
		if (opt[0] == 53 && opt[1] == 1)
			type = opt[2];
		if (opt[0] == 54 && opt[1] == 4)
			*server = load_be32(opt + 2);
	}
	return type;
}
