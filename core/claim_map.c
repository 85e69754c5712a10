/* SPDX-License-Identifier: Apache-2.0 */
/* The native pairing's memory map: claims over /memory@0, with "available" kept current (served to clients by ci-services/claim). */

#define pr_fmt(fmt) "memory: " fmt
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <libfdt.h>
#include <vofkit/core/claim_map.h>
#include <vofkit/lib/console.h>
#include <vofkit/lib/log.h>
#include <vofkit/core/heap.h>
#include <vofkit/core/init.h>
#include <vofkit/core/tree.h>
#include <vofkit/lib/util.h>

/*
 * In the native pairing the firmware owns memory, so it keeps the claim map.
 *
 * RAM is the first "reg" range of /memory@0, cut at 4 GiB because claim and
 * release take 32-bit cells.  On QEMU that range is the RMA, the memory a
 * real-mode client can touch.  Other memory nodes are never handed out.
 *
 * The table holds every claim as its own [base, end) entry, sorted by base
 * and never overlapping.  Adjacent claims are not merged: each stays what its
 * caller claimed, which keeps the trace readable.  Release works on byte
 * ranges either way: it trims, splits or drops whichever entries it covers.
 * 64 entries covers Linux's prom_init (a handful of claims) and GRUB 2.06 (heap,
 * kernel, initrd, a few relocator chunks) with room to spare.  When the table
 * is full, a claim fails cleanly; nothing is evicted.
 *
 * Claims with align != 0 use first fit from the bottom.  The align is rounded
 * up to a power of two and the base is the lowest aligned address at or above
 * fw_heap_end() where the size fits below min(RAM end, 4 GiB).  Going
 * bottom-up keeps the top of the RMA free: Linux's alloc_down puts RTAS
 * there with exact claims.
 *
 * "available" is RAM minus the claims, sorted, with no two ranges touching
 * (gaps between sorted, disjoint claims are maximal by construction).  GRUB
 * reads it into a 512-byte buffer and fails if it is bigger, so at most 32
 * ranges are published.  When there are more holes, the 32 largest are kept
 * (a tie keeps the lower address).  Leaving out a small hole is safe: a
 * client just does not use that memory.  Listing claimed memory would not be
 * safe.  The property is rewritten after every change to the table.  If the
 * tree cannot store it, the change is undone, so "available" never disagrees
 * with the table.
 */

#define CLAIM_MAX	64
#define AVAIL_MAX	32
#define LIMIT_4G	(1ull << 32)
#define CLAIM_FAILED	0xffffffffu	/* internal: no base (0 is always the firmware's) */

struct range {
	uint64_t base, end;	/* [base, end), end > base */
};

static struct range claims[CLAIM_MAX];
static unsigned int nclaims;
/* Kept so a change can be undone when "available" cannot be written. */
static struct range saved[CLAIM_MAX];
static unsigned int nsaved;

static uint64_t ram_base, ram_end;
static uint32_t addr_cells, size_cells;
static uint32_t mem_node;
static bool ready;

/* Built in .bss: the CI stack is small and these are 0.5 KiB each. */
static uint32_t avail_cells[AVAIL_MAX * 4];
static struct range holes[CLAIM_MAX + 1];

/* A root cell count, with the IEEE 1275 default when it is missing. */
static int read_cell_count(uint32_t root, const char *name, uint32_t dflt, uint32_t *out)
{
	const fdt32_t *p;
	int len;

	p = tree_getprop(root, name, &len);
	if (!p) {
		*out = dflt;
		return 0;
	}
	if (len != 4)
		return -1;
	*out = fdt32_to_cpu(*p);
	/* Addresses and sizes are handled as 64-bit numbers here. */
	return (*out == 1 || *out == 2) ? 0 : -1;
}

/* A 1- or 2-cell big-endian number (cells as stored in the tree). */
static uint64_t read_number(const fdt32_t *p, uint32_t ncells)
{
	uint64_t v = 0;

	while (ncells--)
		v = (v << 32) | fdt32_to_cpu(*p++);
	return v;
}

static fdt32_t *write_number(fdt32_t *p, uint64_t v, uint32_t ncells)
{
	if (ncells == 2)
		*p++ = cpu_to_fdt32((uint32_t)(v >> 32));
	*p++ = cpu_to_fdt32((uint32_t)v);
	return p;
}

