/* SPDX-License-Identifier: Apache-2.0 */
/* OF client: NVMe reads through the TCE window (PRP lists, unaligned buffers) and the hand-over state after quiesce. */

/*
 * Booted with -kernel on the native firmware with the GRUB test disk "mbr"
 * on `-device nvme` (the only PCI device, so the controller is
 * /pci@800000020000000/mass-storage@0 and owns IOBAs 1 MiB..2 MiB of the
 * PHB's window, LIOBN 0x80000000: decision 47).  The client reads the disk
 * through the "disk" instance with buffers that make the driver use each
 * PRP form, then checks what the hypervisor sees, with H_GET_TCE and
 * H_LOGICAL_CI_LOAD on BAR0:
 *   before quiesce: the controller is enabled, its admin queue page is
 *   mapped, and no data page stayed mapped after the reads;
 *   after quiesce: CC.EN and CSTS.RDY are 0 and no TCE of the first 16 MiB
 *   of the window is set (what Linux's nvme driver must find);
 *   then the client enables the controller itself, as something before the
 *   firmware could have left it, and a read must still work.
 * Prints "NVME: PASS <what>" / "NVME: FAIL <what> (...)" and
 * "NVME: DONE <n> passed, <m> failed", then CI exit.
 */

#include "client_lib.h"

#define H_GET_TCE		0x1c
#define H_LOGICAL_CI_LOAD	0x3c
#define H_LOGICAL_CI_STORE	0x40
#define LIOBN			0x80000000u
#define IOBA_CTRL0		0x100000u	/* controller 0's fixed pages */
#define IOBA_DATA0		0x110000u	/* its scratch range for reads */
#define NVME_CC			0x14
#define NVME_CSTS		0x1c
#define NVME_AQA		0x24
#define NVME_ASQ		0x28
#define NVME_ACQ		0x30
#define CHUNK			0x4000u	/* 16 KiB: five pages at a 0x204 offset */

static unsigned char big[3 * CHUNK] __attribute__((aligned(4096)));
static unsigned char ref[CHUNK];

/* An hcall with two 64-bit arguments (hi/lo halves); r3 returned, r4 in out_hi and out_lo. */
static int32_t hcall2(uint32_t op, uint32_t a_hi, uint32_t a_lo, uint32_t b_hi, uint32_t b_lo,
		      uint32_t *out_hi, uint32_t *out_lo)
{
	register uint32_t r3 __asm__("r3") = op;
	register uint32_t r4 __asm__("r4") = a_hi;
	register uint32_t r5 __asm__("r5") = a_lo;
	register uint32_t r6 __asm__("r6") = b_hi;
	register uint32_t r7 __asm__("r7") = b_lo;

	__asm__ volatile(
		"clrldi	3, 3, 32\n\t"
		"clrldi	5, 5, 32\n\t"
		"rldimi	5, 4, 32, 0\n\t"
		"clrldi	7, 7, 32\n\t"
		"rldimi	7, 6, 32, 0\n\t"
		"mr	4, 5\n\t"
		"mr	5, 7\n\t"
		"sc	1\n\t"
		"srdi	6, 4, 32"
		: "+r"(r3), "+r"(r4), "+r"(r5), "+r"(r6), "+r"(r7)
		:
		: "r0", "r8", "r9", "r10", "r11", "r12", "ctr", "xer",
		  "cr0", "cr1", "cr5", "cr6", "cr7", "memory");
	*out_hi = r6;
	*out_lo = r4;
	return (int32_t)r3;
}

/* The TCE at an IOBA of the first PHB's window (low word: real page | permissions). */
static uint32_t get_tce(uint32_t ioba)
{
	uint32_t hi, lo;

	if (hcall2(H_GET_TCE, 0, LIOBN, 0, ioba, &hi, &lo))
		return 0xdeadbeef;
	return hi | lo;
}

static uint32_t bar_hi, bar_lo;

/* A little-endian 32-bit controller register (QEMU loads big-endian: swap). */
static uint32_t reg32(uint32_t off)
{
	uint32_t hi, v;

	if (hcall2(H_LOGICAL_CI_LOAD, 0, 4, bar_hi, bar_lo + off, &hi, &v))
		return 0xffffffffu;
	return v >> 24 | (v >> 8 & 0xff00) | (v << 8 & 0xff0000) | v << 24;
}

/* Store a little-endian 32-bit controller register: r4 = 4, r5 = address, r6 = value. */
static void reg32_write(uint32_t off, uint32_t v)
{
	register uint32_t r3 __asm__("r3") = H_LOGICAL_CI_STORE;
	register uint32_t r4 __asm__("r4") = bar_hi;
	register uint32_t r5 __asm__("r5") = bar_lo + off;
	register uint32_t r6 __asm__("r6") =
		v >> 24 | (v >> 8 & 0xff00) | (v << 8 & 0xff0000) | v << 24;

	__asm__ volatile(
		"clrldi	3, 3, 32\n\t"
		"clrldi	5, 5, 32\n\t"
		"rldimi	5, 4, 32, 0\n\t"
		"li	4, 4\n\t"
		"clrldi	6, 6, 32\n\t"
		"sc	1"
		: "+r"(r3), "+r"(r4), "+r"(r5), "+r"(r6)
		:
		: "r0", "r7", "r8", "r9", "r10", "r11", "r12", "ctr", "xer",
		  "cr0", "cr1", "cr5", "cr6", "cr7", "memory");
}

