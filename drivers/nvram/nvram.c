/* SPDX-License-Identifier: Apache-2.0 */
/* nvram driver: give a blank or garbled spapr-nvram a CHRP partition layout; keep a formatted one. */

#define pr_fmt(fmt) "nvram: " fmt
#include <stdbool.h>
#include <string.h>
#include <vofkit/lib/console.h>
#include <vofkit/drivers/nvram.h>
#include <vofkit/lib/byteorder.h>
#include <vofkit/core/init.h>
#include <vofkit/core/mem.h>
#include <vofkit/core/tree.h>
#include <vofkit/core/rtas.h>
#include <vofkit/lib/util.h>
#include <vofkit/lib/log.h>

/*
 * Linux asks for ibm,rtas-log (2079 bytes, at least 1055) and lnx,oops-log
 * (4000, at least 2000), each rounded up to blocks plus a header block.
 * The free space is sized so that both get what they ask for.
 */
#define LINUX_RTAS_LOG_BLOCKS	(ALIGN_UP(2079u, NVRAM_BLOCK) / NVRAM_BLOCK + 1)
#define LINUX_OOPS_LOG_BLOCKS	(ALIGN_UP(4000u, NVRAM_BLOCK) / NVRAM_BLOCK + 1)
#define LINUX_WANTS_BLOCKS	(LINUX_RTAS_LOG_BLOCKS + LINUX_OOPS_LOG_BLOCKS)

/* "common" is 4 KiB as SLOF makes it, smaller only when the NVRAM is. */
#define COMMON_BLOCKS_MAX	256u
#define COMMON_BLOCKS_MIN	16u

/* How many blocks the plan may move to dodge a disputed checksum. */
#define PLAN_NUDGE_MAX		16u

static const char common_name[] = "common";
/* LoPAPR's "0x7...77" free-space name: twelve 'w', no terminator. */
static const char free_name[NVRAM_NAME_LEN] = "wwwwwwwwwwww";

/* Add the two bytes of a 16-bit value, the carry going round once. */
static uint8_t fold16(uint32_t v)
{
	uint32_t s = (v >> 8) + (v & 0xff);

	return (uint8_t)(s + (s >> 8));
}

uint8_t nvram_checksum(const uint8_t hdr[NVRAM_BLOCK], enum nvram_cksum_kind kind)
{
	uint32_t sum = hdr[0];
	unsigned int i;

	switch (kind) {
	case NVRAM_CKSUM_LINUX_BE:
	case NVRAM_CKSUM_LINUX_LE:
		/*
		 * The signature counts as a plain number, the length as a
		 * big-endian word (Linux byte-swaps it first), the name as
		 * six words read in the kernel's own byte order.
		 */
		sum += get_be16(hdr + 2);
		for (i = 4; i < NVRAM_BLOCK; i += 2)
			sum += kind == NVRAM_CKSUM_LINUX_BE ? get_be16(hdr + i) : get_le16(hdr + i);
		/* Linux keeps only 16 bits of this fold: a carry out of it is lost. */
		sum = ((sum & 0xffff) + (sum >> 16)) & 0xffff;
		return fold16(sum);
	case NVRAM_CKSUM_CHRP:
		for (i = 2; i < NVRAM_BLOCK; i++) {
			sum += hdr[i];
			sum = (sum & 0xff) + (sum >> 8);
		}
		return (uint8_t)sum;
	case NVRAM_CKSUM_SLOF:
		for (i = 2; i < NVRAM_BLOCK; i++)
			sum += hdr[i];
		sum &= 0xffff;
		return (uint8_t)((sum >> 8) + (sum & 0xff));
	default:
		return 0;
	}
}

bool nvram_header_checksum_ok(const uint8_t hdr[NVRAM_BLOCK])
{
	unsigned int k;

	/*
	 * Whoever formatted this NVRAM used one of these; accepting any of
	 * them is what keeps a formatted NVRAM from being wiped.
	 */
	for (k = 0; k < NVRAM_CKSUM_KINDS; k++)
		if (hdr[1] == nvram_checksum(hdr, (enum nvram_cksum_kind)k))
			return true;
	return false;
}

