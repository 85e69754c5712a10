/* SPDX-License-Identifier: Apache-2.0 */
/* CHRP NVRAM partitions: header checksums, layout check, and the layout the nvram driver writes. */
#ifndef VOFKIT_DRIVERS_NVRAM_H
#define VOFKIT_DRIVERS_NVRAM_H

#include <stdbool.h>
#include <stdint.h>

/*
 * A CHRP (LoPAPR) NVRAM is a chain of partitions starting at offset 0.
 * Each one begins with a 16-byte header:
 *   byte 0      signature (the partition's type)
 *   byte 1      checksum over bytes 0 and 2..15
 *   bytes 2-3   length in 16-byte blocks, header included, big-endian
 *   bytes 4-15  name, NUL-padded when shorter than 12 bytes
 * Linux walks the chain at boot and carves its own partitions
 * (ibm,rtas-log, lnx,oops-log) out of a free-space partition; with none
 * it gives up with -ENOSPC.
 *
 * Nothing here touches RTAS: the driver and the unit tests feed it.
 */
#define NVRAM_BLOCK		16u
#define NVRAM_NAME_LEN		12u
#define NVRAM_MAX_BLOCKS	0xffffu	/* the length field is 16 bits */

#define NVRAM_SIG_SYSTEM	0x70	/* "common": Open Firmware variables */
#define NVRAM_SIG_FREE		0x7f	/* free space, named "wwwwwwwwwwww" */
#define NVRAM_SIG_OS		0xa0	/* Linux's ibm,rtas-log and lnx,oops-log */

/*
 * The checksum's readers do not all compute it the same way; they agree
 * except when a carry lands on a fold boundary.
 */
enum nvram_cksum_kind {
	/* Linux (nvram_64.c): 16-bit words, name words in the CPU's byte
	 * order, the carry out of the 32-to-16-bit fold dropped, then the
	 * two bytes added with end-around carry. */
	NVRAM_CKSUM_LINUX_BE,
	NVRAM_CKSUM_LINUX_LE,	/* the same on a little-endian kernel */
	/* The CHRP rule as QEMU's chrp_nvram and OpenBIOS apply it: bytes
	 * added one at a time with end-around carry. */
	NVRAM_CKSUM_CHRP,
	/* SLOF: a 16-bit byte sum, its two bytes added once, no carry back. */
	NVRAM_CKSUM_SLOF,
	NVRAM_CKSUM_KINDS
};

uint8_t nvram_checksum(const uint8_t hdr[NVRAM_BLOCK], enum nvram_cksum_kind kind);

/* Does the stored checksum (byte 1) match any reader's way of computing it? */
bool nvram_header_checksum_ok(const uint8_t hdr[NVRAM_BLOCK]);

/* Length field, in blocks. */
uint16_t nvram_header_blocks(const uint8_t hdr[NVRAM_BLOCK]);

/*
 * Fill a header: signature, length, name (up to 12 bytes, NUL-padded; a
 * 12-byte name has no terminator) and the checksum Linux verifies.
 */
void nvram_header_make(uint8_t hdr[NVRAM_BLOCK], uint8_t sig, uint16_t blocks,
		       const char *name);

/* Why nvram_check() found no valid layout. */
enum nvram_fault {
	NVRAM_FAULT_NONE = 0,
	NVRAM_FAULT_READ,	/* the reader failed */
	NVRAM_FAULT_SIZE,	/* smaller than one header */
	NVRAM_FAULT_CHECKSUM,	/* a header's checksum matches no reader's */
	NVRAM_FAULT_EMPTY,	/* a header gives length 0 */
	NVRAM_FAULT_OVERRUN,	/* a partition runs past the end */
};

const char *nvram_fault_text(enum nvram_fault fault);

/* Reads len bytes at offset into buf; 0 on success. */
typedef int (*nvram_read_fn)(void *ctx, uint32_t offset, void *buf, uint32_t len);