/* RAM = the first /memory@0 "reg" range, below 4 GiB. */
static int read_ram(void)
{
	const fdt32_t *reg;
	uint64_t base, size;
	int len;

	if (read_cell_count(tree_root(), "#address-cells", 2, &addr_cells) ||
	    read_cell_count(tree_root(), "#size-cells", 1, &size_cells))
		return -1;
	mem_node = tree_find("/memory@0", NULL);
	if (!mem_node)
		return -1;
	reg = tree_getprop(mem_node, "reg", &len);
	if (!reg || len < (int)(4 * (addr_cells + size_cells)))
		return -1;
	base = read_number(reg, addr_cells);
	size = read_number(reg + addr_cells, size_cells);
	if (!size || base >= LIMIT_4G)
		return -1;
	ram_base = base;
	ram_end = size >= LIMIT_4G - base ? LIMIT_4G : base + size;
	return 0;
}

/* Index of the first claim that overlaps [base, end), or -1. */
static int find_overlap(uint64_t base, uint64_t end)
{
	unsigned int i;

	for (i = 0; i < nclaims; i++)
		if (claims[i].base < end && base < claims[i].end)
			return (int)i;
	return -1;
}

/* Insert a claim known not to overlap; -1 when the table is full. */
static int table_insert(uint64_t base, uint64_t end)
{
	unsigned int i = 0;

	if (nclaims == CLAIM_MAX)
		return -1;
	while (i < nclaims && claims[i].base < base)
		i++;
	memmove(&claims[i + 1], &claims[i], (nclaims - i) * sizeof(claims[0]));
	claims[i].base = base;
	claims[i].end = end;
	nclaims++;
	return 0;
}

static void table_remove(unsigned int i)
{
	memmove(&claims[i], &claims[i + 1], (nclaims - i - 1) * sizeof(claims[0]));
	nclaims--;
}

/*
 * Pre-claim [base, base+size) ∩ RAM, skipping what is already claimed:
 * memreserve entries may overlap each other or the firmware.
 */
static int table_reserve(uint64_t base, uint64_t size)
{
	uint64_t end = size > UINT64_MAX - base ? UINT64_MAX : base + size;
	uint64_t pos = MAX(base, ram_base), gap_end;
	unsigned int i = 0;

	end = MIN(end, ram_end);
	while (pos < end) {
		while (i < nclaims && claims[i].end <= pos)
			i++;
		if (i < nclaims && claims[i].base <= pos) {
			pos = claims[i].end;	/* inside a claim: skip it */
			continue;
		}
		gap_end = i < nclaims ? MIN(claims[i].base, end) : end;
		if (table_insert(pos, gap_end))
			return -1;
		pos = gap_end;
	}
	return 0;
}

#define NO_FIT UINT64_MAX

/* Lowest aligned base >= max(RAM base, fw_heap_end()) where size fits, or NO_FIT. */
static uint64_t find_fit(uint64_t size, uint64_t align)
{
	uint64_t pos = MAX(ram_base, fw_heap_end());
	unsigned int i;

	for (i = 0; i <= nclaims; i++) {
		uint64_t gap_end = i < nclaims ? claims[i].base : ram_end;
		uint64_t base = ALIGN_UP(pos, align);

		if (base < gap_end && size <= gap_end - base)
			return base;
		if (i < nclaims)
			pos = MAX(pos, claims[i].end);
	}
	return NO_FIT;
}

enum release_result {
	RELEASE_DONE,		/* every byte of the range was claimed, now free */
	RELEASE_PARTLY,		/* some bytes were not claimed; the rest is free */
	RELEASE_NOTHING,	/* nothing in the range was claimed */
	RELEASE_FULL,		/* a split needs a slot the table does not have */
};

/* Free [base, end) from every claim covering part of it. */
static enum release_result table_release(uint64_t base, uint64_t end)
{
	uint64_t freed = 0;
	unsigned int i;

	/*
	 * Only a claim strictly containing the range is split, and then it is
	 * the only claim touched: check for room before changing anything.
	 */
	for (i = 0; i < nclaims; i++)
		if (claims[i].base < base && claims[i].end > end && nclaims == CLAIM_MAX)
			return RELEASE_FULL;