uint16_t nvram_header_blocks(const uint8_t hdr[NVRAM_BLOCK])
{
	return (uint16_t)get_be16(hdr + 2);
}

void nvram_header_make(uint8_t hdr[NVRAM_BLOCK], uint8_t sig, uint16_t blocks,
		       const char *name)
{
	memset(hdr, 0, NVRAM_BLOCK);
	hdr[0] = sig;
	hdr[2] = (uint8_t)(blocks >> 8);
	hdr[3] = (uint8_t)blocks;
	memcpy(hdr + 4, name, strnlen(name, NVRAM_NAME_LEN));
	hdr[1] = nvram_checksum(hdr, NVRAM_CKSUM_LINUX_BE);
}

const char *nvram_fault_text(enum nvram_fault fault)
{
	switch (fault) {
	case NVRAM_FAULT_NONE:
		return "valid";
	case NVRAM_FAULT_READ:
		return "read failed";
	case NVRAM_FAULT_SIZE:
		return "smaller than a header";
	case NVRAM_FAULT_CHECKSUM:
		return "bad header checksum";
	case NVRAM_FAULT_EMPTY:
		return "zero-length partition";
	case NVRAM_FAULT_OVERRUN:
		return "partition past the end";
	}
	return "?";
}

int nvram_check(uint32_t size, nvram_read_fn read, void *ctx, struct nvram_check *out)
{
	struct nvram_check c = { 0, NVRAM_FAULT_NONE, 0 };
	uint32_t end = ALIGN_DOWN(size, NVRAM_BLOCK), off = 0;
	uint8_t hdr[NVRAM_BLOCK];

	if (!end)
		c.fault = NVRAM_FAULT_SIZE;
	while (off < end && c.fault == NVRAM_FAULT_NONE &&
	       c.partitions < NVRAM_CHECK_MAX_PARTITIONS) {
		uint32_t blocks;

		c.fault_offset = off;
		if (read(ctx, off, hdr, NVRAM_BLOCK)) {
			c.fault = NVRAM_FAULT_READ;
			break;
		}
		blocks = nvram_header_blocks(hdr);
		if (!nvram_header_checksum_ok(hdr))
			c.fault = NVRAM_FAULT_CHECKSUM;
		else if (!blocks)
			c.fault = NVRAM_FAULT_EMPTY;
		else if (blocks > (end - off) / NVRAM_BLOCK)
			c.fault = NVRAM_FAULT_OVERRUN;
		else {
			off += blocks * NVRAM_BLOCK;
			c.partitions++;
		}
	}
	if (c.fault == NVRAM_FAULT_NONE)
		c.fault_offset = 0;
	if (out)
		*out = c;
	return c.fault == NVRAM_FAULT_NONE ? 0 : -(int)c.fault;
}

static uint32_t layout_free_blocks(const struct nvram_layout *l)
{
	return l->size / NVRAM_BLOCK - l->common_blocks;
}

uint32_t nvram_layout_free_bytes(const struct nvram_layout *l)
{
	return layout_free_blocks(l) * NVRAM_BLOCK;
}

unsigned int nvram_layout_partitions(const struct nvram_layout *l)
{
	return 1 + (layout_free_blocks(l) + NVRAM_MAX_BLOCKS - 1) / NVRAM_MAX_BLOCKS;
}

/* Do Linux (either byte order) and the CHRP byte sum all accept this header? */
static bool header_undisputed(const uint8_t hdr[NVRAM_BLOCK])
{
	return hdr[1] == nvram_checksum(hdr, NVRAM_CKSUM_LINUX_LE) &&
	       hdr[1] == nvram_checksum(hdr, NVRAM_CKSUM_CHRP);
}

static bool layout_undisputed(const struct nvram_layout *l)
{
	uint32_t free = layout_free_blocks(l), last = free % NVRAM_MAX_BLOCKS;
	uint8_t hdr[NVRAM_BLOCK];

	nvram_header_make(hdr, NVRAM_SIG_SYSTEM, (uint16_t)l->common_blocks, common_name);
	if (!header_undisputed(hdr))
		return false;
	/* All free partitions but the last are full-length: check one of them. */
	if (free >= NVRAM_MAX_BLOCKS) {
		nvram_header_make(hdr, NVRAM_SIG_FREE, NVRAM_MAX_BLOCKS, free_name);
		if (!header_undisputed(hdr))
			return false;
	}
	if (last) {
		nvram_header_make(hdr, NVRAM_SIG_FREE, (uint16_t)last, free_name);
		if (!header_undisputed(hdr))
			return false;
	}
	return true;
}

