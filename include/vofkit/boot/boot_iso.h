/* SPDX-License-Identifier: Apache-2.0 */
/* CD boot: the CHRP boot script of an ISO 9660 device, tried by the disk boot source before partitions. */
#ifndef VOFKIT_BOOT_BOOT_ISO_H
#define VOFKIT_BOOT_BOOT_ISO_H

#include <vofkit/core/device.h>

/*
 * If dev holds an ISO 9660 volume with \ppc\bootinfo.txt, load the ELF
 * image its boot script names and start it: this does not return then.
 * It returns when dev holds no ISO 9660 volume (silently) or when the CD
 * cannot be booted (one line saying why); the caller then tries the
 * device's PReP partition and the next device.  `path` is dev's node path.
 */
void boot_iso(struct block_dev *dev, const char *path);

#endif /* VOFKIT_BOOT_BOOT_ISO_H */
