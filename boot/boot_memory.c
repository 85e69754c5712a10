/* SPDX-License-Identifier: Apache-2.0 */
/* Boot source "memory": start the kernel QEMU loaded with -kernel (/chosen qemu,boot-kernel). */

#include <arch/ppc64.h>
#include <vofkit/lib/console.h>
#include <vofkit/core/init.h>
#include <vofkit/core/mem.h>
#include <vofkit/core/pairing.h>
#include <vofkit/core/tree.h>
#include <vofkit/lib/log.h>

/* linux,initrd-start/-end are one cell in QEMU's tree; accept two as well. */
static int read_addr_prop(uint32_t node, const char *name, uint64_t *val)
{
	uint32_t cells[2];
	int len = tree_read_prop(node, name, cells, sizeof(cells));

	if (len == 4)
		*val = cells[0];
	else if (len == 8)
		*val = ((uint64_t)cells[0] << 32) | cells[1];
	else
		return -1;
	return 0;
}

/*
 * QEMU loads the ELF itself (PT_LOADs at kernel-addr, 0x400000 by default),
 * ignores e_entry and starts nothing: the firmware jumps to the load
 * address with r3/r4 = initrd, r5 = CI entry, as vof.bin and SLOF do.
 */
static const char *boot_from_memory(void)
{
	uint32_t chosen = tree_find("/chosen", NULL);
	uint64_t kernel[2], initrd = 0, initrd_end = 0;

	if (!chosen)
		return "no /chosen node";
	if (tree_read_exact(chosen, "qemu,boot-kernel", kernel, sizeof(kernel)))
		return "no kernel loaded (QEMU -kernel not given)";
	if (!kernel[1] || !fw_mem_readable(kernel[0], kernel[1]))
		return "qemu,boot-kernel lies outside RAM";
	/*
	 * The kernel's endianness (qemu,boot-kernel-le) needs nothing here:
	 * an LE kernel switches itself after entry, as it does under SLOF.
	 */
	if (read_addr_prop(chosen, "linux,initrd-start", &initrd) ||
	    read_addr_prop(chosen, "linux,initrd-end", &initrd_end) ||
	    initrd_end <= initrd || !fw_mem_readable(initrd, initrd_end - initrd))
		initrd = initrd_end = 0;

	/* no pr_fmt here: "vofkit: booting kernel at ..." is what scripts grep for */
	pr_info("booting kernel at 0x%llx, initrd 0x%llx+0x%llx\n",
		(unsigned long long)kernel[0], (unsigned long long)initrd,
		(unsigned long long)(initrd_end - initrd));

	arch_enter_client(kernel[0], initrd, initrd_end - initrd, pairing_client_stack_top());
}
FW_BOOT_SOURCE("memory", boot_from_memory, 1);