int nvram_layout_plan(uint32_t size, struct nvram_layout *l)
{
	uint32_t total = size / NVRAM_BLOCK, common, i;

	if (size < NVRAM_FORMAT_MIN)
		return -1;
	if (total >= LINUX_WANTS_BLOCKS + COMMON_BLOCKS_MAX)
		common = COMMON_BLOCKS_MAX;
	else if (total >= LINUX_WANTS_BLOCKS + COMMON_BLOCKS_MIN)
		common = total - LINUX_WANTS_BLOCKS;
	else
		common = COMMON_BLOCKS_MIN;
	l->size = total * NVRAM_BLOCK;
	l->common_blocks = common;
	/*
	 * A few lengths give headers whose checksum the readers compute
	 * differently (Linux's lost carry); one or two blocks more for
	 * "common" moves the free header off them.
	 */
	for (i = 0; i < PLAN_NUDGE_MAX && !layout_undisputed(l); i++) {
		if (l->common_blocks + 1 >= total)
			break;
		l->common_blocks++;
	}
	if (!layout_undisputed(l))
		l->common_blocks = common;
	return 0;
}

/* Copy the part of the 16-byte header at hoff that falls in [woff, woff + len). */
static void put_header(const uint8_t hdr[NVRAM_BLOCK], uint32_t hoff, uint8_t *buf,
		       uint32_t woff, uint32_t len)
{
	uint32_t from = MAX(hoff, woff), to = MIN(hoff + NVRAM_BLOCK, woff + len);

	if (from < to)
		memcpy(buf + (from - woff), hdr + (from - hoff), to - from);
}

void nvram_layout_render(const struct nvram_layout *l, uint32_t offset, uint8_t *buf,
			 uint32_t len)
{
	const uint32_t chunk = NVRAM_MAX_BLOCKS * NVRAM_BLOCK;
	uint32_t free_start = l->common_blocks * NVRAM_BLOCK, hoff, k;
	uint8_t hdr[NVRAM_BLOCK];

	memset(buf, 0, len);
	nvram_header_make(hdr, NVRAM_SIG_SYSTEM, (uint16_t)l->common_blocks, common_name);
	put_header(hdr, 0, buf, offset, len);

	/* Free partitions start every `chunk` bytes from free_start. */
	k = offset > free_start + NVRAM_BLOCK ? (offset - free_start - NVRAM_BLOCK) / chunk : 0;
	for (hoff = free_start + k * chunk; hoff < l->size && hoff < offset + len;
	     hoff += chunk) {
		uint32_t blocks = MIN((l->size - hoff) / NVRAM_BLOCK, NVRAM_MAX_BLOCKS);

		nvram_header_make(hdr, NVRAM_SIG_FREE, (uint16_t)blocks, free_name);
		put_header(hdr, hoff, buf, offset, len);
		if (l->size - hoff <= chunk)
			break;
	}
}

const char *nvram_var_status_text(enum nvram_var_status status)
{
	switch (status) {
	case NVRAM_VAR_FOUND:
		return "found";
	case NVRAM_VAR_ABSENT:
		return "not set";
	case NVRAM_VAR_READ:
		return "read failed";
	case NVRAM_VAR_BAD_LAYOUT:
		return "partition chain not valid";
	case NVRAM_VAR_NO_COMMON:
		return "no common partition";
	case NVRAM_VAR_UNTERMINATED:
		return "common partition data not terminated";
	case NVRAM_VAR_TOO_LONG:
		return "value too long";
	}
	return "?";
}

/* Bytes read at a time while scanning the variables. */
#define NVRAM_SCAN_CHUNK	64u

