/* SPDX-License-Identifier: Apache-2.0 */
/* DHCP from a test client's side (net_client.c, netinst_client.c): the broadcast requests it sends and the replies it reads. */
#ifndef VOFKIT_TEST_CLIENT_DHCP_H
#define VOFKIT_TEST_CLIENT_DHCP_H

#include <stdint.h>

#define ETH_HLEN	14
#define IP_HLEN		20
#define UDP_HLEN	8
#define BOOTP_LEN	300	/* 236 fixed + magic + options, padded as BOOTP asks */
#define DHCP_FRAME_LEN	(ETH_HLEN + IP_HLEN + UDP_HLEN + BOOTP_LEN)

#define DHCP_DISCOVER	1
#define DHCP_OFFER	2
#define DHCP_REQUEST	3
#define DHCP_ACK	5

/*
 * A DHCP DISCOVER or REQUEST in frame[0, DHCP_FRAME_LEN): broadcast from
 * 0.0.0.0 and `mac`, transaction `xid`, the answer asked by broadcast (no
 * address yet).  A REQUEST names the offered address `ip` and its server
 * (options 50 and 54).  The UDP checksum is 0 (none, allowed over IPv4).
 */
void dhcp_build(unsigned char *frame, const unsigned char *mac, uint32_t xid, unsigned int type,
		uint32_t ip, uint32_t server);

/*
 * The DHCP message type of the frame[0, n) when it is a BOOTREPLY to `mac`
 * for transaction `xid`, or 0.  Sets *yiaddr, and *server when the reply
 * names its server (option 54).
 */
unsigned int dhcp_reply_type(const unsigned char *frame, uint32_t n, const unsigned char *mac,
			     uint32_t xid, uint32_t *yiaddr, uint32_t *server);

#endif
