/* SPDX-License-Identifier: Apache-2.0 */
/* PCI driver: assign the BARs of the devices under each pseries PHB and publish assigned-addresses. */

#define pr_fmt(fmt) "pci: " fmt
#include <string.h>
#include <arch/hcall.h>
#include <vofkit/lib/byteorder.h>
#include <vofkit/lib/console.h>
#include <vofkit/drivers/pci.h>
#include <vofkit/core/heap.h>
#include <vofkit/core/init.h>
#include <vofkit/core/rtas.h>
#include <vofkit/core/tree.h>
#include <vofkit/lib/util.h>
#include <vofkit/lib/log.h>

/*
 * QEMU's pseries machine numbers the buses and makes a node for every
 * cold-plugged device, but leaves every BAR at 0 and COMMAND at 0: the
 * firmware (SLOF, or this driver) assigns them.  Linux then takes the
 * result from "assigned-addresses" (pseries probes PCI from the device
 * tree) and reassigns only what is missing or clashes.
 */

/* "ranges" phys.hi space code (bits 24-25) */
#define SPACE_CONFIG	0
#define SPACE_IO	1
#define SPACE_MEM32	2
#define SPACE_MEM64	3

/* assigned-addresses phys.hi: n = absolute (not relocatable), p = prefetchable */
#define PHYS_HI_N	0x80000000u
#define PHYS_HI_P	0x40000000u

/* BAR register low bits */
#define BAR_IO		0x1u
#define BAR_TYPE_MASK	0x6u
#define BAR_TYPE_64	0x4u
#define BAR_PREFETCH	0x8u

/* Internal: allocation tried and failed (never left set after init). */
#define BAR_FAILED	0x80000000u

/* Memory BARs are spaced at least a page apart so an OS can map each alone. */
#define MEM_MIN_ALIGN	0x1000u
/*
 * I/O allocation starts 4 KiB into the window: bus address 0 reads as
 * "unassigned" to Linux (it reassigns such BARs), and legacy ISA ports sit
 * below 0x1000 on PCs.
 */
#define IO_SKIP		0x1000u

struct pci_window {
	uint64_t pci_base, cpu_base, size;
	uint64_t next;		/* bump pointer (bus address) */
};

struct pci_phb {
	struct pci_phb *next;
	uint32_t phandle;
	uint64_t buid;
	struct pci_window io, mem32, mem64;
};

static struct pci_phb *phbs;
static struct pci_dev *devs, **devs_tail = &devs;

struct pci_dev *pci_next(const struct pci_dev *prev)
{
	return prev ? prev->next : devs;
}

/* ---- config space ---- */

/*
 * RTAS config address: bus << 16 | devfn << 8 | register, with register
 * bits 8-11 (PCIe extended space) in bits 28-31.  Only the ibm, variants
 * take a BUID; the plain ones assume BUID 0, which no QEMU PHB has.
 */
static int phb_cfg_access(const struct pci_phb *phb, uint8_t bus, uint8_t devfn,
			  unsigned int reg, unsigned int size, uint32_t *val, int write)
{
	uint32_t args[5], ret = 0;

	if ((size != 1 && size != 2 && size != 4) || (reg & (size - 1)) || reg >= 4096)
		return -1;
	args[0] = (uint32_t)bus << 16 | (uint32_t)devfn << 8 | (reg & 0xff) |
		  (uint32_t)(reg >> 8) << 28;
	args[1] = (uint32_t)(phb->buid >> 32);
	args[2] = (uint32_t)phb->buid;
	args[3] = size;
	if (write) {
		args[4] = *val;
		return rtas_call("ibm,write-pci-config", 5, args, 0, NULL) ? -1 : 0;
	}
	if (rtas_call("ibm,read-pci-config", 4, args, 1, &ret))
		return -1;
	*val = ret;
	return 0;
}

int pci_cfg_read(const struct pci_dev *dev, unsigned int reg, unsigned int size,
		 uint32_t *val)
{
	return phb_cfg_access(dev->phb, dev->bus, dev->devfn, reg, size, val, 0);
}

int pci_cfg_write(const struct pci_dev *dev, unsigned int reg, unsigned int size,
		  uint32_t val)
{
	return phb_cfg_access(dev->phb, dev->bus, dev->devfn, reg, size, &val, 1);
}