enum nvram_var_status nvram_find_var(uint32_t size, nvram_read_fn read, void *ctx,
				     const char *name, char *val, uint32_t vlen,
				     struct nvram_check *chk)
{
	uint32_t end = ALIGN_DOWN(size, NVRAM_BLOCK), off = 0, blocks = 0;
	uint32_t nlen = (uint32_t)strlen(name), col = 0, vpos = 0, pos, data_end;
	uint8_t hdr[NVRAM_BLOCK], chunk[NVRAM_SCAN_CHUNK];
	bool match = true, in_value = false, found = false;
	struct nvram_check c;

	if (!nlen)
		return NVRAM_VAR_ABSENT;
	if (!vlen)
		return NVRAM_VAR_TOO_LONG;
	if (nvram_check(size, read, ctx, &c)) {
		if (chk)
			*chk = c;
		return c.fault == NVRAM_FAULT_READ ? NVRAM_VAR_READ : NVRAM_VAR_BAD_LAYOUT;
	}
	if (chk)
		*chk = c;
	/* The chain is valid: every header is inside and non-empty. */
	for (; off < end; off += blocks * NVRAM_BLOCK) {
		if (read(ctx, off, hdr, NVRAM_BLOCK))
			return NVRAM_VAR_READ;
		blocks = nvram_header_blocks(hdr);
		if (hdr[0] == NVRAM_SIG_SYSTEM)
			break;
	}
	if (off >= end)
		return NVRAM_VAR_NO_COMMON;
	data_end = off + blocks * NVRAM_BLOCK;
	/*
	 * One pass over the strings, a chunk at a time, to the empty string
	 * that ends them: `col` is the position in the current string, `match`
	 * whether it still starts "name=".
	 */
	for (pos = off + NVRAM_BLOCK; pos < data_end; pos += NVRAM_SCAN_CHUNK) {
		uint32_t n = MIN(NVRAM_SCAN_CHUNK, data_end - pos), i;

		if (read(ctx, pos, chunk, n))
			return NVRAM_VAR_READ;
		for (i = 0; i < n; i++) {
			char ch = (char)chunk[i];

			if (in_value) {
				if (!ch) {
					/* keep going: only a list that ends properly is used */
					val[vpos] = '\0';
					found = true;
					in_value = false;
					col = 0;
					match = false;
					continue;
				}
				if (vpos + 1 >= vlen)
					return NVRAM_VAR_TOO_LONG;
				val[vpos++] = ch;
				continue;
			}
			if (!ch) {
				if (!col)	/* the empty string ends the list */
					return found ? NVRAM_VAR_FOUND : NVRAM_VAR_ABSENT;
				col = 0;
				match = !found;	/* the first definition wins */
				continue;
			}
			if (match && col < nlen) {
				match = ch == name[col];
			} else if (match) {
				/* the whole name matched: this string is it only if '=' follows */
				in_value = ch == '=';
				match = in_value;
			}
			col++;
		}
	}
	return NVRAM_VAR_UNTERMINATED;
}

/* ---- RTAS side ---- */

/* Bytes moved per RTAS call; the buffer is on the stack. */
#define NVRAM_IO_CHUNK	256u

static int32_t nvram_rtas_status;	/* of the last failed call, for messages */

/* nvram-fetch / nvram-store: (offset, buffer real address, length) -> status, actual. */
static int nvram_rtas(const char *fn, uint32_t offset, void *buf, uint32_t len)
{
	uint32_t args[3] = { offset, (uint32_t)virt_to_phys(buf), len };
	uint32_t actual = 0;
	int32_t status = rtas_call(fn, 3, args, 1, &actual);

	if (status == 0 && actual != len)
		status = -1;		/* a short transfer is a hardware error */
	if (status)
		nvram_rtas_status = status;
	return status ? -1 : 0;
}

static int nvram_rtas_read(void *ctx, uint32_t offset, void *buf, uint32_t len)
{
	(void)ctx;
	return nvram_rtas("nvram-fetch", offset, buf, len);
}

static int nvram_write_chunk(const struct nvram_layout *l, uint32_t off)
{
	uint8_t buf[NVRAM_IO_CHUNK] __attribute__((aligned(16)));
	uint32_t len = MIN(NVRAM_IO_CHUNK, l->size - off);

	nvram_layout_render(l, off, buf, len);
	return nvram_rtas("nvram-store", off, buf, len);
}

