/* SPDX-License-Identifier: Apache-2.0 */
/* PXELINUX configs for network boot: the names tried, in PXELINUX's order, and the parser of one config. */
#ifndef VOFKIT_BOOT_PXELINUX_H
#define VOFKIT_BOOT_PXELINUX_H

#include <stddef.h>
#include <stdint.h>

/* A file name on the TFTP server, NUL included (TFTP_NAME_MAX). */
#define PXE_PATH_MAX		256
/* An APPEND line, NUL included: Linux's powerpc COMMAND_LINE_SIZE. */
#define PXE_APPEND_MAX		2048
/* A LABEL name as printed, NUL included. */
#define PXE_LABEL_MAX		64
/* pxelinux.cfg/01-<MAC>, 8 to 1 hex digits of the IPv4 address, default. */
#define PXE_CONFIG_NAMES	10

/* The entry a config boots: paths as the config gives them. */
struct pxe_entry {
	char label[PXE_LABEL_MAX];	/* "" for the "DEFAULT kernel args" form */
	char kernel[PXE_PATH_MAX];
	char initrd[PXE_PATH_MAX];	/* INITRD, else the first of APPEND's initrd=; "" when none */
	char append[PXE_APPEND_MAX];	/* APPEND without its initrd= words */
};

/*
 * The index-th config name to try (0 <= index < PXE_CONFIG_NAMES), as
 * PXELINUX tries them: "pxelinux.cfg/01-52-54-00-12-34-56" (ARP type 1,
 * then the MAC in lower-case hex), the client address in upper-case hex
 * ("pxelinux.cfg/0A00020F"), the same less one digit at a time down to
 * one digit, then "pxelinux.cfg/default".  Each is put after dir (the
 * boot file's directory, "" or ending in '/').  0, or -1 when index is
 * out of range or the name does not fit in len bytes.
 */
int pxelinux_config_name(unsigned int index, const char *dir, const uint8_t mac[6],
			 uint32_t ip, char *buf, size_t len);

/*
 * Parse a config of len bytes (not NUL-terminated; CRLF or LF lines;
 * keywords in any case; '#' comments; MENU, PROMPT, TIMEOUT, SAY and
 * every other keyword ignored, TEXT ... ENDTEXT blocks skipped) and pick
 * the entry to boot: the LABEL that DEFAULT names, else the first LABEL,
 * else DEFAULT itself as "kernel args".  A global APPEND is the APPEND of
 * every label without one ("APPEND -": none).  Nothing is ever cut: a
 * field too long for its buffer is refused.  0, or -1 with *why ("no
 * LABEL or DEFAULT", "label linux has no KERNEL", "APPEND of label linux
 * longer than 2047 characters", ...).
 */
int pxelinux_parse(const char *text, size_t len, struct pxe_entry *out, const char **why);

#endif /* VOFKIT_BOOT_PXELINUX_H */