static uint32_t cfg_read_or_ones(const struct pci_dev *dev, unsigned int reg,
				 unsigned int size)
{
	uint32_t v;

	if (pci_cfg_read(dev, reg, size, &v))
		return 0xffffffffu >> (32 - 8 * size);
	return v;
}

uint8_t pci_cfg_read8(const struct pci_dev *dev, unsigned int reg)
{
	return (uint8_t)cfg_read_or_ones(dev, reg, 1);
}

uint16_t pci_cfg_read16(const struct pci_dev *dev, unsigned int reg)
{
	return (uint16_t)cfg_read_or_ones(dev, reg, 2);
}

uint32_t pci_cfg_read32(const struct pci_dev *dev, unsigned int reg)
{
	return cfg_read_or_ones(dev, reg, 4);
}

unsigned int pci_find_cap(const struct pci_dev *dev, uint8_t id, unsigned int after)
{
	unsigned int pos, hops;

	if (after)
		pos = pci_cfg_read8(dev, after + 1);
	else if (pci_cfg_read16(dev, PCI_STATUS) & PCI_STATUS_CAP_LIST)
		pos = pci_cfg_read8(dev, PCI_CAPABILITY_LIST);
	else
		return 0;
	/* The list lives in 0x40-0xff; the hop limit stops a looping chain. */
	for (hops = 0; pos >= 0x40 && pos < 0x100 && hops < 48; hops++) {
		pos &= ~3u;
		if (pci_cfg_read8(dev, pos) == id)
			return pos;
		pos = pci_cfg_read8(dev, pos + 1);
	}
	return 0;
}

uint64_t pci_bar_cpu_addr(const struct pci_dev *dev, unsigned int bar, uint64_t offset,
			  uint64_t len)
{
	const struct pci_bar *b;

	if (bar >= PCI_NUM_BARS)
		return 0;
	b = &dev->bar[bar];
	if (!b->cpu_addr || offset > b->size || len > b->size - offset)
		return 0;
	return b->cpu_addr + offset;
}

/* ---- MMIO through hypercalls ---- */

static uint64_t ci_load(unsigned int size, uint64_t addr)
{
	uint64_t out[4];

	if (hcall(H_LOGICAL_CI_LOAD, size, addr, 0, 0, out) != H_SUCCESS)
		return ~0ull;
	return out[0];
}

static void ci_store(unsigned int size, uint64_t addr, uint64_t val)
{
	hcall(H_LOGICAL_CI_STORE, size, addr, val, 0, NULL);
}

uint8_t pci_mmio_read8(uint64_t addr)
{
	return (uint8_t)ci_load(1, addr);
}

uint16_t pci_mmio_read16(uint64_t addr)
{
	return (uint16_t)ci_load(2, addr);
}

uint32_t pci_mmio_read32(uint64_t addr)
{
	return (uint32_t)ci_load(4, addr);
}

void pci_mmio_write8(uint64_t addr, uint8_t val)
{
	ci_store(1, addr, val);
}

void pci_mmio_write16(uint64_t addr, uint16_t val)
{
	ci_store(2, addr, val);
}

void pci_mmio_write32(uint64_t addr, uint32_t val)
{
	ci_store(4, addr, val);
}

/*
 * QEMU's hcalls access memory as its big-endian target would, whatever
 * mode the CPU is in (contract §2.8): the value comes back as a big-endian
 * CPU loads it, so a little-endian register goes through le*_to_cpu like
 * any little-endian field in memory.
 */
uint16_t pci_le16_read(uint64_t addr)
{
	return le16_to_cpu(pci_mmio_read16(addr));
}

uint32_t pci_le32_read(uint64_t addr)
{
	return le32_to_cpu(pci_mmio_read32(addr));
}

void pci_le16_write(uint64_t addr, uint16_t val)
{
	pci_mmio_write16(addr, cpu_to_le16(val));
}

void pci_le32_write(uint64_t addr, uint32_t val)
{
	pci_mmio_write32(addr, cpu_to_le32(val));
}

/* ---- PHB discovery ---- */

static uint32_t prop_u32(uint32_t ph, const char *name, uint32_t dflt)
{
	int len;
	const uint32_t *p = tree_getprop(ph, name, &len);

	return p && len == 4 ? *p : dflt;
}

/* A number of 1 or 2 cells (device-tree cells are big-endian, as this CPU). */
static uint64_t read_cells(const uint32_t *p, uint32_t n)
{
	return n == 2 ? (uint64_t)p[0] << 32 | p[1] : p[0];
}

