/* SPDX-License-Identifier: Apache-2.0 */
/* The network instances' load method: DHCP on the opened NIC, then TFTP of the boot file the answer names into client memory. */

#define pr_fmt(fmt) "net: " fmt
#include <stdint.h>
#include <vofkit/ci/ci.h>
#include <vofkit/core/mem.h>
#include <vofkit/core/tree.h>
#include <vofkit/lib/limits.h>
#include <vofkit/lib/log.h>
#include <vofkit/lib/util.h>
#include <vofkit/net/dhcp.h>
#include <vofkit/net/ipv4.h>
#include <vofkit/net/tftp.h>
#include "net_instances.h"

/* Clients hand 32-bit real addresses: nothing is loaded at or above 4 GiB. */
#define LOAD_ADDR_LIMIT	0x100000000ull

/* Static, not on the 8 KiB firmware stack: a lease holds the 1720-byte DHCP answer. */
static struct net_iface load_ifc;
static struct dhcp_lease load_lease;
static struct tftp_result load_result;

/*
 * How many bytes from addr the file may fill: up to the end of RAM (and
 * 4 GiB), or up to the firmware when addr is below it; 0 when addr is
 * not client memory.  As with SLOF's load, the client claims the memory
 * first: the firmware cannot know how large the file is before it comes,
 * and TFTP writes each block where it belongs.
 */
static uint64_t load_room(uint64_t addr)
{
	uint64_t top = MIN(fw_ram_top, LOAD_ADDR_LIMIT);

	if (addr >= top)
		return 0;
	if (addr < fw_own_start)
		top = fw_own_start;
	return fw_mem_writable(addr, top - addr) ? top - addr : 0;
}

/* DHCP, then TFTP of the boot file to addr; NULL with *size, or why not. */
static const char *load_file(struct net_dev *dev, uint32_t addr, uint32_t *size)
{
	uint64_t room = load_room(addr);
	const char *why = NULL;

	if (!room)
		return "the address is not client memory";
	net_iface_init(&load_ifc, dev);
	if (dhcp_configure(&load_ifc, &load_lease, CONFIG_NET_DHCP_TIMEOUT_MS, &why))
		return why ? why : "no DHCP answer";
	if (!load_lease.bootfile[0])
		return "the DHCP answer names no boot file";
	if (tftp_get(&load_ifc, load_lease.server_ip, load_lease.bootfile, phys_to_virt(addr), room,
		     &load_result))
		return load_result.error[0] ? load_result.error : "TFTP failed";
	*size = (uint32_t)load_result.size;
	return NULL;
}

/*
 * call-method "load" ( addr -- size )  on an instance of a NIC
 *   in:  [0] where the file goes (real address, claimed by the client)
 *   out: [0] the file's size; catch-result 0
 * DHCP on the NIC (the instance's arguments are ignored, as by open),
 * then TFTP of the boot file the answer names (option 67, else the BOOTP
 * file field) from its server.  Any failure -- an address that is not
 * client memory, no DHCP answer, no boot file, a TFTP error, a file
 * larger than the memory up to the end of RAM or the firmware, a call
 * after quiesce -- is a throw (catch-result -1, size 0), as SLOF's load
 * aborts, with one line saying why.
 */
static enum ci_result net_load(struct ci_method_call *m)
{
	struct net_dev *dev = net_instance_nic(m->ihandle);
	char path[OF_PATH_MAX];
	const char *why;
	uint32_t size = 0;

	if (!dev)
		return CI_DECLINE;
	if (tree_path(dev->phandle, path, sizeof(path)) < 0)
		path[0] = '\0';
	if (net_instances_quiesced())
		why = "the network is stopped (after quiesce)";
	else if (m->nin < 1)
		why = "no address given";
	else
		why = load_file(dev, m->in[0], &size);
	if (m->nout >= 1)
		m->out[0] = size;
	if (why) {
		pr_warn("%s: load: %s\n", path, why);
		m->catch_result = CI_ERR;
		return CI_DONE;
	}
	pr_info("%s: loaded %s (%u bytes) at 0x%x\n", path, load_lease.bootfile, size, m->in[0]);
	return CI_DONE;
}
CI_METHOD(net_load, "load", net_load);
