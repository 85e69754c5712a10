/* SPDX-License-Identifier: Apache-2.0 */
/* Network boot from one NIC: DHCP, then the boot file (an ELF image) or a PXELINUX config's kernel and initramfs. */
#ifndef VOFKIT_BOOT_BOOT_NET_H
#define VOFKIT_BOOT_BOOT_NET_H

#include <vofkit/core/device.h>

/*
 * Boot from dev, the NIC at node path `path` (args: the text after ':'
 * in the path that named it, or NULL; SLOF/PowerVM-style arguments are
 * ignored).  Configures it with DHCP, loads the boot file over TFTP and
 * starts it when it is an ELF image; without a boot file, or with one
 * ending in '/', searches the PXELINUX configs and boots the first
 * entry's kernel with its initramfs and APPEND line, as -kernel does.
 * Does not return then.  Returns after one line saying why the NIC
 * cannot boot (no DHCP answer, no such file, ...), having given back
 * every claim it made, so the caller tries the next device.
 */
void boot_net(struct net_dev *dev, const char *path, const char *args);

#endif /* VOFKIT_BOOT_BOOT_NET_H */
