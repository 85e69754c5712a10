/* SPDX-License-Identifier: Apache-2.0 */
/* The polled IPv4 stack's lower half: Ethernet, ARP and UDP over one network device. */
#ifndef VOFKIT_NET_IPV4_H
#define VOFKIT_NET_IPV4_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <vofkit/core/device.h>

/* Addresses are host-order uint32_t (10.0.2.15 = 0x0a00020f) everywhere above the wire. */
#define IPV4_BROADCAST	0xffffffffu

/* An address in messages: fw_printf("... " IPV4_FMT " ...", IPV4_ARGS(ip)). */
#define IPV4_FMT	"%u.%u.%u.%u"
#define IPV4_ARGS(ip) (unsigned int)((ip) >> 24), (unsigned int)(((ip) >> 16) & 0xff), \
		      (unsigned int)(((ip) >> 8) & 0xff), (unsigned int)((ip) & 0xff)

/* Ethernet II + IPv4 (no options) + UDP headers: what precedes a UDP payload in a frame. */
#define NET_ETH_HLEN	14
#define NET_UDP_HLEN	(NET_ETH_HLEN + 20 + 8)
/* The largest UDP payload sent or taken: a 1514-byte frame, no fragmentation. */
#define UDP_PAYLOAD_MAX	1472

/*
 * One interface: a NIC and what DHCP told us.  Nothing runs in the
 * background (the firmware polls), so an interface only answers ARP
 * while one of its calls is waiting for a packet.
 */
struct net_iface {
	struct net_dev *dev;
	uint32_t ip;		/* ours; 0 until configured (DHCP sends from 0.0.0.0) */
	uint32_t netmask;	/* 0: everything is on-link */
	uint32_t router;	/* 0: none */
	uint16_t ip_id;		/* next IPv4 identification */
	/* a one-entry ARP cache: lock-step TFTP talks to one host */
	bool arp_valid;
	uint32_t arp_ip;
	uint8_t arp_mac[6];
};

void net_iface_init(struct net_iface *ifc, struct net_dev *dev);

/*
 * Send one UDP datagram (len ≤ 1472: no fragmentation).  IPV4_BROADCAST
 * goes to ff:ff:ff:ff:ff:ff; any other address is resolved with ARP (the
 * router's MAC when it is off-link), retrying for up to 1 s.  0, or -1
 * (no ARP answer, send error, too long).
 */
int udp_send(struct net_iface *ifc, uint32_t dst_ip, uint16_t src_port, uint16_t dst_port,
	     const void *data, size_t len);

/*
 * Take frames from the device, without waiting, until one is a UDP
 * datagram to dst_port (and to our address, or broadcast) with a valid
 * IPv4 header: its payload goes to buf (at most len bytes) and its
 * length is returned, with the sender in *src_ip and *src_port.  ARP
 * requests for our address are answered and ARP replies fill the cache
 * on the way; everything else is dropped.  0 when nothing for us waits,
 * -1 on a device error.  A datagram longer than len is dropped.
 */
int udp_poll(struct net_iface *ifc, uint16_t dst_port, void *buf, size_t len,
	     uint32_t *src_ip, uint16_t *src_port);

/*
 * udp_poll without the copy: *payload points into the stack's receive
 * buffer, valid until the next call into the stack.  TFTP copies each
 * block once, from there into the caller's buffer.
 */
int udp_recv(struct net_iface *ifc, uint16_t dst_port, const uint8_t **payload,
	     uint32_t *src_ip, uint16_t *src_port);

/* The Internet checksum (RFC 1071) of data, folded and complemented (0 when data sums to 0xffff). */
uint16_t ipv4_checksum(const void *data, size_t len);

#endif /* VOFKIT_NET_IPV4_H */