	for (i = 0; i < nclaims;) {
		struct range *c = &claims[i];

		if (c->end <= base || c->base >= end) {
			i++;
			continue;
		}
		freed += MIN(c->end, end) - MAX(c->base, base);
		if (c->base < base && c->end > end) {
			uint64_t tail = c->end;

			c->end = base;
			table_insert(end, tail);	/* room checked above */
			break;
		}
		if (c->base < base) {
			c->end = base;
			i++;
		} else if (c->end > end) {
			/* Still sorted: the claim before ends at or below base. */
			c->base = end;
			i++;
		} else {
			table_remove(i);
		}
	}
	if (!freed)
		return RELEASE_NOTHING;
	return freed == end - base ? RELEASE_DONE : RELEASE_PARTLY;
}

/* The free ranges of RAM, in address order; returns how many. */
static unsigned int collect_holes(void)
{
	uint64_t pos = ram_base;
	unsigned int i, n = 0;

	for (i = 0; i < nclaims; i++) {
		if (claims[i].base > pos) {
			holes[n].base = pos;
			holes[n++].end = claims[i].base;
		}
		pos = MAX(pos, claims[i].end);
	}
	if (ram_end > pos) {
		holes[n].base = pos;
		holes[n++].end = ram_end;
	}
	return n;
}

/* Drop the smallest holes until `max` are left (a tie drops the higher one). */
static unsigned int keep_largest(unsigned int n, unsigned int max)
{
	while (n > max) {
		unsigned int i, min = 0;

		for (i = 1; i < n; i++)
			if (holes[i].end - holes[i].base <= holes[min].end - holes[min].base)
				min = i;
		memmove(&holes[min], &holes[min + 1], (n - min - 1) * sizeof(holes[0]));
		n--;
	}
	return n;
}

/* Rewrite /memory@0 "available" from the table; 0 or -1. */
static int publish_available(void)
{
	unsigned int i, n = keep_largest(collect_holes(), AVAIL_MAX);
	fdt32_t *p = (fdt32_t *)avail_cells;

	for (i = 0; i < n; i++) {
		uint64_t size = holes[i].end - holes[i].base;

		/* Only [0, 4 GiB) as one hole could need 33 bits: say a byte less. */
		if (size_cells == 1 && size > UINT32_MAX)
			size = UINT32_MAX;
		p = write_number(p, holes[i].base, addr_cells);
		p = write_number(p, size, size_cells);
	}
	return tree_setprop(mem_node, "available", avail_cells,
			    (int)((char *)p - (char *)avail_cells)) ? -1 : 0;
}

static void table_save(void)
{
	memcpy(saved, claims, nclaims * sizeof(claims[0]));
	nsaved = nclaims;
}

/* Publish the changed table, or put the saved one back. */
static int table_commit(void)
{
	if (!publish_available())
		return 0;
	memcpy(claims, saved, nsaved * sizeof(claims[0]));
	nclaims = nsaved;
	log_trace("claim: cannot update /memory@0 available; change undone");
	return -1;
}

/* Exact claim of [virt, virt+size); the base or CLAIM_FAILED. */
static uint32_t claim_exact(uint32_t virt, uint32_t size)
{
	uint64_t end = (uint64_t)virt + size;
	int i;

	if (end > LIMIT_4G) {
		log_trace("claim: %x+%x wraps past 4 GiB", virt, size);
		return CLAIM_FAILED;
	}
	if (virt < ram_base || end > ram_end) {
		log_trace("claim: %x+%x is outside RAM [%llx, %llx)", virt, size,
			      (unsigned long long)ram_base, (unsigned long long)ram_end);
		return CLAIM_FAILED;
	}
	i = find_overlap(virt, end);
	if (i >= 0) {
		log_trace("claim: %x+%x overlaps the claim [%llx, %llx)", virt, size,
			      (unsigned long long)claims[i].base,
			      (unsigned long long)claims[i].end);
		return CLAIM_FAILED;
	}
	table_save();
	if (table_insert(virt, end)) {
		log_trace("claim: table full (%u claims)", (unsigned int)CLAIM_MAX);
		return CLAIM_FAILED;
	}
	return table_commit() ? CLAIM_FAILED : virt;
}