static int32_t disk_read(uint32_t ih, uint32_t off, void *buf, uint32_t len)
{
	struct ci_args a;
	uint32_t in[3];

	in[0] = ih;
	in[1] = 0;
	in[2] = off;
	if (ci_call(&a, "seek", 3, 1, in) || a.cell[3] != 0)
		return -1;
	in[1] = cell(buf);
	in[2] = len;
	if (ci_call(&a, "read", 3, 1, in))
		return -1;
	return (int32_t)a.cell[3];
}

void client_main(uint32_t entry)
{
	uint32_t ctrl, aa[10], ih, i, bad, n;
	struct ci_args a;

	(void)entry;
	client_tag = "NVME: ";
	console_init();

	ctrl = of_finddevice("/pci@800000020000000/mass-storage@0");
	n = ctrl == CI_ERR ? 0 : of_getprop(ctrl, "assigned-addresses", aa, sizeof(aa));
	check(n != CI_ERR && n >= 20, "the controller's assigned-addresses", "length ", n);
	bar_hi = aa[1];
	bar_lo = aa[2];
	ih = ci1("open", 1, (uint32_t[]){ cell("disk") });
	check(ih && ih != CI_ERR, "open \"disk\" (the NVMe namespace)", "ihandle ", ih);

	/* one block at a page start: PRP1 only */
	n = (uint32_t)disk_read(ih, 0, big, 512);
	check(n == 512 && big[510] == 0x55 && big[511] == 0xaa,
	      "512 bytes into a page: the MBR signature", "read ", n);
	/* an odd address: the driver's bounce page (PRP entries are dword-aligned) */
	n = (uint32_t)disk_read(ih, 0, big + 4097, 1024);
	check(n == 1024 && mem_eq(big + 4097, big, 512),
	      "1024 bytes into an odd address: the same MBR", "read ", n);
	/* 16 KiB at page offset 0x204: five pages, PRP2 is a PRP list */
	for (i = 0; i < CHUNK; i += 512) {
		if (disk_read(ih, 0x100000 + i, ref + i, 512) != 512)
			break;
	}
	check(i == CHUNK, "16 KiB of partition 1, 512 bytes at a time", "stopped at ", i);
	memset(big, 0x5a, sizeof(big));
	n = (uint32_t)disk_read(ih, 0x100000, big + 0x204, CHUNK);
	check(n == CHUNK && mem_eq(big + 0x204, ref, CHUNK) && big[0x203] == 0x5a &&
	      big[0x204 + CHUNK] == 0x5a,
	      "16 KiB into five pages at offset 0x204 (PRP list): the same bytes, nothing around",
	      "read ", n);
	/* two pages exactly: PRP2 is the second page */
	n = (uint32_t)disk_read(ih, 0x100000, big + 4096, 8192);
	check(n == 8192 && mem_eq(big + 4096, ref, 8192), "8 KiB into two pages (PRP2)", "read ", n);

	check(reg32(NVME_CC) == 0x00460001, "before quiesce: CC is 0x00460001 (enabled)", "CC ",
	      reg32(NVME_CC));
	check(get_tce(IOBA_CTRL0) != 0, "before quiesce: the admin queue page is mapped",
	      "TCE ", get_tce(IOBA_CTRL0));
	for (bad = 0, i = IOBA_DATA0; i < IOBA_CTRL0 + 0x100000; i += 4096)
		if (get_tce(i))
			bad = i;
	check(!bad, "before quiesce: no read left a data page mapped", "IOBA ", bad);

	ci_call(&a, "quiesce", 0, 0, NULL);

	/* all-ones would be a failed load, not a disabled controller */
	check(!(reg32(NVME_CC) & 1) && reg32(NVME_CC) != 0xffffffffu, "after quiesce: CC.EN is 0",
	      "CC ", reg32(NVME_CC));
	check(!(reg32(NVME_CSTS) & 1) && reg32(NVME_CSTS) != 0xffffffffu,
	      "after quiesce: CSTS.RDY is 0", "CSTS ", reg32(NVME_CSTS));
	for (bad = 0, i = 0; i < 0x1000000; i += 4096)
		if (get_tce(i) && !bad)
			bad = i ? i : 1;
	check(!bad, "after quiesce: no TCE set in the first 16 MiB of the window", "IOBA ", bad);

	/*
	 * Someone else enables the controller (as a previous stage could leave
	 * it): admin queues at IOBAs nothing maps, CC.EN = 1.  The next read
	 * must find it enabled, disable it, set it up again and read.
	 */
	reg32_write(NVME_AQA, 0x000f000f);
	reg32_write(NVME_ASQ, 0x200000);
	reg32_write(NVME_ASQ + 4, 0);
	reg32_write(NVME_ACQ, 0x201000);
	reg32_write(NVME_ACQ + 4, 0);
	reg32_write(NVME_CC, 0x00460001);
	for (i = 0; i < 1000000 && !(reg32(NVME_CSTS) & 1); i++)
		;
	check(reg32(NVME_CSTS) == 1, "the client enabled the controller behind the firmware",
	      "CSTS ", reg32(NVME_CSTS));
	memset(big, 0, 512);
	n = (uint32_t)disk_read(ih, 0, big, 512);
	check(n == 512 && big[510] == 0x55 && big[511] == 0xaa,
	      "a read then finds CC.EN set, restarts the controller and reads the MBR", "read ", n);
	check(get_tce(IOBA_CTRL0) != 0 && get_tce(0x200000) == 0,
	      "the restarted controller's queues are mapped again, and only its own", "TCE ",
	      get_tce(IOBA_CTRL0));

	check_done();
	client_power_off(1);
}