/*
 * "ranges": (child address: 3 cells, parent address, size) per entry.
 * QEMU gives one I/O window (64 KiB at bus 0), one 32-bit window (2 GiB at
 * bus 2 GiB) and one 64-bit window (identity mapped at 33 TiB); when a
 * space has several entries the largest is used.
 */
static void phb_parse_ranges(struct pci_phb *phb)
{
	uint32_t pac = prop_u32(tree_root(), "#address-cells", 2);
	uint32_t sc = prop_u32(phb->phandle, "#size-cells", 2);
	uint32_t entry = 3 + pac + sc;
	const uint32_t *r;
	int len, i;

	r = tree_getprop(phb->phandle, "ranges", &len);
	if (!r || pac < 1 || pac > 2 || sc < 1 || sc > 2 ||
	    prop_u32(phb->phandle, "#address-cells", 3) != 3)
		return;
	for (i = 0; i + (int)entry * 4 <= len; i += (int)entry * 4, r += entry) {
		struct pci_window *w;
		uint64_t size = read_cells(r + 3 + pac, sc);

		switch ((r[0] >> 24) & 3) {
		case SPACE_IO:
			w = &phb->io;
			break;
		case SPACE_MEM32:
			w = &phb->mem32;
			break;
		case SPACE_MEM64:
			w = &phb->mem64;
			break;
		default:
			continue;
		}
		if (size <= w->size)
			continue;
		w->pci_base = (uint64_t)r[1] << 32 | r[2];
		w->cpu_base = read_cells(r + 3, pac);
		w->size = size;
		w->next = w->pci_base;
	}
	if (phb->io.size > IO_SKIP && phb->io.pci_base < IO_SKIP)
		phb->io.next = IO_SKIP;
}

/* ---- devices and BARs ---- */

/* Size one BAR the standard way: write all-ones, read back what sticks. */
static unsigned int bar_probe(struct pci_dev *dev, unsigned int i)
{
	unsigned int reg = PCI_BAR0 + 4 * i;
	uint32_t orig = pci_cfg_read32(dev, reg), lo, hi = 0xffffffffu, orig_hi = 0;
	struct pci_bar *b = &dev->bar[i];
	uint64_t mask;

	pci_cfg_write(dev, reg, 4, 0xffffffffu);
	lo = pci_cfg_read32(dev, reg);
	pci_cfg_write(dev, reg, 4, orig);
	if (!lo || lo == 0xffffffffu)
		return 1;	/* not implemented (or the read failed) */

	if (lo & BAR_IO) {
		b->flags = PCI_BAR_IO;
		mask = lo & ~3u;
		/* Devices decoding only 16 bits of I/O leave the upper half 0. */
		if (!(mask & 0xffff0000u))
			mask |= 0xffff0000u;
		b->size = (uint32_t)(~(uint32_t)mask + 1);
		return 1;
	}
	if ((lo & BAR_TYPE_MASK) == BAR_TYPE_64 && i + 1 < PCI_NUM_BARS) {
		b->flags = PCI_BAR_MEM64;
		orig_hi = pci_cfg_read32(dev, reg + 4);
		pci_cfg_write(dev, reg + 4, 4, 0xffffffffu);
		hi = pci_cfg_read32(dev, reg + 4);
		pci_cfg_write(dev, reg + 4, 4, orig_hi);
	}
	if (lo & BAR_PREFETCH)
		b->flags |= PCI_BAR_PREFETCH;
	mask = (uint64_t)hi << 32 | (lo & ~0xfu);
	b->size = mask ? ~mask + 1 : 0;
	return b->flags & PCI_BAR_MEM64 ? 2 : 1;
}

static int window_alloc(struct pci_window *w, uint64_t size, uint64_t limit,
			uint64_t *pci)
{
	uint64_t start, end = w->pci_base + w->size;

	if (!w->size || !size)
		return -1;
	start = ALIGN_UP(w->next, size);	/* BAR sizes are powers of two */
	if (start < w->next || start >= end || size > end - start ||
	    (limit && (start >= limit || size > limit - start)))
		return -1;
	w->next = start + size;
	*pci = start;
	return 0;
}

/*
 * Policy: I/O BARs from the I/O window; 32-bit BARs from the 32-bit
 * window; 64-bit BARs from the 64-bit window, falling back to the 32-bit
 * one.  The 32-bit window is the scarce one (2 GiB, and the only home of
 * 32-bit BARs); every MMIO goes through hypercalls with 64-bit addresses,
 * so a BAR at 33 TiB costs nothing.  SLOF places 64-bit BARs the same way.
 */
