/* SPDX-License-Identifier: Apache-2.0 */
/* Native pairing (x-vof=off, replaces SLOF): the firmware copies QEMU's FDT and owns the tree and memory. */

#include <vofkit/core/claim_map.h>
#include <vofkit/core/heap.h>
#include <vofkit/core/mem.h>
#include <vofkit/core/pairing.h>
#include <vofkit/core/tree.h>
#include <vofkit/lib/log.h>

/*
 * QEMU passes its flattened tree in r3, at MIN(RMA, 2 GiB) - 2 MiB and not
 * reserved: it is copied into the heap before anything can reuse that
 * memory.  The RMA (memory@0's size) then bounds every real-mode address
 * a client may give.  The tree services live in core/tree/.
 */
int pairing_init(const struct fw_entry_regs *regs)
{
	uint32_t mem, reg[4];
	int rc;

	/* Client buffers must never land on the tree or its index in the heap. */
	fw_own_end = fw_heap_limit();
	rc = tree_init(phys_to_virt(regs->r3));
	if (rc) {
		pr_err("no usable device tree from QEMU at 0x%llx (%d)\n",
		       (unsigned long long)regs->r3, rc);
		return rc;
	}
	/* /memory@0 "reg" = <addr-hi addr-lo size-hi size-lo> (QEMU: 2+2 cells) */
	mem = tree_find("/memory@0", NULL);
	if (mem && !tree_read_exact(mem, "reg", reg, sizeof(reg)))
		fw_ram_top = ((uint64_t)reg[2] << 32) | reg[3];
	/* QEMU writes no /aliases; clients (GRUB) look names up there */
	if (!tree_find("/aliases", NULL) && !tree_add_node(tree_root(), "aliases")) {
		pr_err("cannot add /aliases to the device tree\n");
		return -4;
	}
	return 0;
}

/*
 * Nothing else provides a stack for the client: the top 64 KiB of the
 * firmware region (<vofkit/core/heap.h>) is it.
 */
uint64_t pairing_client_stack_top(void)
{
	return fw_heap_end();
}

int pairing_claim(uint64_t addr, uint64_t size)
{
	uint32_t base;

	if (addr >> 32 || size >> 32 || !size)
		return -1;
	return claim_map_claim((uint32_t)addr, (uint32_t)size, 0, &base);
}

int pairing_claim_any(uint64_t size, uint64_t align, uint64_t *base)
{
	uint32_t got;

	/* the claim map takes align 0 as "exactly here": any base is align 1 */
	if (!size || size >> 32 || align >> 31)
		return -1;
	if (claim_map_claim(0, (uint32_t)size, align ? (uint32_t)align : 1, &got))
		return -1;
	*base = got;
	return 0;
}

void pairing_release(uint64_t addr, uint64_t size)
{
	/* pairing_claim took nothing above 4 GiB, so there is nothing to give back there */
	if (addr >> 32 || size >> 32 || !size)
		return;
	claim_map_release((uint32_t)addr, (uint32_t)size);
}
