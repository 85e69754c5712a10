/* SPDX-License-Identifier: Apache-2.0 */
/* PCI on pseries PHBs: the device list, config space through RTAS, MMIO through hypercalls. */
#ifndef VOFKIT_DRIVERS_PCI_H
#define VOFKIT_DRIVERS_PCI_H

#include <stdint.h>

/*
 * The PCI driver (FW_INIT_DRIVER, `pci_init`) finds every PHB node
 * (device_type "pci" under /), assigns the BARs of the devices QEMU made
 * nodes for, enables decoding and bus mastering, and publishes
 * "assigned-addresses".  Device drivers at the same level run after it
 * (their init names sort after "pci_init") and walk the list below.
 */

#define PCI_NUM_BARS		6

/* Config-space registers (type 0 header) */
#define PCI_VENDOR_ID		0x00
#define PCI_DEVICE_ID		0x02
#define PCI_COMMAND		0x04
#define PCI_STATUS		0x06
#define PCI_CLASS_REVISION	0x08	/* revision in bits 0-7, class code above */
#define PCI_HEADER_TYPE		0x0e
#define PCI_BAR0		0x10
#define PCI_CAPABILITY_LIST	0x34

#define PCI_COMMAND_IO		0x1
#define PCI_COMMAND_MEMORY	0x2
#define PCI_COMMAND_MASTER	0x4
#define PCI_STATUS_CAP_LIST	0x10

#define PCI_CAP_ID_VNDR		0x09	/* vendor-specific (virtio uses it) */

/* pci_bar.flags */
#define PCI_BAR_IO		0x1	/* I/O space (else memory) */
#define PCI_BAR_MEM64		0x2	/* 64-bit memory BAR (uses two registers) */
#define PCI_BAR_PREFETCH	0x4

struct pci_bar {
	uint64_t size;		/* 0: not implemented, or the upper half of a 64-bit BAR */
	uint64_t pci_addr;	/* bus address; valid when cpu_addr != 0 */
	uint64_t cpu_addr;	/* for pci_mmio_* (I/O BARs too); 0 = not assigned */
	uint32_t flags;
};

struct pci_phb;

struct pci_dev {
	struct pci_dev *next;
	const struct pci_phb *phb;
	uint32_t phandle;	/* the device's node */
	uint8_t bus, devfn;
	uint16_t vendor, device;
	uint32_t class_code;	/* base class << 16 | subclass << 8 | prog-if */
	uint8_t revision;
	struct pci_bar bar[PCI_NUM_BARS];
};

/* The first device (prev NULL) or the one after prev; NULL at the end. */
struct pci_dev *pci_next(const struct pci_dev *prev);

/*
 * Config space through RTAS ibm,read-pci-config / ibm,write-pci-config.
 * size 1, 2 or 4, naturally aligned; reg < 4096.  0 or -1.  Values are
 * plain numbers: RTAS does the little-endian conversion.
 */
int pci_cfg_read(const struct pci_dev *dev, unsigned int reg, unsigned int size,
		 uint32_t *val);
int pci_cfg_write(const struct pci_dev *dev, unsigned int reg, unsigned int size,
		  uint32_t val);

/* Config reads that return all-ones on failure, as a missing device reads. */
uint8_t pci_cfg_read8(const struct pci_dev *dev, unsigned int reg);
uint16_t pci_cfg_read16(const struct pci_dev *dev, unsigned int reg);
uint32_t pci_cfg_read32(const struct pci_dev *dev, unsigned int reg);

/*
 * Offset of the next capability with id `id` after the one at `after`
 * (0 = start of the list), or 0 when there is none.
 */
unsigned int pci_find_cap(const struct pci_dev *dev, uint8_t id, unsigned int after);

/*
 * CPU address of [offset, offset + len) inside BAR `bar`, or 0 when the BAR
 * is not assigned or the range does not fit in it.
 */
uint64_t pci_bar_cpu_addr(const struct pci_dev *dev, unsigned int bar, uint64_t offset,
			  uint64_t len);

/*
 * MMIO and I/O at CPU addresses through H_LOGICAL_CI_LOAD/STORE (the PHB
 * windows sit at 32 TiB and up, and real-mode loads are not guaranteed to
 * reach MMIO under KVM).  QEMU performs these as big-endian accesses: the
 * plain helpers give a big-endian register's value; little-endian
 * registers (virtio, most PCI devices) go through the pci_le* helpers.
 * A failed load reads as all-ones.
 */
uint8_t pci_mmio_read8(uint64_t addr);
uint16_t pci_mmio_read16(uint64_t addr);
uint32_t pci_mmio_read32(uint64_t addr);
void pci_mmio_write8(uint64_t addr, uint8_t val);
void pci_mmio_write16(uint64_t addr, uint16_t val);
void pci_mmio_write32(uint64_t addr, uint32_t val);

uint16_t pci_le16_read(uint64_t addr);
uint32_t pci_le32_read(uint64_t addr);
void pci_le16_write(uint64_t addr, uint16_t val);
void pci_le32_write(uint64_t addr, uint32_t val);

#endif /* VOFKIT_DRIVERS_PCI_H */
