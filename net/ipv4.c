/* SPDX-License-Identifier: Apache-2.0 */
/* The polled IPv4 stack's lower half: Ethernet II framing, ARP, IPv4 and UDP over one net_dev. */

#include <string.h>
#include <vofkit/core/time.h>
#include <vofkit/lib/byteorder.h>
#include <vofkit/net/ipv4.h>

#define ETH_TYPE_IPV4	0x0800
#define ETH_TYPE_ARP	0x0806
#define ETH_MIN_FRAME	60	/* without the FCS: shorter frames are padded with zeros */
#define IP_PROTO_UDP	17
#define IP_HLEN		20
#define UDP_HLEN	8
#define ARP_LEN		28
#define ARP_OP_REQUEST	1
#define ARP_OP_REPLY	2

/*
 * ARP: four requests 250 ms apart, 1 s in all.  slirp answers at once
 * (its ARP is in-process); a real host answers within milliseconds.
 */
#define ARP_TRIES	4
#define ARP_WAIT_MS	250

/*
 * A call takes at most this many frames before it returns "nothing for
 * you": a device that delivers junk without pause cannot keep a caller
 * from looking at its clock.
 */
#define FRAMES_PER_POLL	64

/* No UDP port is 0 on the wire for us: the ARP wait passes it to drop every datagram. */
#define PORT_NONE	0

/*
 * One frame in, one frame out.  The stack is polled from one place at a
 * time (a boot source, or one CI call), so static buffers are enough and
 * keep 3 KiB off the firmware stack.  Both hold the largest frame a
 * driver hands out (l-lan: 1518) with room to spare.
 */
#define FRAME_BUF	1536
static uint8_t rx_frame[FRAME_BUF] __attribute__((aligned(8)));
static uint8_t tx_frame[FRAME_BUF] __attribute__((aligned(8)));

static const uint8_t eth_broadcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/*
 * The one's-complement sum of big-endian 16-bit words, 32 bits at a time
 * (2^16 = 1 modulo 0xffff, so a 32-bit word adds as its two halves).  A
 * full block's UDP checksum is verified on every DATA packet: this loop is
 * on the TFTP fast path.  Only the last piece summed may have odd length.
 */
