/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the NVMe driver against a fake controller behind a fake TCE window: odd namespaces, hostile states, reads. */

/*
 * drivers/nvme/nvme.c runs unchanged (-DVOFKIT_HOST) against:
 *   - one fake PCI device (class 0x010802) whose BAR0 is a fake NVMe
 *     controller that executes admin and read commands when a doorbell is
 *     written, the way QEMU 7.2's does (CC checks at enable, phase bits,
 *     PRP1/PRP2/PRP lists), reaching memory only through
 *   - a fake TCE table for LIOBN 0x80000000 (1 GiB window): every DMA of
 *     the controller is translated there and must hit a mapped page with
 *     the right permission, or the test fails;
 *   - fakes of the tree, the block registry, the heap and the clock.
 * Each test gives the controller a new BAR address; controllers of earlier
 * tests that the driver still lists read as all-ones (gone).
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "capture.h"
#include <vofkit/core/device.h>
#include <vofkit/core/init.h>
#include <vofkit/core/mem.h>
#include <vofkit/core/tree.h>
#include <vofkit/drivers/pci.h>
#include <vofkit/drivers/tce.h>
#include <vofkit/lib/console.h>

#define RAM_SIZE	(16u << 20)
#define LIOBN		0x80000000u
#define WINDOW		(1ull << 30)
#define PH_PHB		5u
#define PH_CTRL		10u
#define PH_NS_BASE	100u
#define MAX_NS		4

/* ---- simulated RAM, heap, clock: dma_ram.h ---- */

#include "dma_ram.h"

/* ---- TCE window ---- */

static uint64_t tce[WINDOW / TCE_PAGE_SIZE];
static unsigned int dma_faults;

int tce_map(uint32_t liobn, uint64_t ioba, uint64_t phys, uint64_t len, uint64_t perm)
{
	uint64_t off;

	assert_int_equal(liobn, LIOBN);
	assert_int_equal(ioba % TCE_PAGE_SIZE, 0);
	assert_int_equal(phys % TCE_PAGE_SIZE, 0);
	assert_true(ioba != 0);		/* IOBA 0 is never used */
	for (off = 0; off < len; off += TCE_PAGE_SIZE) {
		if (ioba + off >= WINDOW)
			return -1;
		tce[(ioba + off) / TCE_PAGE_SIZE] = (phys + off) | perm;
	}
	return 0;
}

int tce_unmap(uint32_t liobn, uint64_t ioba, uint64_t len)
{
	uint64_t off;

	assert_int_equal(liobn, LIOBN);
	for (off = 0; off < len; off += TCE_PAGE_SIZE)
		if (ioba + off < WINDOW)
			tce[(ioba + off) / TCE_PAGE_SIZE] = 0;
	return 0;
}

static unsigned int tces_set(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < WINDOW / TCE_PAGE_SIZE; i++)
		n += tce[i] != 0;
	return n;
}

/* The controller's view of [ioba, ioba + len) (within one page), or NULL (a DMA fault). */
static uint8_t *dma(uint64_t ioba, uint32_t len, uint64_t perm)
{
	uint64_t e;

	if (ioba >= WINDOW || (ioba % TCE_PAGE_SIZE) + len > TCE_PAGE_SIZE)
		goto fault;
	e = tce[ioba / TCE_PAGE_SIZE];
	if (!(e & perm))
		goto fault;
	return ram + (e & ~(TCE_PAGE_SIZE - 1)) + ioba % TCE_PAGE_SIZE;
fault:
	dma_faults++;
	return NULL;
}

/* ---- the fake controller ---- */

struct fake_ns {
	uint64_t nsze;
	uint8_t lbads;
	uint16_t ms;
	int extended;	/* metadata inside the data blocks (FLBAS bit 4) */
};

