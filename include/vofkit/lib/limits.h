/* SPDX-License-Identifier: Apache-2.0 */
/* Length limits shared by every layer: device paths, property and alias names, instance arguments. */
#ifndef VOFKIT_LIB_LIMITS_H
#define VOFKIT_LIB_LIMITS_H

/*
 * Longest device path, NUL included: QEMU's VOF uses the same bound, and
 * the longest path QEMU writes (a PCI function under a PHB with a
 * 16-digit unit address) is under 100 characters.
 */
#define OF_PATH_MAX		256

/*
 * Longest property name plus its NUL: Linux's prom_init passes 64-byte
 * buffers to nextprop (IEEE 1275 says 32; QEMU's /rtas has a 33-character
 * name), so no name may be longer than 63 characters.
 */
#define OF_PROP_NAME_MAX	64

/* Longest alias name (/aliases property) plus its NUL. */
#define OF_ALIAS_MAX		32

/*
 * Arguments of an open instance ("disk:3,\\ppc\\bootinfo.txt"), NUL included:
 * as long as a whole path, so no argument string that `open` accepts is
 * ever cut (GRUB's for a NIC alone is 68 characters).
 */
#define OF_ARGS_MAX		OF_PATH_MAX

#endif /* VOFKIT_LIB_LIMITS_H */
