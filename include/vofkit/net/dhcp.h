/* SPDX-License-Identifier: Apache-2.0 */
/* The DHCP/BOOTP client: DISCOVER/OFFER/REQUEST/ACK, or a plain BOOTP reply, and what the answer says. */
#ifndef VOFKIT_NET_DHCP_H
#define VOFKIT_NET_DHCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <vofkit/net/ipv4.h>

#define DHCP_FILE_MAX		128	/* the BOOTP file field; option 67 is cut to it, NUL included */
#define DHCP_SERVER_NAME_MAX	64	/* option 66 or sname, NUL included */
/*
 * /chosen "bootp-response" / "dhcp-response" hold the answer from the
 * BOOTP op byte on, zero-padded to this size, as SLOF stores it.
 */
#define DHCP_RESPONSE_SIZE	1720

struct dhcp_lease {
	uint32_t client_ip;	/* yiaddr */
	uint32_t server_ip;	/* where TFTP goes: option 66 (dotted), else siaddr, else option 54 */
	uint32_t netmask;	/* option 1, 0 when absent */
	uint32_t router;	/* option 3 (the first), 0 when absent */
	char bootfile[DHCP_FILE_MAX];	/* option 67, else the file field; "" when none */
	char server_name[DHCP_SERVER_NAME_MAX];	/* option 66 or sname as given, "" when none */
	bool bootp_only;	/* the answer had no option 53 (a BOOTP server) */
	uint8_t response[DHCP_RESPONSE_SIZE];	/* the ACK from the op byte on, zero-padded */
	uint16_t response_len;	/* the ACK's own length, ≤ DHCP_RESPONSE_SIZE */
};

/*
 * Configure ifc: DISCOVER, then REQUEST the first OFFER (a reply without
 * option 53 is a BOOTP answer and is taken as it is), retrying with
 * back-off (1, 2, 4 s... per attempt) within timeout_ms in all.  Fills
 * *lease and sets ifc->ip/netmask/router.  0, or -1 with *why ("no DHCP
 * answer in 6 s", "DHCP NAK", ...).
 */
int dhcp_configure(struct net_iface *ifc, struct dhcp_lease *lease, uint32_t timeout_ms,
		   const char **why);

#endif /* VOFKIT_NET_DHCP_H */