/*
 * Write the whole layout.  The first chunk goes last: until then the old
 * first header (the one that failed the check) stays in place, so a
 * format cut short is found invalid and redone at the next boot.
 */
static int nvram_format(const struct nvram_layout *l, uint32_t *fail_off)
{
	uint32_t off;

	for (off = NVRAM_IO_CHUNK; off < l->size; off += NVRAM_IO_CHUNK) {
		*fail_off = off;
		if (nvram_write_chunk(l, off))
			return -1;
	}
	*fail_off = 0;
	return nvram_write_chunk(l, 0);
}

static int nvram_init(void)
{
	struct nvram_check chk, after;
	struct nvram_layout l;
	uint32_t ph, size, fail_off;

	/* Tree lookup without the unit address: QEMU names it nvram@<reg>. */
	ph = tree_find("/vdevice/nvram", NULL);
	if (!ph || tree_read_exact(ph, "#bytes", &size, sizeof(size)))
		return 0;

	if (!nvram_check(size, nvram_rtas_read, NULL, &chk)) {
		pr_info("%u partitions in %u KiB, keeping them\n",
			  chk.partitions, size >> 10);
		return 0;
	}
	if (chk.fault == NVRAM_FAULT_READ) {
		/* Never write what could not be read: it may well be formatted. */
		pr_warn("nvram-fetch at 0x%x failed (%d); left alone\n",
			  chk.fault_offset, (int)nvram_rtas_status);
		return 0;
	}
	if (nvram_layout_plan(size, &l)) {
		pr_warn("%s at 0x%x, but %u bytes are too few to format\n",
			nvram_fault_text(chk.fault), chk.fault_offset, size);
		return 0;
	}
	if (nvram_format(&l, &fail_off)) {
		pr_err("nvram-store at 0x%x failed (%d); format incomplete\n",
			  fail_off, (int)nvram_rtas_status);
		return 0;
	}
	if (nvram_check(size, nvram_rtas_read, NULL, &after)) {
		pr_err("formatted, but reading back found %s at 0x%x\n",
			  nvram_fault_text(after.fault), after.fault_offset);
		return 0;
	}
	/* A never-formatted NVRAM (QEMU creates it zero-filled) is blank, not broken. */
	if (chk.fault == NVRAM_FAULT_EMPTY && !chk.fault_offset)
		pr_info("blank (never formatted); formatted %u KiB (common %u + free space %u bytes)\n",
			size >> 10, l.common_blocks * NVRAM_BLOCK, nvram_layout_free_bytes(&l));
	else
		pr_info("%s at 0x%x; formatted %u KiB (common %u + free space %u bytes)\n",
			nvram_fault_text(chk.fault), chk.fault_offset, size >> 10,
			l.common_blocks * NVRAM_BLOCK, nvram_layout_free_bytes(&l));
	return 0;
}
FW_INIT(nvram_init, FW_INIT_DRIVER, "NVRAM");

int nvram_get_var(const char *name, char *val, uint32_t vlen)
{
	struct nvram_check chk;
	enum nvram_var_status st;
	uint32_t ph, size;

	ph = tree_find("/vdevice/nvram", NULL);
	if (!ph || tree_read_exact(ph, "#bytes", &size, sizeof(size)))
		return -1;
	st = nvram_find_var(size, nvram_rtas_read, NULL, name, val, vlen, &chk);
	switch (st) {
	case NVRAM_VAR_FOUND:
		return (int)strlen(val);
	case NVRAM_VAR_ABSENT:
		return -1;
	case NVRAM_VAR_BAD_LAYOUT:
		pr_warn("%s at 0x%x; %s not read\n", nvram_fault_text(chk.fault),
			chk.fault_offset, name);
		return -1;
	case NVRAM_VAR_READ:
		pr_warn("nvram-fetch failed (%d); %s not read\n", (int)nvram_rtas_status, name);
		return -1;
	default:
		pr_warn("%s; %s not read\n", nvram_var_status_text(st), name);
		return -1;
	}
}