static uint64_t csum_add(uint64_t sum, const uint8_t *p, size_t len)
{
	while (len >= 4) {
		sum += get_be32(p);
		p += 4;
		len -= 4;
	}
	if (len >= 2) {
		sum += get_be16(p);
		p += 2;
		len -= 2;
	}
	if (len)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

static uint16_t csum_fold(uint64_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint16_t ipv4_checksum(const void *data, size_t len)
{
	return csum_fold(csum_add(0, data, len));
}

/* The UDP checksum's pseudo-header: addresses, protocol, UDP length. */
static uint64_t csum_pseudo(uint32_t src, uint32_t dst, uint16_t udp_len)
{
	return (uint64_t)src + dst + IP_PROTO_UDP + udp_len;
}

void net_iface_init(struct net_iface *ifc, struct net_dev *dev)
{
	memset(ifc, 0, sizeof(*ifc));
	ifc->dev = dev;
	/* Any start will do (no fragments are sent); vary it between boots and NICs. */
	ifc->ip_id = (uint16_t)(time_ms() ^ ((uint32_t)dev->mac[4] << 8 | dev->mac[5]));
}

static bool on_link(const struct net_iface *ifc, uint32_t ip)
{
	return !ifc->netmask || !ifc->router || ((ip ^ ifc->ip) & ifc->netmask) == 0;
}

/* Is dst one of our addresses?  Before DHCP we have none and take anything (slirp's ACK may be unicast to the offered address). */
static bool addressed_to_us(const struct net_iface *ifc, uint32_t dst)
{
	if (dst == IPV4_BROADCAST || !ifc->ip || dst == ifc->ip)
		return true;
	return ifc->netmask && dst == (ifc->ip | ~ifc->netmask);
}

static void eth_header(uint8_t *f, const uint8_t *dst_mac, const uint8_t *src_mac, uint16_t type)
{
	memcpy(f, dst_mac, 6);
	memcpy(f + 6, src_mac, 6);
	put_be16(f + 12, type);
}

/* Send len bytes of tx_frame, padded to the Ethernet minimum. */
static int send_frame(struct net_iface *ifc, size_t len)
{
	if (len < ETH_MIN_FRAME) {
		memset(tx_frame + len, 0, ETH_MIN_FRAME - len);
		len = ETH_MIN_FRAME;
	}
	return ifc->dev->send(ifc->dev, tx_frame, len) ? -1 : 0;
}

static int arp_send(struct net_iface *ifc, uint16_t op, const uint8_t *dst_mac,
		    const uint8_t *target_mac, uint32_t target_ip)
{
	uint8_t *a = tx_frame + NET_ETH_HLEN;

	eth_header(tx_frame, dst_mac, ifc->dev->mac, ETH_TYPE_ARP);
	put_be16(a, 1);			/* Ethernet */
	put_be16(a + 2, ETH_TYPE_IPV4);
	a[4] = 6;
	a[5] = 4;
	put_be16(a + 6, op);
	memcpy(a + 8, ifc->dev->mac, 6);
	put_be32(a + 14, ifc->ip);
	memcpy(a + 18, target_mac, 6);
	put_be32(a + 24, target_ip);
	return send_frame(ifc, NET_ETH_HLEN + ARP_LEN);
}

/* An ARP frame: answer a request for our address, learn the address being resolved. */
static void arp_in(struct net_iface *ifc, const uint8_t *a, size_t len)
{
	uint32_t sender_ip, target_ip;
	uint16_t op;

	if (len < ARP_LEN || get_be16(a) != 1 || get_be16(a + 2) != ETH_TYPE_IPV4 || a[4] != 6 ||
	    a[5] != 4)
		return;
	op = get_be16(a + 6);
	sender_ip = get_be32(a + 14);
	target_ip = get_be32(a + 24);
	/*
	 * RFC 826's merge: any ARP from the host in the entry refreshes it,
	 * and a host asking for us takes an empty entry, since it is about
	 * to talk to us.  A valid entry is kept: another host's question
	 * must not send the next ACK through an ARP wait.
	 */
	if (sender_ip && (sender_ip == ifc->arp_ip ||
			  (!ifc->arp_valid && ifc->ip && target_ip == ifc->ip))) {
		ifc->arp_ip = sender_ip;
		memcpy(ifc->arp_mac, a + 8, 6);
		ifc->arp_valid = true;
	}
	if (op == ARP_OP_REQUEST && ifc->ip && target_ip == ifc->ip && sender_ip) {
		/* The reply goes out of tx_frame, which holds nothing pending: every send builds it anew. */
		uint8_t sender_mac[6];

		memcpy(sender_mac, a + 8, 6);
		arp_send(ifc, ARP_OP_REPLY, sender_mac, sender_mac, sender_ip);
	}
}

/*
 * One received frame: ARP is handled here; a valid UDP datagram to
 * dst_port gives its payload length (> 0) and *payload; anything else 0.
 * Every offset is checked against the frame's length; the IPv4 total
 * length then bounds what follows (Ethernet pads short frames).
 */
static int frame_in(struct net_iface *ifc, const uint8_t *f, size_t n, uint16_t dst_port,
		    const uint8_t **payload, uint32_t *src_ip, uint16_t *src_port)
{
	const uint8_t *ip, *udp;
	size_t ihl, total, udp_len;
	uint32_t src, dst;
	uint16_t type, sum;

	if (n < NET_ETH_HLEN)
		return 0;
	if (memcmp(f, ifc->dev->mac, 6) && memcmp(f, eth_broadcast, 6))
		return 0;
	type = get_be16(f + 12);
	if (type == ETH_TYPE_ARP) {
		arp_in(ifc, f + NET_ETH_HLEN, n - NET_ETH_HLEN);
		return 0;
	}
	if (type != ETH_TYPE_IPV4 || dst_port == PORT_NONE)
		return 0;
	ip = f + NET_ETH_HLEN;
	n -= NET_ETH_HLEN;
	if (n < IP_HLEN || (ip[0] >> 4) != 4)
		return 0;
	ihl = (size_t)(ip[0] & 0xf) * 4;
	total = get_be16(ip + 2);
	if (ihl < IP_HLEN || ihl > n || total < ihl || total > n)
		return 0;
	/* More-fragments or an offset: a fragment, never reassembled (we ask for nothing that large). */
	if (get_be16(ip + 6) & 0x3fff)
		return 0;
	if (ip[9] != IP_PROTO_UDP)
		return 0;
	dst = get_be32(ip + 16);
	if (!addressed_to_us(ifc, dst))
		return 0;
	if (ipv4_checksum(ip, ihl))
		return 0;
	udp = ip + ihl;
	if (total - ihl < UDP_HLEN)
		return 0;
	udp_len = get_be16(udp + 4);
	if (udp_len < UDP_HLEN || udp_len > total - ihl)
		return 0;
	if (get_be16(udp + 2) != dst_port || udp_len == UDP_HLEN)
		return 0;
	src = get_be32(ip + 12);
	sum = get_be16(udp + 6);
	/* 0: the sender computed none (allowed over IPv4); otherwise it must verify. */
	if (sum && csum_fold(csum_add(csum_pseudo(src, dst, (uint16_t)udp_len), udp, udp_len)))
		return 0;
	*payload = udp + UDP_HLEN;
	*src_ip = src;
	*src_port = get_be16(udp);
	return (int)(udp_len - UDP_HLEN);
}

int udp_recv(struct net_iface *ifc, uint16_t dst_port, const uint8_t **payload,
	     uint32_t *src_ip, uint16_t *src_port)
{
	struct net_dev *dev = ifc->dev;
	unsigned int i;
	int n, r;

	for (i = 0; i < FRAMES_PER_POLL; i++) {
		n = dev->receive(dev, rx_frame, sizeof(rx_frame));
		if (n <= 0)
			return n;
		if ((size_t)n > sizeof(rx_frame))
			continue;	/* a driver that overstates; nothing past our buffer is read */
		r = frame_in(ifc, rx_frame, (size_t)n, dst_port, payload, src_ip, src_port);
		if (r > 0)
			return r;
	}
	return 0;
}

int udp_poll(struct net_iface *ifc, uint16_t dst_port, void *buf, size_t len,
	     uint32_t *src_ip, uint16_t *src_port)
{
	const uint8_t *payload;
	unsigned int i;
	int n;

	for (i = 0; i < FRAMES_PER_POLL; i++) {
		n = udp_recv(ifc, dst_port, &payload, src_ip, src_port);
		if (n <= 0)
			return n;
		if ((size_t)n <= len) {
			memcpy(buf, payload, (size_t)n);
			return n;
		}
	}
	return 0;
}

/* The MAC of ip (on-link), from the cache or by asking; 0 or -1. */
static int arp_resolve(struct net_iface *ifc, uint32_t ip, uint8_t *mac)
{
	static const uint8_t zero_mac[6];
	const uint8_t *unused_payload;
	uint32_t unused_ip;
	uint16_t unused_port;
	uint64_t deadline;
	unsigned int try;

	if (ifc->arp_valid && ifc->arp_ip == ip) {
		memcpy(mac, ifc->arp_mac, 6);
		return 0;
	}
	ifc->arp_ip = ip;
	ifc->arp_valid = false;
	for (try = 0; try < ARP_TRIES; try++) {
		if (arp_send(ifc, ARP_OP_REQUEST, eth_broadcast, zero_mac, ip))
			return -1;
		deadline = time_deadline_ms(ARP_WAIT_MS);
		do {
			/* Datagrams that come meanwhile are dropped: nobody waits for one during a send. */
			if (udp_recv(ifc, PORT_NONE, &unused_payload, &unused_ip, &unused_port) < 0)
				break;
			/* A host asking for us meanwhile may have taken the entry: check whose it is. */
			if (ifc->arp_valid && ifc->arp_ip == ip) {
				memcpy(mac, ifc->arp_mac, 6);
				return 0;
			}
		} while (!time_expired(deadline));
	}
	return -1;
}

int udp_send(struct net_iface *ifc, uint32_t dst_ip, uint16_t src_port, uint16_t dst_port,
	     const void *data, size_t len)
{
	struct net_dev *dev = ifc->dev;
	uint8_t mac[6], *ip = tx_frame + NET_ETH_HLEN, *udp = ip + IP_HLEN;
	uint16_t udp_len = (uint16_t)(UDP_HLEN + len), sum;

	if (len > UDP_PAYLOAD_MAX || (dev->max_frame && NET_UDP_HLEN + len > dev->max_frame))
		return -1;
	if (dst_ip == IPV4_BROADCAST)
		memcpy(mac, eth_broadcast, 6);
	else if (arp_resolve(ifc, on_link(ifc, dst_ip) ? dst_ip : ifc->router, mac))
		return -1;

	eth_header(tx_frame, mac, dev->mac, ETH_TYPE_IPV4);
	ip[0] = 0x45;			/* version 4, no options */
	ip[1] = 0;
	put_be16(ip + 2, (uint16_t)(IP_HLEN + udp_len));
	put_be16(ip + 4, ifc->ip_id++);
	put_be16(ip + 6, 0x4000);	/* don't fragment: we never do */
	ip[8] = 64;
	ip[9] = IP_PROTO_UDP;
	put_be16(ip + 10, 0);
	put_be32(ip + 12, ifc->ip);
	put_be32(ip + 16, dst_ip);
	put_be16(ip + 10, ipv4_checksum(ip, IP_HLEN));

	put_be16(udp, src_port);
	put_be16(udp + 2, dst_port);
	put_be16(udp + 4, udp_len);
	put_be16(udp + 6, 0);
	memcpy(udp + UDP_HLEN, data, len);
	sum = csum_fold(csum_add(csum_pseudo(ifc->ip, dst_ip, udp_len), udp, udp_len));
	/* A computed 0 is sent as 0xffff: 0 on the wire means "no checksum". */
	put_be16(udp + 6, sum ? sum : 0xffff);
	return send_frame(ifc, NET_UDP_HLEN + len);
}
