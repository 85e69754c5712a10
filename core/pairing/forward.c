/* SPDX-License-Identifier: Apache-2.0 */
/* Forward pairing (x-vof=on): QEMU's VOF owns tree and memory; the firmware's tree API becomes VOF requests. */

#include <arch/hcall.h>
#include <vofkit/core/mem.h>
#include <vofkit/core/pairing.h>
#include <vofkit/core/tree.h>
#include <vofkit/core/vof.h>
#include <vofkit/lib/log.h>
#include <vofkit/lib/util.h>

/*
 * A request is an argument array handed over with KVMPPC_H_VOF_CLIENT
 * (r4 = its real address); VOF writes the returns in place.
 */
int64_t vof_request(void *args)
{
	return hcall(KVMPPC_H_VOF_CLIENT, virt_to_phys(args), 0, 0, 0, 0);
}

uint32_t vof_call(const char *service, unsigned int nargs, uint32_t a0, uint32_t a1,
		  uint32_t a2, uint32_t a3)
{
	struct {
		uint32_t service, nargs, nret;
		uint32_t cells[5];
	} a = { (uint32_t)virt_to_phys(service), nargs, 1, { a0, a1, a2, a3, VOF_FAIL } };

	a.cells[nargs] = VOF_FAIL;
	if (vof_request(&a) != H_SUCCESS)
		return VOF_FAIL;
	return a.cells[nargs];
}

static uint32_t phys32(const void *p)
{
	return (uint32_t)virt_to_phys(p);
}

/* VOF answers -1 for a missing node; the tree API's "none" is 0. */
static uint32_t vof_node(uint32_t ph)
{
	return ph == VOF_FAIL ? TREE_NO_NODE : ph;
}

uint32_t tree_find(const char *path, const char **args_out)
{
	if (args_out)
		*args_out = NULL;	/* VOF resolves the path itself; no caller needs args here */
	return vof_node(vof_call("finddevice", 1, phys32(path), 0, 0, 0));
}

uint32_t tree_root(void)
{
	return vof_node(vof_call("peer", 1, 0, 0, 0, 0));
}

uint32_t tree_child(uint32_t ph)
{
	return vof_node(vof_call("child", 1, ph, 0, 0, 0));
}

uint32_t tree_peer(uint32_t ph)
{
	return vof_node(vof_call("peer", 1, ph, 0, 0, 0));
}

uint32_t tree_parent(uint32_t ph)
{
	return vof_node(vof_call("parent", 1, ph, 0, 0, 0));
}

int tree_read_prop(uint32_t ph, const char *name, void *buf, size_t len)
{
	return (int)vof_call("getprop", 4, ph, phys32(name), phys32(buf), (uint32_t)len);
}

int tree_setprop(uint32_t ph, const char *name, const void *val, int len)
{
	return vof_call("setprop", 4, ph, phys32(name), phys32(val), (uint32_t)len) ==
	       (uint32_t)len ? 0 : -1;
}

/*
 * QEMU claimed only the image file ([0, fw_size)) and a 32 KiB stack at the
 * next 32 KiB boundary.  The .bss (with the firmware stack) sits between
 * them and must be claimed before a client's claim can land on it.
 */
extern char __image_end[], __fw_end[];
static uint64_t client_stack_top;

int pairing_init(const struct fw_entry_regs *regs)
{
	uint32_t start = (uint32_t)virt_to_phys(__image_end);
	uint32_t size = (uint32_t)(virt_to_phys(__fw_end) - start);
	uint32_t mem, reg[4];

	/* The client keeps the 32 KiB stack QEMU set up for us (r1 = top - 0x20). */
	client_stack_top = regs->r1 + 0x20;
	if (vof_call("claim", 3, start, size, 0, 0) != start) {
		pr_err("cannot claim firmware memory %x+%x from VOF\n", start, size);
		return -1;
	}
	/* /memory@0 "reg" = <addr-hi addr-lo size-hi size-lo> (2+2 cells) */
	mem = tree_find("/memory@0", NULL);
	if (mem && !tree_read_exact(mem, "reg", reg, sizeof(reg)))
		fw_ram_top = ((uint64_t)reg[2] << 32) | reg[3];
	return 0;
}

uint64_t pairing_client_stack_top(void)
{
	return client_stack_top;
}

int pairing_claim(uint64_t addr, uint64_t size)
{
	if (addr >> 32 || size >> 32)
		return -1;
	return vof_call("claim", 3, (uint32_t)addr, (uint32_t)size, 0, 0) == addr ? 0 : -1;
}

/*
 * VOF's release takes 2 arguments and returns nothing, and frees only a
 * claim with exactly this start and size: the loader releases only what
 * it claimed, so this never reaches VOF's handling of unknown ranges.
 */
void pairing_release(uint64_t addr, uint64_t size)
{
	struct {
		uint32_t service, nargs, nret;
		uint32_t cells[2];
	} a = { (uint32_t)virt_to_phys("release"), 2, 0, { (uint32_t)addr, (uint32_t)size } };

	if (addr >> 32 || size >> 32)
		return;
	vof_request(&a);
}

/*
 * Nothing in a forward firmware loads an image of unknown place (network
 * boot needs the native pairing's drivers), so there is no anywhere-claim
 * to forward to VOF, whose own placement never reuses released memory.
 */
int pairing_claim_any(uint64_t size, uint64_t align, uint64_t *base)
{
	(void)size;
	(void)align;
	(void)base;
	return -1;
}