static struct {
	uint64_t base;	/* BAR0 */
	uint32_t cc, csts, aqa;
	uint64_t asq, acq;
	uint8_t mdts;
	uint32_t nn;
	int no_cns2;		/* Identify CNS 2 answers Invalid Field */
	int cfs_on_enable;
	int hang_reads;		/* read commands never complete */
	int queue_regs_while_enabled;	/* AQA/ASQ/ACQ written with CC.EN = 1 */
	int unmapped_while_enabled;	/* a TCE cleared while the controller could still DMA */
	struct fake_ns ns[MAX_NS + 1];	/* by NSID */
	/* queues: 0 admin, 1 I/O */
	uint64_t sq_base[2], cq_base[2];
	uint16_t sq_size[2], cq_size[2], sq_head[2], cq_tail[2];
	uint8_t phase[2];
	int live[2];
	unsigned int reads, shutdowns;
	uint32_t max_read_blocks;
} f;

static uint8_t pattern(uint32_t nsid, uint64_t byte)
{
	return (uint8_t)(byte * 7 + (byte >> 9) * 13 + nsid * 101);
}

static void put_le(uint8_t *p, uint64_t v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le(const uint8_t *p, int n)
{
	uint64_t v = 0;
	int i;

	for (i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void post(int q, uint16_t cid, uint16_t status)
{
	uint8_t *cqe = dma(f.cq_base[q] + (uint64_t)f.cq_tail[q] * 16, 16, TCE_WRITE);

	if (!cqe)
		return;
	put_le(cqe, 0, 4);
	put_le(cqe + 4, 0, 4);
	put_le(cqe + 8, f.sq_head[q], 2);
	put_le(cqe + 10, (uint64_t)q, 2);
	put_le(cqe + 12, cid, 2);
	put_le(cqe + 14, (uint64_t)(status << 1 | f.phase[q]), 2);
	if (++f.cq_tail[q] == f.cq_size[q]) {
		f.cq_tail[q] = 0;
		f.phase[q] ^= 1;
	}
}

/* Write len bytes of the namespace's content (from disk byte `from`) through PRP1/PRP2. */
static uint16_t do_read(uint32_t nsid, uint64_t from, uint64_t len, uint64_t prp1, uint64_t prp2)
{
	uint64_t done = 0, list = 0, page = prp1;
	unsigned int idx = 0;

	if ((prp1 & 3) || (prp2 & 0xfff))
		return 0x13;	/* PRP offset invalid */
	if (len > TCE_PAGE_SIZE - (prp1 & 0xfff) + TCE_PAGE_SIZE)
		list = prp2;
	while (done < len) {
		uint32_t n = (uint32_t)(TCE_PAGE_SIZE - (page & 0xfff));
		uint8_t *p;
		uint32_t i;

		if (n > len - done)
			n = (uint32_t)(len - done);
		p = dma(page, n, TCE_WRITE);
		if (!p)
			return 0x6;	/* internal error: DMA failed */
		for (i = 0; i < n; i++)
			p[i] = pattern(nsid, from + done + i);
		done += n;
		if (done >= len)
			break;
		if (!list) {
			page = prp2;
		} else {
			uint8_t *e = dma(list + 8 * idx++, 8, TCE_READ);

			if (!e)
				return 0x6;
			page = get_le(e, 8);
		}
	}
	return 0;
}

static uint16_t admin(const uint8_t *sqe)
{
	uint8_t op = sqe[0];
	uint32_t nsid = (uint32_t)get_le(sqe + 4, 4), cdw10 = (uint32_t)get_le(sqe + 40, 4);
	uint32_t cdw11 = (uint32_t)get_le(sqe + 44, 4);
	uint64_t prp1 = get_le(sqe + 24, 8);
	uint8_t *page;
	uint32_t i, n;

	switch (op) {
	case 0x06:	/* Identify */
		page = dma(prp1, 4096, TCE_WRITE);
		if (!page)
			return 0x6;
		memset(page, 0, 4096);
		switch (cdw10 & 0xff) {
		case 1:
			page[77] = f.mdts;
			put_le(page + 516, f.nn, 4);
			return 0;
		case 2:
			if (f.no_cns2)
				return 0x2;
			for (i = 1, n = 0; i <= MAX_NS && i <= f.nn; i++)
				if (f.ns[i].nsze && i > nsid)
					put_le(page + 4 * n++, i, 4);
			return 0;
		case 0:
			if (!nsid || nsid > f.nn)
				return 0x0b;	/* invalid namespace */
			if (nsid > MAX_NS || !f.ns[nsid].nsze)
				return 0;	/* inactive: all zeros */
			put_le(page, f.ns[nsid].nsze, 8);
			page[26] = f.ns[nsid].extended ? 0x10 : 0;
			put_le(page + 128, (uint64_t)f.ns[nsid].lbads << 16 | f.ns[nsid].ms, 4);
			return 0;
		}
		return 0x2;
	case 0x05:	/* Create I/O CQ */
		if ((cdw10 & 0xffff) != 1 || !(cdw11 & 1) || f.live[1])
			return 0x2;
		f.cq_base[1] = prp1;
		f.cq_size[1] = (uint16_t)((cdw10 >> 16) + 1);
		f.cq_tail[1] = 0;
		f.phase[1] = 1;
		return 0;
	case 0x01:	/* Create I/O SQ */
		if ((cdw10 & 0xffff) != 1 || !(cdw11 & 1) || (cdw11 >> 16) != 1 || !f.cq_size[1])
			return 0x2;
		f.sq_base[1] = prp1;
		f.sq_size[1] = (uint16_t)((cdw10 >> 16) + 1);
		f.sq_head[1] = 0;
		f.live[1] = 1;
		return 0;
	}
	return 0x1;	/* invalid opcode */
}

static int io(const uint8_t *sqe, uint16_t *status)
{
	uint32_t nsid = (uint32_t)get_le(sqe + 4, 4);
	uint64_t slba = get_le(sqe + 40, 8);
	uint32_t nlb = (uint32_t)(get_le(sqe + 48, 4) & 0xffff) + 1, bs;
	struct fake_ns *ns;

	if (sqe[0] != 0x02) {
		*status = 0x1;
		return 1;
	}
	if (f.hang_reads)
		return 0;
	f.reads++;
	if (nlb > f.max_read_blocks)
		f.max_read_blocks = nlb;
	if (!nsid || nsid > MAX_NS || !f.ns[nsid].nsze) {
		*status = 0x0b;
		return 1;
	}
	ns = &f.ns[nsid];
	bs = 1u << ns->lbads;
	if (slba >= ns->nsze || nlb > ns->nsze - slba) {
		*status = 0x80;	/* LBA out of range */
		return 1;
	}
	if (f.mdts && (uint64_t)nlb * bs > (4096ull << f.mdts)) {
		*status = 0x2;
		return 1;
	}
	*status = do_read(nsid, slba * bs, (uint64_t)nlb * bs, get_le(sqe + 24, 8),
			  get_le(sqe + 32, 8));
	return 1;
}

static void ring_sq(int q, uint32_t tail)
{
	if (!(f.csts & 1) || (q == 1 && !f.live[1]))
		return;
	while (f.sq_head[q] != tail) {
		const uint8_t *sqe = dma(f.sq_base[q] + (uint64_t)f.sq_head[q] * 64, 64, TCE_READ);
		uint16_t cid, status = 0;
		int done = 1;

		if (!sqe)
			return;
		cid = (uint16_t)get_le(sqe + 2, 2);
		f.sq_head[q] = (uint16_t)((f.sq_head[q] + 1) % f.sq_size[q]);
		if (q == 0)
			status = admin(sqe);
		else
			done = io(sqe, &status);
		if (done)
			post(q, cid, status);
	}
}

static void ctrl_reset(void)
{
	memset(f.live, 0, sizeof(f.live));
	memset(f.cq_size, 0, sizeof(f.cq_size));
	f.csts = 0;
}

static void write_cc(uint32_t v)
{
	uint32_t old = f.cc;

	f.cc = v;
	if (!(old & 1) && (v & 1)) {
		/* QEMU's start checks: entry sizes, aligned admin queues */
		if (((v >> 16) & 0xf) != 6 || ((v >> 20) & 0xf) != 4 || (f.asq & 0xfff) ||
		    (f.acq & 0xfff) || !f.asq || !f.acq || f.cfs_on_enable) {
			f.csts = 2;	/* CFS */
			return;
		}
		f.sq_base[0] = f.asq;
		f.cq_base[0] = f.acq;
		f.sq_size[0] = (uint16_t)((f.aqa & 0xfff) + 1);
		f.cq_size[0] = (uint16_t)(((f.aqa >> 16) & 0xfff) + 1);
		f.sq_head[0] = f.cq_tail[0] = 0;
		f.phase[0] = 1;
		f.csts = 1;
	} else if ((old & 1) && !(v & 1)) {
		ctrl_reset();
	}
	if ((v & 1) && ((v >> 14) & 3) == 1 && (f.csts & 1)) {
		f.csts |= 2u << 2;	/* shutdown complete */
		f.shutdowns++;
	}
}

uint32_t pci_le32_read(uint64_t addr)
{
	if (addr < f.base || addr >= f.base + 0x4000)
		return 0xffffffffu;	/* a controller of an earlier test: gone */
	switch (addr - f.base) {
	case 0x00: return (uint32_t)(0x0f0107ffu);	/* MQES 0x7ff, CQR, TO 15 */
	case 0x04: return 0x00000020u | (0u << 16);	/* CSS NVM (bit 37), DSTRD 0, MPSMIN 0 */
	case 0x14: return f.cc;
	case 0x1c: return f.csts;
	case 0x24: return f.aqa;
	}
	return 0;
}

void pci_le32_write(uint64_t addr, uint32_t val)
{
	uint64_t off;

	if (addr < f.base || addr >= f.base + 0x4000)
		return;
	off = addr - f.base;
	if ((off == 0x24 || (off >= 0x28 && off < 0x38)) && (f.cc & 1))
		f.queue_regs_while_enabled = 1;
	switch (off) {
	case 0x14: write_cc(val); return;
	case 0x24: f.aqa = val; return;
	case 0x28: f.asq = (f.asq & ~0xffffffffull) | val; return;
	case 0x2c: f.asq = (f.asq & 0xffffffffull) | (uint64_t)val << 32; return;
	case 0x30: f.acq = (f.acq & ~0xffffffffull) | val; return;
	case 0x34: f.acq = (f.acq & 0xffffffffull) | (uint64_t)val << 32; return;
	case 0x1000: ring_sq(0, val); return;
	case 0x1008: ring_sq(1, val); return;
	}
}

/* ---- PCI, tree and registry fakes ---- */

static struct pci_dev fake_pci = { .phandle = PH_CTRL, .class_code = 0x010802 };

struct pci_dev *pci_next(const struct pci_dev *prev)
{
	return prev ? NULL : &fake_pci;
}

uint64_t pci_bar_cpu_addr(const struct pci_dev *dev, unsigned int bar, uint64_t offset,
			  uint64_t len)
{
	return bar == 0 && offset + len <= 0x4000 ? f.base + offset : 0;
}

static char ns_names[8][32];
static uint32_t ns_reg[8];
static unsigned int n_nodes;

int tree_path(uint32_t ph, char *buf, size_t len)
{
	return snprintf(buf, len, "/pci@800000020000000/mass-storage@0");
}

uint32_t tree_parent(uint32_t ph)
{
	return ph == PH_CTRL ? PH_PHB : TREE_NO_NODE;
}

int tree_read_prop(uint32_t ph, const char *name, void *buf, size_t len)
{
	/* big-endian cells, as in the tree: LIOBN, 2 cells of start, 2 of size */
	static const uint8_t win[20] = { 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
					 0, 0, 0, 0, 0x40, 0, 0, 0 };

	if (ph == PH_PHB && !strcmp(name, "ibm,dma-window")) {
		memcpy(buf, win, len < sizeof(win) ? len : sizeof(win));
		return sizeof(win);
	}
	return -1;
}

uint32_t tree_add_node(uint32_t parent, const char *name)
{
	assert_int_equal(parent, PH_CTRL);
	if (n_nodes == 8)
		return TREE_NO_NODE;
	snprintf(ns_names[n_nodes], sizeof(ns_names[0]), "%s", name);
	return PH_NS_BASE + n_nodes++;
}

int tree_setprop(uint32_t ph, const char *name, const void *val, int len)
{
	if (ph >= PH_NS_BASE && ph < PH_NS_BASE + 8 && !strcmp(name, "reg") && len == 4) {
		const uint8_t *b = val;

		ns_reg[ph - PH_NS_BASE] = (uint32_t)b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3];
	}
	return 0;
}

static struct block_dev *disks[8];
static unsigned int n_disks;

int block_dev_register(struct block_dev *dev)
{
	if (n_disks == 8)
		return -1;
	disks[n_disks] = dev;
	return (int)n_disks++;
}

/* ---- helpers ---- */

static uint64_t next_bar = 0x210000000000ull;

/* A new controller (new BAR) with `nn` namespaces of the given sizes (0 = inactive). */
static void setup(uint32_t nn)
{
	memset(&f, 0, sizeof(f));
	f.base = next_bar;
	next_bar += 0x100000;
	f.nn = nn;
	f.mdts = 7;
	n_disks = 0;
	n_nodes = 0;
	memset(ns_reg, 0, sizeof(ns_reg));
	memset(tce, 0, sizeof(tce));	/* earlier tests' controllers are gone */
	dma_faults = 0;
	capture_clear();
}

static void add_ns(uint32_t nsid, uint64_t blocks, uint8_t lbads)
{
	f.ns[nsid].nsze = blocks;
	f.ns[nsid].lbads = lbads;
}

static int run_init(void)
{
	VK_TABLE_FOREACH(fw_init, struct fw_init_entry, e)
		if (!strcmp(e->name, "NVMe disks"))
			return e->fn();
	fail_msg("no NVMe init hook");
	return -1;
}

static void run_quiesce(void)
{
	VK_TABLE_FOREACH(fw_quiesce, struct fw_quiesce_hook, h)
		h->fn();
}

/* The namespace's bytes in a buffer: what the fake controller writes. */
static void check_bytes(uint32_t nsid, uint64_t from, const uint8_t *buf, uint64_t len)
{
	uint64_t i;

	for (i = 0; i < len; i++)
		if (buf[i] != pattern(nsid, from + i))
			fail_msg("byte %llu of the read (disk byte %llu) is wrong",
				 (unsigned long long)i, (unsigned long long)(from + i));
}

/* ---- tests ---- */

static void test_one_namespace_reads(void **state)
{
	uint8_t *buf = ram + RAM_SIZE / 2;	/* client memory above the heap */
	struct block_dev *d;
	unsigned int i;

	(void)state;
	setup(1);
	add_ns(1, 2048, 9);
	run_init();
	/* only the namespace is a disk; the boot order maps the controller to it (decision 46) */
	assert_int_equal(n_disks, 1);
	assert_int_equal(disks[0]->phandle, PH_NS_BASE);
	assert_string_equal(ns_names[0], "namespace@1");
	assert_int_equal(ns_reg[0], 1);
	d = disks[0];
	assert_int_equal(d->block_size, 512);
	assert_int_equal(d->blocks, 2048);
	assert_true(d->flags & BLOCK_DEV_NVME);
	assert_non_null(strstr(capture_out, "mass-storage@0/namespace@1: 2048 blocks of 512 bytes"));

	/* one block, two pages, and a PRP list at an in-page offset */
	assert_int_equal(d->read(d, 0, 1, buf), 0);
	check_bytes(1, 0, buf, 512);
	assert_int_equal(d->read(d, 3, 16, buf + 4096 - 512), 0);
	check_bytes(1, 3 * 512, buf + 4096 - 512, 16 * 512);
	memset(buf, 0xee, 0x20000);
	assert_int_equal(d->read(d, 100, 200, buf + 0x204), 0);
	check_bytes(1, 100 * 512, buf + 0x204, 200 * 512);
	assert_int_equal(buf[0x203], 0xee);
	assert_int_equal(buf[0x204 + 200 * 512], 0xee);
	/* an odd address: block by block through the bounce page */
	assert_int_equal(d->read(d, 7, 3, buf + 1), 0);
	check_bytes(1, 7 * 512, buf + 1, 3 * 512);
	/* 40 more commands: the 16-entry queues wrap twice (phase bit flips) */
	for (i = 0; i < 40; i++) {
		assert_int_equal(d->read(d, i, 1, buf), 0);
		check_bytes(1, i * 512, buf, 512);
	}
	/* the last block, and a read through the controller's registration */
	assert_int_equal(disks[0]->read(disks[0], 2047, 1, buf), 0);
	check_bytes(1, 2047 * 512, buf, 512);
	assert_int_equal(dma_faults, 0);
	/* only the fixed pages stay mapped between reads */
	assert_int_equal(tces_set(), 7);
}

static void test_read_past_end_refused_before_any_command(void **state)
{
	uint8_t *buf = ram + RAM_SIZE / 2;
	struct block_dev *d;
	unsigned int reads;

	(void)state;
	setup(1);
	add_ns(1, 100, 9);
	run_init();
	d = disks[0];
	reads = f.reads;
	assert_int_equal(d->read(d, 100, 1, buf), -1);
	assert_int_equal(d->read(d, 99, 2, buf), -1);
	assert_int_equal(d->read(d, UINT64_MAX, 2, buf), -1);
	assert_int_equal(d->read(d, 1, UINT32_MAX, buf), -1);
	assert_int_equal(d->read(d, 100, 0, buf), 0);
	assert_int_equal(f.reads, reads);	/* not one command reached the controller */
	assert_int_equal(d->read(d, 99, 1, buf), 0);
	assert_int_equal(f.reads, reads + 1);
}

static void test_mdts_splits_reads(void **state)
{
	uint8_t *buf = ram + RAM_SIZE / 2;
	struct block_dev *d;

	(void)state;
	setup(1);
	add_ns(1, 4096, 9);
	f.mdts = 1;	/* 8 KiB per command */
	run_init();
	d = disks[0];
	assert_int_equal(d->read(d, 0, 128, buf + 512), 0);	/* 64 KiB */
	check_bytes(1, 0, buf + 512, 128 * 512);
	assert_int_equal(f.reads, 8);
	assert_int_equal(f.max_read_blocks, 16);
	/* MDTS 0 (no limit): the driver's own 256 KiB */
	setup(1);
	add_ns(1, 4096, 9);
	f.mdts = 0;
	run_init();
	d = disks[0];
	assert_int_equal(d->read(d, 0, 1024, buf), 0);	/* 512 KiB */
	check_bytes(1, 0, buf, 1024 * 512);
	assert_int_equal(f.reads, 2);
	assert_int_equal(f.max_read_blocks, 512);
	assert_int_equal(dma_faults, 0);
}

static void test_block_sizes(void **state)
{
	uint8_t *buf = ram + RAM_SIZE / 2;

	(void)state;
	setup(4);
	add_ns(1, 1000, 12);	/* 4096-byte blocks */
	add_ns(2, 1000, 8);	/* 256: refused */
	add_ns(3, 1000, 13);	/* 8192: refused */
	add_ns(4, 1000, 9);
	f.ns[4].ms = 8;
	f.ns[4].extended = 1;	/* metadata inside the blocks: refused */
	run_init();
	assert_int_equal(n_disks, 1);
	assert_int_equal(disks[0]->block_size, 4096);
	assert_non_null(strstr(capture_out, "namespace 2: blocks of 2^8 bytes (only 512 to 4096); skipped"));
	assert_non_null(strstr(capture_out, "namespace 3: blocks of 2^13 bytes (only 512 to 4096); skipped"));
	assert_non_null(strstr(capture_out, "namespace 4: metadata inside the data blocks; skipped"));
	assert_int_equal(disks[0]->read(disks[0], 998, 2, buf + 0x800), 0);
	check_bytes(1, 998 * 4096, buf + 0x800, 2 * 4096);
	assert_int_equal(dma_faults, 0);
}

static void test_namespace_numbering(void **state)
{
	(void)state;
	/* CNS 2 lists only active namespaces: NSID 3 with NSID 1 and 2 absent */
	setup(4);
	add_ns(3, 64, 9);
	run_init();
	assert_int_equal(n_disks, 1);
	assert_int_not_equal(disks[0]->phandle, PH_CTRL);
	assert_string_equal(ns_names[0], "namespace@3");
	assert_int_equal(ns_reg[0], 3);
	/* no CNS 2 (NVMe 1.0): every NSID up to NN, inactive ones named and skipped */
	setup(3);
	f.no_cns2 = 1;
	add_ns(1, 64, 9);
	add_ns(3, 64, 9);
	run_init();
	assert_int_equal(n_disks, 2);
	assert_non_null(strstr(capture_out, "namespace 2 is not active; skipped"));
	assert_string_equal(ns_names[1], "namespace@3");
}

static void test_no_namespaces(void **state)
{
	(void)state;
	setup(0);	/* NN = 0 */
	run_init();
	assert_int_equal(n_disks, 0);
	assert_non_null(strstr(capture_out, "mass-storage@0: no namespaces (NN = 0); skipped"));
	assert_int_equal(f.cc & 1, 0);		/* left disabled */
	assert_int_equal(tces_set(), 0);	/* and nothing mapped */
	setup(4);	/* NN = 4, none active */
	run_init();
	assert_int_equal(n_disks, 0);
	assert_non_null(strstr(capture_out, "mass-storage@0: no active namespace; skipped"));
	run_quiesce();
	assert_int_equal(tces_set(), 0);
}

static void test_enabled_controller_is_disabled_first(void **state)
{
	(void)state;
	setup(1);
	add_ns(1, 64, 9);
	/* left running by someone else, with queues the firmware knows nothing of */
	f.aqa = 0x000f000f;
	f.asq = 0x300000;
	f.acq = 0x301000;
	write_cc(0x00460001);
	assert_int_equal(f.csts, 1);
	run_init();
	assert_false(f.queue_regs_while_enabled);
	assert_int_equal(n_disks, 1);
	assert_int_equal(dma_faults, 0);
}

static void test_fatal_status(void **state)
{
	(void)state;
	setup(1);
	add_ns(1, 64, 9);
	f.cfs_on_enable = 1;
	run_init();
	assert_int_equal(n_disks, 0);
	assert_non_null(strstr(capture_out,
			       "mass-storage@0: controller fatal status (CSTS.CFS); skipped"));
	assert_int_equal(tces_set(), 0);
}

static void test_read_timeout(void **state)
{
	uint8_t *buf = ram + RAM_SIZE / 2;
	struct block_dev *d;

	(void)state;
	setup(1);
	add_ns(1, 64, 9);
	run_init();
	d = disks[0];
	f.hang_reads = 1;
	assert_int_equal(d->read(d, 0, 8, buf), -1);
	assert_non_null(strstr(capture_out, "read of block 0x0 timed out; controller disabled"));
	/* disabled (no late DMA can land), and the buffer's pages unmapped */
	assert_int_equal(f.cc & 1, 0);
	assert_int_equal(tces_set(), 7);
	/* the next read sets the controller up again */
	f.hang_reads = 0;
	assert_int_equal(d->read(d, 1, 1, buf), 0);
	check_bytes(1, 512, buf, 512);
	assert_int_equal(f.cc, 0x00460001);
}

static void test_quiesce(void **state)
{
	uint8_t *buf = ram + RAM_SIZE / 2;
	struct block_dev *d;

	(void)state;
	setup(2);
	add_ns(1, 64, 9);
	add_ns(2, 64, 12);
	run_init();
	assert_int_equal(n_disks, 2);
	d = disks[1];
	assert_int_equal(d->read(d, 1, 2, buf), 0);
	run_quiesce();
	assert_int_equal(f.shutdowns, 1);	/* a normal shutdown first */
	assert_int_equal(f.cc & 1, 0);		/* then disabled */
	assert_int_equal(f.csts & 1, 0);
	assert_int_equal(tces_set(), 0);	/* every TCE of this driver cleared */
	/* a read after quiesce (a client may still read) sets it up again */
	assert_int_equal(d->read(d, 3, 1, buf), 0);
	check_bytes(2, 3 * 4096, buf, 4096);
	run_quiesce();
	assert_int_equal(tces_set(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_namespace_reads),
		cmocka_unit_test(test_read_past_end_refused_before_any_command),
		cmocka_unit_test(test_mdts_splits_reads),
		cmocka_unit_test(test_block_sizes),
		cmocka_unit_test(test_namespace_numbering),
		cmocka_unit_test(test_no_namespaces),
		cmocka_unit_test(test_enabled_controller_is_disabled_first),
		cmocka_unit_test(test_fatal_status),
		cmocka_unit_test(test_read_timeout),
		cmocka_unit_test(test_quiesce),
	};

	return cmocka_run_group_tests(tests, dma_ram_setup, dma_ram_teardown);
}