struct nvram_check {
	unsigned int partitions;	/* headers accepted */
	enum nvram_fault fault;
	uint32_t fault_offset;		/* the header at fault */
};

/*
 * A chain walked further than this is taken as formatted without looking
 * at the rest: no real layout has that many partitions, and garbage does
 * not pass this many checksums.
 */
#define NVRAM_CHECK_MAX_PARTITIONS	4096u

/*
 * Walk the headers of an NVRAM of `size` bytes (a trailing part block is
 * ignored, as no partition can cover it).  Valid means: every header
 * passes its checksum, has length >= 1 and stays inside, and the chain
 * ends exactly at the end.  Returns 0 when valid, else -fault (details in
 * *out, which may be NULL).
 */
int nvram_check(uint32_t size, nvram_read_fn read, void *ctx, struct nvram_check *out);

/*
 * The fresh layout: a "common" system partition at offset 0, then free
 * space to the end (several free partitions when more than 0xffff blocks
 * remain).  The rest of the image is zero.
 */
struct nvram_layout {
	uint32_t size;		/* bytes covered: the NVRAM's size rounded down to a block */
	uint32_t common_blocks;	/* the "common" partition, header included */
};

/* Smallest NVRAM nvram_layout_plan() formats (QEMU's own minimum is 8 KiB). */
#define NVRAM_FORMAT_MIN	512u

/* Plan the layout for `size` bytes: 0, or -1 when smaller than NVRAM_FORMAT_MIN. */
int nvram_layout_plan(uint32_t size, struct nvram_layout *l);

/* Number of partitions in the layout. */
unsigned int nvram_layout_partitions(const struct nvram_layout *l);

/* Bytes of free space (headers included). */
uint32_t nvram_layout_free_bytes(const struct nvram_layout *l);

/*
 * Bytes [offset, offset + len) of the formatted image (zeros plus the
 * headers), so the driver can write it in small pieces and a test can
 * render all of it.  The window must lie inside l->size.
 */
void nvram_layout_render(const struct nvram_layout *l, uint32_t offset, uint8_t *buf,
			 uint32_t len);

/*
 * Open Firmware variables live in the first system partition (signature
 * 0x70, its name ignored, as SLOF reads it): NUL-terminated "name=value"
 * strings, the list ended by an empty string.  A string without '=' is
 * no variable.  grub-install and Linux's `nvram --update-config` write
 * boot-device here.
 */
enum nvram_var_status {
	NVRAM_VAR_FOUND = 0,
	NVRAM_VAR_ABSENT,	/* the list ends without the variable */
	NVRAM_VAR_READ,		/* the reader failed */
	NVRAM_VAR_BAD_LAYOUT,	/* nvram_check() refused the chain (details in *chk) */
	NVRAM_VAR_NO_COMMON,	/* no system (0x70) partition */
	NVRAM_VAR_UNTERMINATED,	/* the data runs to the partition's end without its empty string */
	NVRAM_VAR_TOO_LONG,	/* the value does not fit the caller's buffer */
};

const char *nvram_var_status_text(enum nvram_var_status status);

/*
 * Look `name` up in an NVRAM of `size` bytes read through `read`.  Only a
 * valid chain (nvram_check) is searched.  On NVRAM_VAR_FOUND the value is
 * in val, NUL-terminated (vlen bytes at most, NUL included); otherwise val
 * holds nothing useful.  chk (may be NULL) gets the chain check.
 */
enum nvram_var_status nvram_find_var(uint32_t size, nvram_read_fn read, void *ctx,
				     const char *name, char *val, uint32_t vlen,
				     struct nvram_check *chk);

/*
 * The same on this machine's NVRAM (RTAS nvram-fetch).  Returns the
 * value's length, or -1 when there is no NVRAM or no such variable; a
 * partition it cannot read is named in one line.  Reads only.
 */
int nvram_get_var(const char *name, char *val, uint32_t vlen);

#endif /* VOFKIT_DRIVERS_NVRAM_H */
