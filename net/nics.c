/* SPDX-License-Identifier: Apache-2.0 */
/* NIC names for clients: device_type "network", mac-address, local-mac-address, max-frame-size and /aliases net…. */

#define pr_fmt(fmt) "nics: " fmt
#include <stdbool.h>
#include <string.h>
#include <vofkit/core/device.h>
#include <vofkit/core/init.h>
#include <vofkit/core/tree.h>
#include <vofkit/lib/byteorder.h>
#include <vofkit/lib/limits.h>
#include <vofkit/lib/log.h>

/*
 * A full Ethernet frame without FCS.  GRUB's ofnet cuts every frame it
 * sends to max-frame-size (1500 when the property is absent, which would
 * cut a full-size IP packet), and reads into max-frame-size + 64 bytes.
 */
#define NIC_FULL_FRAME	1514u

/* Names tried for aliases: more than the registry holds, so taken names can be skipped. */
#define NET_ALIASES_MAX	32u

static bool has_prop(uint32_t node, const char *name)
{
	int len;

	return tree_getprop(node, name, &len) != NULL;
}

/*
 * The properties every client reads to find and use a NIC (GRUB's ofnet,
 * Linux's ibmveth and virtio_net, SLOF's own net boot):
 *  - device_type "network": GRUB's card scan walks the tree for it.
 *    QEMU writes it on l-lan nodes, not on virtio-net's ethernet@N.
 *  - local-mac-address: the driver's MAC when the node has none (virtio).
 *    QEMU gives an l-lan whose MAC is not locally administered an 8-byte
 *    value with two leading zero bytes; it stays as QEMU wrote it:
 *    PowerVM writes the same form, and every reader (GRUB, SLOF, Linux's
 *    ibmveth) skips the two bytes.
 *  - mac-address (6 bytes): the address in use; GRUB reads it before
 *    local-mac-address, so it never needs to handle the 8-byte form.
 *  - max-frame-size: the largest frame the driver sends and receives,
 *    when missing or below a full frame (GRUB would cut frames to it).
 */
static void nic_props(const struct net_dev *dev)
{
	be32 frame = cpu_to_be32(dev->max_frame > NIC_FULL_FRAME ? dev->max_frame : NIC_FULL_FRAME);
	uint8_t cell[4];

	if (!has_prop(dev->phandle, "device_type"))
		tree_setprop(dev->phandle, "device_type", "network", sizeof("network"));
	if (!has_prop(dev->phandle, "local-mac-address"))
		tree_setprop(dev->phandle, "local-mac-address", dev->mac, 6);
	if (!has_prop(dev->phandle, "mac-address"))
		tree_setprop(dev->phandle, "mac-address", dev->mac, 6);
	if (tree_read_prop(dev->phandle, "max-frame-size", cell, sizeof(cell)) != 4 ||
	    get_be32(cell) < NIC_FULL_FRAME)
		tree_setprop(dev->phandle, "max-frame-size", &frame, sizeof(frame));
}

/* Does /aliases already name this path (QEMU's, or an earlier stage's)? */
static bool alias_exists_for(uint32_t aliases, const char *path)
{
	char name[OF_ALIAS_MAX], value[OF_PATH_MAX];
	unsigned int n;

	for (n = 0; n < NET_ALIASES_MAX; n++) {
		device_alias_name(name, "net", n);
		if (tree_read_prop(aliases, name, value, sizeof(value)) > 0 &&
		    !strncmp(value, path, sizeof(value)))
			return true;
	}
	return false;
}

/*
 * Runs after every driver registered its NICs.  Each gets its properties
 * and an alias, "net" for the first, "net1", "net2", ... for the others
 * in probe order (l-lan before PCI: drivers run in name order), as SLOF
 * names them.  An alias that already exists is kept: the NIC takes the
 * next free name, or none when an alias already names its path.  Unit
 * addresses stay as the node names have them: QEMU writes NIC units in
 * lower case (l-lan@71000002, ethernet@2), as SLOF's aliases do.
 */
static int nics_name(void)
{
	uint32_t aliases = tree_find("/aliases", NULL);
	unsigned int i, next = 0;

	for (i = 0; i < net_dev_count(); i++) {
		struct net_dev *dev = net_dev_at(i);
		char alias[OF_ALIAS_MAX], path[OF_PATH_MAX];
		int len;

		nic_props(dev);
		len = tree_path(dev->phandle, path, sizeof(path));
		if (!aliases || len <= 0 || len >= (int)sizeof(path) ||
		    alias_exists_for(aliases, path))
			continue;
		do
			device_alias_name(alias, "net", next++);
		while (next <= NET_ALIASES_MAX && has_prop(aliases, alias));
		if (next > NET_ALIASES_MAX) {
			pr_warn("no free net alias for %s\n", path);
			continue;
		}
		tree_setprop(aliases, alias, path, len + 1);
	}
	return 0;
}
FW_INIT(nics_name, FW_INIT_DEVICE_CLASS, "network device names");
