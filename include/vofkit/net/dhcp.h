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

/* DHCP message types (option 53); a BOOTP reply has none (0). */
#define DHCP_DISCOVER	1
#define DHCP_OFFER	2
#define DHCP_REQUEST	3
#define DHCP_ACK	5
#define DHCP_NAK	6

/* What one server reply says, as dhcp_parse reads it. */
struct dhcp_reply {
	uint8_t type;		/* option 53, 0 when absent (a BOOTP reply) */
	uint32_t yiaddr;
	uint32_t siaddr;
	uint32_t server_id;	/* option 54, 0 when absent */
	uint32_t netmask;	/* option 1, 0 when absent */
	uint32_t router;	/* option 3 (the first), 0 when absent */
	uint32_t tftp_server;	/* option 66 when it is a dotted quad, else 0 */
	uint8_t overload;	/* option 52: 1 the file field, 2 sname, 3 both hold options */
	char bootfile[DHCP_FILE_MAX];		/* option 67, else the file field; "" */
	char server_name[DHCP_SERVER_NAME_MAX];	/* option 66, else sname; "" */
};

/*
 * Read a BOOTP/DHCP reply (the UDP payload, from the op byte on) meant
 * for us: op 2 (reply), Ethernet addresses, xid and chaddr = mac.  The
 * options (after the RFC 1048 cookie; in the file and sname fields too
 * when option 52 says so) are walked with every length checked against
 * their area; pad and end are understood; the first of a repeated option
 * counts.  Strings are cut to their field and always NUL-terminated.
 * 0, or -1 when the packet is not for us or its options run past their
 * area.  A pure function: nothing but *out is written (fuzzed as is).
 */
int dhcp_parse(const void *bootp, size_t len, uint32_t xid, const uint8_t mac[6],
	       struct dhcp_reply *out);

#endif /* VOFKIT_NET_DHCP_H */