/* Aligned claim anywhere; the base or CLAIM_FAILED. */
static uint32_t claim_aligned(uint32_t size, uint32_t align)
{
	uint64_t a = 1, base;

	/* Up to 2^32: only 0 is aligned to that, and 0 is the firmware's. */
	while (a < align)
		a <<= 1;
	base = find_fit(size, a);
	if (base == NO_FIT) {
		log_trace("claim: no free %x bytes aligned to %llx", size,
			      (unsigned long long)a);
		return CLAIM_FAILED;
	}
	table_save();
	if (table_insert(base, base + size)) {
		log_trace("claim: table full (%u claims)", (unsigned int)CLAIM_MAX);
		return CLAIM_FAILED;
	}
	return table_commit() ? CLAIM_FAILED : (uint32_t)base;
}

int claim_map_claim(uint32_t addr, uint32_t size, uint32_t align, uint32_t *base)
{
	uint32_t got;

	if (!ready) {
		log_trace("claim: no claim map (memory init failed or not run)");
		return -1;
	}
	if (!size) {
		log_trace("claim: size 0");
		return -1;
	}
	got = align ? claim_aligned(size, align) : claim_exact(addr, size);
	if (got == CLAIM_FAILED)
		return -1;
	*base = got;
	return 0;
}

/*
 * Frees whatever claimed bytes lie in the range. It may be part of a claim
 * (the claim is split) or span several. IEEE 1275's release has no failure
 * return, so refusals only show in the CI trace: the firmware's own range,
 * a range that wraps, and a split that would overflow the table.
 */
void claim_map_release(uint32_t virt, uint32_t size)
{
	uint64_t end = (uint64_t)virt + size;
	enum release_result r;

	if (!ready) {
		log_trace("release: no claim map");
		return;
	}
	if (!size) {
		log_trace("release: size 0, nothing to do");
		return;
	}
	if (end > LIMIT_4G) {
		log_trace("release: %x+%x wraps past 4 GiB; refused", virt, size);
		return;
	}
	/* The firmware's code, stack and heap must outlive every client. */
	if (virt < fw_heap_end()) {
		log_trace("release: %x+%x includes firmware memory; refused", virt, size);
		return;
	}
	table_save();
	r = table_release(virt, end);
	switch (r) {
	case RELEASE_NOTHING:
		log_trace("release: %x+%x was not claimed; nothing to do", virt, size);
		return;
	case RELEASE_FULL:
		log_trace("release: splitting a claim at %x+%x needs a free slot; "
			  "table full, refused", virt, size);
		return;
	case RELEASE_PARTLY:
		log_trace("release: part of %x+%x was not claimed", virt, size);
		break;
	case RELEASE_DONE:
		break;
	}
	table_commit();
}

/*
 * Runs after pairing_init made the tree and before anything may claim.
 * Pre-claims [0, fw_heap_end()): vectors, the image, .bss, the stack and the
 * heap that holds the tree copy.  It also pre-claims every memreserve entry
 * of QEMU's tree: the -kernel image and the initrd.  The tree copy keeps the
 * memreserve block.  QEMU's original FDT is not reserved: it was copied into
 * the heap, so its memory may be reused.  Running this again rebuilds the
 * map from scratch.
 */
static int claim_memory_init(void)
{
	const void *fdt = tree_blob();
	uint64_t addr, size;
	int i, n;

	ready = false;
	nclaims = 0;
	if (read_ram()) {
		pr_err("no usable /memory@0 reg\n");
		return -1;
	}
	if (table_reserve(0, fw_heap_end()))
		return -1;
	n = fdt ? fdt_num_mem_rsv(fdt) : 0;
	if (n < 0) {
		pr_err("corrupt memreserve list (%d)\n", n);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (fdt_get_mem_rsv(fdt, i, &addr, &size) || table_reserve(addr, size)) {
			pr_err("cannot reserve memreserve range %d\n", i);
			return -1;
		}
	}
	if (publish_available()) {
		pr_err("cannot write /memory@0 available\n");
		return -1;
	}
	ready = true;
	return 0;
}
FW_INIT(claim_memory_init, FW_INIT_MEMORY, "the memory map");