static int bar_alloc(struct pci_phb *phb, struct pci_bar *b)
{
	struct pci_window *w;
	uint64_t size = b->size, pci;

	if (b->flags & PCI_BAR_IO) {
		w = &phb->io;
		if (window_alloc(w, size, 1ull << 32, &pci))
			return -1;
	} else {
		size = MAX(size, (uint64_t)MEM_MIN_ALIGN);
		w = &phb->mem64;
		if (!(b->flags & PCI_BAR_MEM64) || window_alloc(w, size, 0, &pci)) {
			w = &phb->mem32;
			if (window_alloc(w, size, 1ull << 32, &pci))
				return -1;
		}
	}
	b->pci_addr = pci;
	b->cpu_addr = w->cpu_base + (pci - w->pci_base);
	return 0;
}

/*
 * Largest BAR first over the whole PHB: with power-of-two sizes and
 * alignments no space is lost to alignment.
 */
static void phb_assign(struct pci_phb *phb)
{
	for (;;) {
		struct pci_bar *best = NULL;
		struct pci_dev *d;
		unsigned int i;

		for (d = devs; d; d = d->next) {
			if (d->phb != phb)
				continue;
			for (i = 0; i < PCI_NUM_BARS; i++) {
				struct pci_bar *b = &d->bar[i];

				if (b->size && !b->cpu_addr && !(b->flags & BAR_FAILED) &&
				    (!best || b->size > best->size))
					best = b;
			}
		}
		if (!best)
			break;
		if (bar_alloc(phb, best))
			best->flags |= BAR_FAILED;
	}
}

static uint32_t phys_hi(const struct pci_dev *d, unsigned int i)
{
	const struct pci_bar *b = &d->bar[i];
	uint32_t space = b->flags & PCI_BAR_IO ? SPACE_IO :
			 b->flags & PCI_BAR_MEM64 ? SPACE_MEM64 : SPACE_MEM32;

	return PHYS_HI_N | (b->flags & PCI_BAR_PREFETCH ? PHYS_HI_P : 0) | space << 24 |
	       (uint32_t)d->bus << 16 | (uint32_t)d->devfn << 8 | (PCI_BAR0 + 4 * i);
}

static const char *bar_kind(const struct pci_bar *b)
{
	return b->flags & PCI_BAR_IO ? "io" : b->flags & PCI_BAR_MEM64 ? "mem64" : "mem";
}

/*
 * Write the BARs, turn on the decoders whose BARs all got an address (a
 * BAR left at 0 must not decode), plus bus mastering for DMA, and publish
 * "assigned-addresses": per BAR phys.hi (as in "reg", with n set: the
 * address is absolute), the 64-bit bus address and the 64-bit size.
 */
static void dev_program(struct pci_dev *d)
{
	uint32_t aa[PCI_NUM_BARS * 5], cmd, n = 0;
	int io_ok = 1, mem_ok = 1, any_io = 0, any_mem = 0;
	unsigned int i;

	/* one line per device, built in pieces: every piece is info level */
	pr_info("%x:%x.%x %x:%x", d->bus, d->devfn >> 3, d->devfn & 7, d->vendor, d->device);
	for (i = 0; i < PCI_NUM_BARS; i++) {
		struct pci_bar *b = &d->bar[i];
		unsigned int reg = PCI_BAR0 + 4 * i;
		int is_io = !!(b->flags & PCI_BAR_IO);

		if (!b->size)
			continue;
		if (b->flags & BAR_FAILED) {
			b->flags &= ~BAR_FAILED;
			*(is_io ? &io_ok : &mem_ok) = 0;
			pr_cont(", BAR%u %s 0x%llx: no room", i, bar_kind(b),
				  (unsigned long long)b->size);
			continue;
		}
		*(is_io ? &any_io : &any_mem) = 1;
		pci_cfg_write(d, reg, 4, (uint32_t)b->pci_addr);
		if (b->flags & PCI_BAR_MEM64)
			pci_cfg_write(d, reg + 4, 4, (uint32_t)(b->pci_addr >> 32));
		aa[n++] = phys_hi(d, i);
		aa[n++] = (uint32_t)(b->pci_addr >> 32);
		aa[n++] = (uint32_t)b->pci_addr;
		aa[n++] = (uint32_t)(b->size >> 32);
		aa[n++] = (uint32_t)b->size;
		pr_cont(", BAR%u %s 0x%llx+0x%llx", i, bar_kind(b),
			  (unsigned long long)b->pci_addr, (unsigned long long)b->size);
	}
	pr_cont("\n");

	cmd = pci_cfg_read16(d, PCI_COMMAND);
	if (cmd != 0xffff) {
		cmd |= PCI_COMMAND_MASTER;
		if (any_io && io_ok)
			cmd |= PCI_COMMAND_IO;
		if (any_mem && mem_ok)
			cmd |= PCI_COMMAND_MEMORY;
		pci_cfg_write(d, PCI_COMMAND, 2, cmd);
	}
	if (n)
		tree_setprop(d->phandle, "assigned-addresses", aa, (int)(n * 4));
}

