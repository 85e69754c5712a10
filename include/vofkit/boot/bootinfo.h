/* SPDX-License-Identifier: Apache-2.0 */
/* CHRP boot scripts: the <boot-script> of \ppc\bootinfo.txt ("boot &device;:\path args"). */
#ifndef VOFKIT_BOOT_BOOTINFO_H
#define VOFKIT_BOOT_BOOTINFO_H

#include <stddef.h>

/* Bounds on what a boot script may name; a longer one is refused, not cut. */
#define BOOTINFO_PATH_MAX	128	/* the boot file's path, NUL included */
#define BOOTINFO_ARGS_MAX	256	/* the boot arguments, NUL included */
#define BOOTINFO_SCRIPT_MAX	1024	/* the <boot-script> element's text */

struct bootinfo {
	unsigned int partition;		/* 0: the whole device; N: partition N */
	char path[BOOTINFO_PATH_MAX];	/* "\boot\grub\powerpc.elf" */
	char args[BOOTINFO_ARGS_MAX];	/* what follows the path, trimmed ("" if none) */
};

/*
 * Parse the text of a bootinfo.txt (len bytes, NUL not needed) whose
 * <boot-script> boots "&device;:[partition,]path [args]".  The partition
 * may be a number or "&partition;", which becomes own_partition (the one
 * bootinfo.txt was read from; 0 for the whole device).  Returns 0 and
 * fills *out, or -1 with *why set to a short reason.
 */
int bootinfo_parse(const char *text, size_t len, unsigned int own_partition,
		   struct bootinfo *out, const char **why);

#endif /* VOFKIT_BOOT_BOOTINFO_H */