/* A device node: "reg" starts with its config-space entry (phys.hi = bus/devfn). */
static void phb_add_device(struct pci_phb *phb, uint32_t node)
{
	struct pci_dev probe = { 0 }, *d;
	const uint32_t *reg;
	uint32_t id, cr, cmd;
	uint8_t hdr;
	unsigned int i;
	int len;

	reg = tree_getprop(node, "reg", &len);
	if (!reg || len < 4)
		return;
	probe.phb = phb;
	probe.phandle = node;
	probe.bus = (uint8_t)(reg[0] >> 16);
	probe.devfn = (uint8_t)(reg[0] >> 8);
	id = pci_cfg_read32(&probe, PCI_VENDOR_ID);
	if ((id & 0xffff) == 0xffff || !(id & 0xffff))
		return;		/* a stale node: nothing answers there */
	probe.vendor = (uint16_t)id;
	probe.device = (uint16_t)(id >> 16);
	cr = pci_cfg_read32(&probe, PCI_CLASS_REVISION);
	probe.revision = (uint8_t)cr;
	probe.class_code = cr >> 8;
	hdr = pci_cfg_read8(&probe, PCI_HEADER_TYPE) & 0x7f;
	if (hdr != 0) {
		/* Bridges need windows programmed; nothing here uses devices behind one. */
		pr_warn("%x:%x.%x %x:%x: header type %u (bridge) not configured\n",
			  probe.bus, probe.devfn >> 3, probe.devfn & 7, probe.vendor,
			  probe.device, hdr);
		return;
	}

	/* Decoding off while the BARs hold all-ones (COMMAND is 0 after reset anyway). */
	cmd = pci_cfg_read16(&probe, PCI_COMMAND);
	if (cmd != 0xffff && (cmd & (PCI_COMMAND_IO | PCI_COMMAND_MEMORY)))
		pci_cfg_write(&probe, PCI_COMMAND, 2,
			      cmd & ~(uint32_t)(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
	for (i = 0; i < PCI_NUM_BARS; )
		i += bar_probe(&probe, i);

	d = fw_heap_alloc(sizeof(*d), 8);
	if (!d)
		return;
	*d = probe;
	*devs_tail = d;
	devs_tail = &d->next;
}

static void phb_init(uint32_t node)
{
	struct pci_phb *phb;
	const uint32_t *reg;
	uint32_t child;
	struct pci_dev *d;
	int len;

	reg = tree_getprop(node, "reg", &len);
	if (!reg || len < 8)
		return;
	phb = fw_heap_alloc(sizeof(*phb), 8);
	if (!phb)
		return;
	phb->phandle = node;
	/* The BUID RTAS wants is the first two cells of "reg" (0x800000020000000 for PHB 0). */
	phb->buid = (uint64_t)reg[0] << 32 | reg[1];
	phb_parse_ranges(phb);
	phb->next = phbs;
	phbs = phb;

	for (child = tree_child(node); child; child = tree_peer(child))
		phb_add_device(phb, child);
	phb_assign(phb);
	for (d = devs; d; d = d->next)
		if (d->phb == phb)
			dev_program(d);
}

static int pci_init(void)
{
	uint32_t node;

	for (node = tree_child(tree_root()); node; node = tree_peer(node)) {
		int len;
		const char *type = tree_getprop(node, "device_type", &len);

		if (type && len == sizeof("pci") && !memcmp(type, "pci", sizeof("pci")))
			phb_init(node);
	}
	return 0;
}
FW_INIT(pci_init, FW_INIT_DRIVER, "PCI");
