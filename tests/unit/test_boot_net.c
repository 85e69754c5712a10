/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for boot/boot_net.c: network boot against a fake DHCP answer, a fake TFTP server and a fake claim map. */

/*
 * The real boot_net.c, pxelinux.c and elf_loader.c over fakes of what
 * lies below them:
 *   - dhcp_configure gives a scripted lease (or no answer);
 *   - tftp_get serves files from a table, with or without tsize (as
 *     slirp or a server that never says the size), and checks that every
 *     byte it writes lands in memory the firmware claimed;
 *   - the pairing's claims are a table over 128 MiB of simulated RAM whose
 *     first 0x180000 bytes are the firmware's; a release must match one
 *     claim exactly;
 *   - arch_enter_client records the entry and returns to the test.
 * What each test shows: the entry, r3/r4 and /chosen after a boot; what
 * stays claimed (the kernel and initramfs, never the window); and after
 * each failure one line and nothing left claimed.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <arch/ppc64.h>
#include <vofkit/boot/boot_net.h>
#include <vofkit/boot/elf.h>
#include <vofkit/core/heap.h>
#include <vofkit/core/mem.h>
#include <vofkit/core/pairing.h>
#include <vofkit/core/tree.h>
#include <vofkit/lib/console.h>
#include <vofkit/net/dhcp.h>
#include <vofkit/net/ipv4.h>
#include <vofkit/net/tftp.h>
#include "capture.h"
#include "mini_elf.h"

#define RAM_SIZE	(128u << 20)
#define FW_END		0x180000u

uint8_t *host_ram;
uint64_t fw_ram_top = RAM_SIZE, fw_own_start, fw_own_end = FW_END;

uint64_t mftb(void)
{
	return 0;
}

uint64_t fw_heap_end(void)
{
	return FW_END;
}

uint64_t pairing_client_stack_top(void)
{
	return FW_END - 0x100;
}

/* ---- the claim map ------------------------------------------------------- */

#define CLAIMS_MAX 96
static uint64_t claims[CLAIMS_MAX][2];
static unsigned int nclaims;

static int overlaps_claim(uint64_t addr, uint64_t size)
{
	unsigned int i;

	for (i = 0; i < nclaims; i++)
		if (addr < claims[i][0] + claims[i][1] && claims[i][0] < addr + size)
			return 1;
	return 0;
}

static int add_claim(uint64_t addr, uint64_t size)
{
	if (!size || addr < FW_END || addr >= RAM_SIZE || size > RAM_SIZE - addr ||
	    nclaims == CLAIMS_MAX || overlaps_claim(addr, size))
		return -1;
	claims[nclaims][0] = addr;
	claims[nclaims][1] = size;
	nclaims++;
	return 0;
}

int pairing_claim(uint64_t addr, uint64_t size)
{
	return add_claim(addr, size);
}

/* Bottom-up first fit above the firmware, as core/claim_map.c places aligned claims. */
int pairing_claim_any(uint64_t size, uint64_t align, uint64_t *base)
{
	uint64_t a = align ? align : 1, pos;

	for (pos = FW_END; pos + size <= RAM_SIZE; pos += a) {
		pos = (pos + a - 1) & ~(a - 1);
		if (pos + size <= RAM_SIZE && !overlaps_claim(pos, size)) {
			*base = pos;
			return add_claim(pos, size);
		}
	}
	return -1;
}

void pairing_release(uint64_t addr, uint64_t size)
{
	unsigned int i;

	for (i = 0; i < nclaims; i++) {
		if (claims[i][0] == addr && claims[i][1] == size) {
			memmove(claims[i], claims[i + 1], (nclaims - i - 1) * sizeof(claims[0]));
			nclaims--;
			return;
		}
	}
	fail_msg("release of %llx+%llx, which is not one claim", (unsigned long long)addr,
		 (unsigned long long)size);
}

static int claimed(uint64_t addr, uint64_t size)
{
	unsigned int i;

	for (i = 0; i < nclaims; i++)
		if (addr >= claims[i][0] && size <= claims[i][0] + claims[i][1] - addr)
			return 1;
	return 0;
}

/* ---- /chosen --------------------------------------------------------------- */

#define PROPS_MAX 16
static struct {
	char name[32];
	uint8_t val[2048];
	int len;
} props[PROPS_MAX];
static unsigned int nprops;

uint32_t tree_find(const char *path, const char **args_out)
{
	(void)args_out;
	return strcmp(path, "/chosen") ? 0 : 7;
}

int tree_setprop(uint32_t phandle, const char *name, const void *val, int len)
{
	unsigned int i;

	assert_int_equal(phandle, 7);
	assert_true(len >= 0 && len <= (int)sizeof(props[0].val));
	for (i = 0; i < nprops && strcmp(props[i].name, name); i++)
		;
	if (i == nprops) {
		assert_true(nprops < PROPS_MAX);
		nprops++;
	}
	snprintf(props[i].name, sizeof(props[i].name), "%s", name);
	memcpy(props[i].val, val, (size_t)len);
	props[i].len = len;
	return 0;
}

static const void *prop(const char *name, int *len)
{
	unsigned int i;

	for (i = 0; i < nprops; i++) {
		if (!strcmp(props[i].name, name)) {
			*len = props[i].len;
			return props[i].val;
		}
	}
	*len = -1;
	return NULL;
}

/* ---- DHCP and TFTP ---------------------------------------------------------- */

static int dhcp_answers;
static bool dhcp_bootp;
static const char *dhcp_bootfile;

void net_iface_init(struct net_iface *ifc, struct net_dev *dev)
{
	memset(ifc, 0, sizeof(*ifc));
	ifc->dev = dev;
}

int dhcp_configure(struct net_iface *ifc, struct dhcp_lease *lease, uint32_t timeout_ms,
		   const char **why)
{
	assert_int_equal(timeout_ms, CONFIG_NET_DHCP_TIMEOUT_MS);
	if (!dhcp_answers) {
		*why = "no DHCP answer in 6 s";
		return -1;
	}
	memset(lease, 0, sizeof(*lease));
	lease->client_ip = 0x0a00020f;
	lease->server_ip = 0x0a000202;
	snprintf(lease->bootfile, sizeof(lease->bootfile), "%s", dhcp_bootfile);
	lease->bootp_only = dhcp_bootp;
	lease->response[0] = 2;
	lease->response[DHCP_RESPONSE_SIZE - 1] = 0x5a;
	lease->response_len = 300;
	ifc->ip = lease->client_ip;
	return 0;
}

#define FILES_MAX 8
static struct {
	const char *name;
	const uint8_t *data;
	uint64_t size;
} files[FILES_MAX];
static unsigned int nfiles;
static bool server_tsize;	/* the server answers tsize (slirp does) */
static bool server_silent;	/* the server never answers */
static char requests[64][TFTP_NAME_MAX];	/* every tftp_get, in order */
static unsigned int nrequests;

static void serve(const char *name, const void *data, uint64_t size)
{
	assert_true(nfiles < FILES_MAX);
	files[nfiles].name = name;
	files[nfiles].data = data;
	files[nfiles].size = size;
	nfiles++;
}

int tftp_get(struct net_iface *ifc, uint32_t server, const char *name, void *buf, uint64_t max,
	     struct tftp_result *res)
{
	unsigned int i;

	assert_int_equal(server, 0x0a000202);
	assert_non_null(ifc->dev);
	assert_true(nrequests < 64);
	snprintf(requests[nrequests++], TFTP_NAME_MAX, "%s", name);
	memset(res, 0, sizeof(*res));
	res->blksize = 1428;
	if (server_silent) {
		snprintf(res->error, sizeof(res->error), "timeout: the server stopped answering");
		return -1;
	}
	for (i = 0; i < nfiles && strcmp(files[i].name, name); i++)
		;
	if (i == nfiles) {
		res->server_error = true;
		snprintf(res->error, sizeof(res->error), "server: File not found");
		return -1;
	}
	if (server_tsize) {
		res->has_tsize = true;
		res->tsize = files[i].size;
	}
	if (files[i].size > max) {
		res->too_large = true;
		snprintf(res->error, sizeof(res->error), "file is larger than the %llu bytes available",
			 (unsigned long long)max);
		return -1;
	}
	if (files[i].size) {
		uint64_t pa = virt_to_phys(buf);

		assert_true(claimed(pa, files[i].size));
		memcpy(buf, files[i].data, files[i].size);
	}
	res->size = files[i].size;
	res->blocks = (uint32_t)(files[i].size / 1428 + 1);
	res->elapsed_us = files[i].size / 50 + 1000;	/* 50 MB/s */
	return 0;
}

static unsigned int count_requests(const char *name)
{
	unsigned int i, n = 0;

	for (i = 0; i < nrequests; i++)
		n += !strcmp(requests[i], name);
	return n;
}

/* ---- the client entry ------------------------------------------------------- */

static jmp_buf entered;
static uint64_t entry_pc, entry_r3, entry_r4;

void arch_enter_client(uint64_t entry, uint64_t r3, uint64_t r4, uint64_t stack_top)
{
	assert_int_equal(stack_top, FW_END - 0x100);
	entry_pc = entry;
	entry_r3 = r3;
	entry_r4 = r4;
	longjmp(entered, 1);
}

/* boot_net until it enters a client (1) or returns (0). */
static int run_boot(void)
{
	static struct net_dev nic = { .mac = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 } };

	if (setjmp(entered))
		return 1;
	boot_net(&nic, "/vdevice/l-lan@71000003", NULL);
	return 0;
}

/* ---- images ------------------------------------------------------------------ */

static uint8_t vmlinux[0x140000];	/* 1.25 MiB file */
#define KERNEL_FILESZ	0x100000u
#define KERNEL_MEMSZ	0x180000u
static uint8_t initrd[100000];
static uint8_t client[0x3000];


/* A ppc64el vmlinux in miniature: LE ELF64, one PT_LOAD at 0xc000... with p_paddr 0. */
static void make_vmlinux(uint64_t memsz)
{
	size_t i;

	mini_vmlinux_le(vmlinux, sizeof(vmlinux), 0x10000, KERNEL_FILESZ, memsz);
	for (i = 0; i < KERNEL_FILESZ; i++)
		vmlinux[0x10000 + i] = (uint8_t)(i * 13 + 1);
}

/* A BE ELF32 client linked at 0x400000 (p_paddr too): file offset 0x1000, 0x2000 bytes, 0x10000 in memory. */
static void make_client(void)
{
	mini_elf32_be(client, sizeof(client), 0x400000, 0x1000, 0x400000, 0x400000, 0x2000, 0x10000);
	memset(client + 0x1000, 0x60, 0x2000);
}

static const char pxe_cfg[] =
	"DEFAULT linux\n"
	"LABEL linux\n"
	"  KERNEL vmlinux\n"
	"  INITRD initrd.gz\n"
	"  APPEND console=hvc0 quiet\n";

static int setup(void **state)
{
	size_t i;

	(void)state;
	if (!host_ram)
		host_ram = calloc(1, RAM_SIZE);
	else
		memset(host_ram, 0, RAM_SIZE);
	assert_non_null(host_ram);
	nclaims = nprops = nfiles = nrequests = 0;
	dhcp_answers = 1;
	dhcp_bootp = false;
	dhcp_bootfile = "";
	server_tsize = true;
	server_silent = false;
	make_vmlinux(KERNEL_MEMSZ);
	make_client();
	for (i = 0; i < sizeof(initrd); i++)
		initrd[i] = (uint8_t)(i * 7 + 3);
	fw_console_register(&capture_console);
	capture_clear();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(host_ram);
	host_ram = NULL;
	return 0;
}

/* The initramfs goes where QEMU's -kernel puts it: kernel end + 64 KiB, rounded up to 64 KiB. */
#define INITRD_BASE	((0x400000u + KERNEL_MEMSZ + 0x1ffffu) & ~0xffffu)

static void check_pxe_boot(void)
{
	const uint8_t *p;
	int len;

	assert_int_equal(entry_pc, 0x400000);
	assert_int_equal(entry_r3, INITRD_BASE);
	assert_int_equal(entry_r4, sizeof(initrd));
	/* the kernel's bytes at 0x400000, its bss zeroed, the initramfs at r3 */
	assert_memory_equal(host_ram + 0x400000, vmlinux + 0x10000, KERNEL_FILESZ);
	assert_int_equal(host_ram[0x400000 + KERNEL_FILESZ], 0);
	assert_int_equal(host_ram[0x400000 + KERNEL_MEMSZ - 1], 0);
	assert_memory_equal(host_ram + INITRD_BASE, initrd, sizeof(initrd));
	/* what stays claimed: the kernel and the initramfs, no window */
	assert_int_equal(nclaims, 2);
	assert_true(claimed(0x400000, KERNEL_MEMSZ));
	assert_true(claimed(INITRD_BASE, sizeof(initrd)));
	p = prop("bootargs", &len);
	assert_int_equal(len, sizeof("console=hvc0 quiet"));
	assert_string_equal((const char *)p, "console=hvc0 quiet");
	p = prop("linux,initrd-start", &len);
	assert_int_equal(len, 4);
	assert_int_equal((uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3], INITRD_BASE);
	p = prop("linux,initrd-end", &len);
	assert_int_equal(len, 4);
	assert_int_equal((uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3],
			 INITRD_BASE + sizeof(initrd));
	p = prop("bootpath", &len);
	assert_int_equal(len, sizeof("/vdevice/l-lan@71000003"));	/* with its NUL */
	assert_string_equal((const char *)p, "/vdevice/l-lan@71000003");
	p = prop("dhcp-response", &len);
	assert_int_equal(len, DHCP_RESPONSE_SIZE);
	assert_int_equal(p[0], 2);
	assert_int_equal(p[DHCP_RESPONSE_SIZE - 1], 0x5a);
	assert_null(prop("bootp-response", &len));
}

/* PXELINUX's order, then the kernel and initramfs as -kernel and -initrd place them. */
static void pxe_boot(void **state)
{
	static const char *const order[] = {
		"pxelinux.cfg/01-52-54-00-12-34-56", "pxelinux.cfg/0A00020F",
		"pxelinux.cfg/0A00020", "pxelinux.cfg/0A0002", "pxelinux.cfg/0A000",
		"pxelinux.cfg/0A00", "pxelinux.cfg/0A0", "pxelinux.cfg/0A", "pxelinux.cfg/0",
		"pxelinux.cfg/default",
	};
	unsigned int i;

	(void)state;
	serve("pxelinux.cfg/default", pxe_cfg, sizeof(pxe_cfg) - 1);
	serve("vmlinux", vmlinux, sizeof(vmlinux));
	serve("initrd.gz", initrd, sizeof(initrd));
	assert_int_equal(run_boot(), 1);
	check_pxe_boot();
	for (i = 0; i < 10; i++)
		assert_string_equal(requests[i], order[i]);
	/* a size probe and the transfer for each file */
	assert_int_equal(count_requests("vmlinux"), 2);
	assert_int_equal(count_requests("initrd.gz"), 2);
	assert_non_null(strstr(capture_out, "PXELINUX config pxelinux.cfg/default\n"));
	assert_non_null(strstr(capture_out, "vmlinux: 1310720 bytes in 0.027 s, 48.1 MB/s, blksize 1428\n"));
	/* a missing config is quiet */
	assert_null(strstr(capture_out, "0A00020F"));
}

/*
 * A server that never says the size: each file is fetched once into the
 * largest window to learn it, then again into a window placed for it
 * (the kernel), or straight into its place (the initramfs).
 */
static void pxe_boot_without_tsize(void **state)
{
	(void)state;
	server_tsize = false;
	serve("pxelinux.cfg/default", pxe_cfg, sizeof(pxe_cfg) - 1);
	serve("vmlinux", vmlinux, sizeof(vmlinux));
	serve("initrd.gz", initrd, sizeof(initrd));
	assert_int_equal(run_boot(), 1);
	check_pxe_boot();
	assert_int_equal(count_requests("vmlinux"), 3);
}

/* Boot file "pxe/": every name below it; an absolute path is taken as it is. */
static void pxe_boot_file_directory(void **state)
{
	static const char cfg[] = "LABEL l\nKERNEL vmlinux\nINITRD /img/initrd.gz\nAPPEND a=1\n";
	unsigned int i;
	int len;

	(void)state;
	dhcp_bootfile = "pxe/";
	serve("pxe/pxelinux.cfg/0A00", cfg, sizeof(cfg) - 1);
	serve("pxe/vmlinux", vmlinux, sizeof(vmlinux));
	serve("/img/initrd.gz", initrd, sizeof(initrd));
	assert_int_equal(run_boot(), 1);
	assert_int_equal(entry_r4, sizeof(initrd));
	for (i = 0; i < 6; i++)
		assert_memory_equal(requests[i], "pxe/pxelinux.cfg/", 17);
	assert_string_equal(requests[5], "pxe/pxelinux.cfg/0A00");
	assert_non_null(strstr(capture_out, "PXELINUX config pxe/pxelinux.cfg/0A00\n"));
	assert_non_null(prop("linux,initrd-start", &len));
	assert_string_equal((const char *)prop("bootargs", &len), "a=1");
}

/* An ELF boot file: loaded at its own address from a window above it, then entered. */
static void elf_boot_file(void **state)
{
	int len;

	(void)state;
	dhcp_bootfile = "client.elf";
	dhcp_bootp = true;
	serve("client.elf", client, sizeof(client));
	assert_int_equal(run_boot(), 1);
	assert_int_equal(entry_pc, 0x400000);
	assert_int_equal(entry_r3, 0);
	assert_int_equal(entry_r4, 0);
	assert_int_equal(host_ram[0x400000], 0x60);
	assert_int_equal(host_ram[0x400000 + 0x2000], 0);
	assert_int_equal(nclaims, 1);	/* the segment; the window is given back */
	assert_true(claimed(0x400000, 0x10000));
	assert_string_equal((const char *)prop("bootpath", &len), "/vdevice/l-lan@71000003");
	assert_int_equal(len, sizeof("/vdevice/l-lan@71000003"));
	/* a BOOTP server's answer goes to bootp-response */
	assert_non_null(prop("bootp-response", &len));
	assert_int_equal(len, DHCP_RESPONSE_SIZE);
	assert_null(prop("dhcp-response", &len));
	assert_null(prop("bootargs", &len));
	assert_non_null(strstr(capture_out, "starting the ELF32 image client.elf from "
					     "/vdevice/l-lan@71000003 at 0x400000\n"));
}

/* One failure: boot_net returned, said `line` (with "; trying the next device"), left nothing claimed. */
static void check_failed(int rc, const char *line)
{
	char want[256];

	assert_int_equal(rc, 0);
	assert_int_equal(nclaims, 0);
	snprintf(want, sizeof(want), "vofkit: boot: /vdevice/l-lan@71000003: %s; trying the next device\n",
		 line);
	if (!strstr(capture_out, want))
		fail_msg("expected %s in:\n%s", want, capture_out);
	assert_int_equal(nprops, 0);
}

static void failures(void **state)
{
	static const char not_elf[] = "#!ipxe\n";
	static const char no_kernel[] = "DEFAULT l\nLABEL l\nLOCALBOOT 0\n";
	static const char missing_kernel[] = "LABEL l\nKERNEL vmlinux-gone\n";

	(void)state;
	dhcp_answers = 0;
	check_failed(run_boot(), "no DHCP answer in 6 s");
	assert_int_equal(nrequests, 0);

	setup(NULL);
	check_failed(run_boot(), "no PXELINUX config on 10.0.2.2 (pxelinux.cfg/01-<MAC>, "
				 "<IP in hex>, default)");
	assert_int_equal(nrequests, 10);

	setup(NULL);
	serve("pxelinux.cfg/default", no_kernel, sizeof(no_kernel) - 1);
	check_failed(run_boot(), "pxelinux.cfg/default: label l: no KERNEL or LINUX line for the entry");

	setup(NULL);
	serve("pxelinux.cfg/default", missing_kernel, sizeof(missing_kernel) - 1);
	check_failed(run_boot(), "PXELINUX kernel vmlinux-gone: server: File not found");

	/* the initramfs missing after the kernel was loaded: the kernel's claim is given back */
	setup(NULL);
	serve("pxelinux.cfg/default", pxe_cfg, sizeof(pxe_cfg) - 1);
	serve("vmlinux", vmlinux, sizeof(vmlinux));
	check_failed(run_boot(), "initrd initrd.gz: server: File not found");

	setup(NULL);
	serve("pxelinux.cfg/default", pxe_cfg, sizeof(pxe_cfg) - 1);
	serve("vmlinux", not_elf, sizeof(not_elf) - 1);
	check_failed(run_boot(), "vmlinux: not an ELF image");

	setup(NULL);
	dhcp_bootfile = "boot.elf";
	check_failed(run_boot(), "boot file boot.elf: server: File not found");

	setup(NULL);
	dhcp_bootfile = "boot.elf";
	serve("boot.elf", not_elf, sizeof(not_elf) - 1);
	check_failed(run_boot(), "boot.elf: not an ELF image");

	/* a TFTP server that never answers: one timeout, not one per config name or a retry */
	setup(NULL);
	server_silent = true;
	check_failed(run_boot(), "pxelinux.cfg/01-52-54-00-12-34-56: timeout: the server stopped answering");
	assert_int_equal(nrequests, 1);
	setup(NULL);
	server_silent = true;
	dhcp_bootfile = "boot.elf";
	check_failed(run_boot(), "boot file boot.elf: timeout: the server stopped answering");
	assert_int_equal(nrequests, 1);

	/* larger than all of RAM */
	setup(NULL);
	dhcp_bootfile = "huge.elf";
	serve("huge.elf", host_ram, RAM_SIZE);
	check_failed(run_boot(), "boot file huge.elf: 134217728 bytes do not fit in free memory");
	teardown(NULL);
}

/*
 * A kernel whose bss reaches past twice its file size: it would land on
 * its own load window, so it is refused (one line, all given back) rather
 * than copied over itself.
 */
static void kernel_over_its_window(void **state)
{
	(void)state;
	make_vmlinux(0x1000000);
	serve("pxelinux.cfg/default", pxe_cfg, sizeof(pxe_cfg) - 1);
	serve("vmlinux", vmlinux, sizeof(vmlinux));
	serve("initrd.gz", initrd, sizeof(initrd));
	check_failed(run_boot(), "vmlinux: needs 0x400000-0x1400000, over its load window");
}

/* The window never lies where the kernel goes, whatever was claimed before. */
static void window_above_kernel(void **state)
{
	(void)state;
	/* something small claimed low: the window must still go above the kernel */
	assert_int_equal(add_claim(0x200000, 0x1000), 0);
	serve("pxelinux.cfg/default", pxe_cfg, sizeof(pxe_cfg) - 1);
	serve("vmlinux", vmlinux, sizeof(vmlinux));
	serve("initrd.gz", initrd, sizeof(initrd));
	assert_int_equal(run_boot(), 1);
	assert_int_equal(entry_pc, 0x400000);
	assert_int_equal(nclaims, 3);
	assert_memory_equal(host_ram + 0x400000, vmlinux + 0x10000, KERNEL_FILESZ);
	/* and with the kernel's place itself taken: one line, nothing kept */
	setup(NULL);
	assert_int_equal(add_claim(0x500000, 0x1000), 0);
	serve("pxelinux.cfg/default", pxe_cfg, sizeof(pxe_cfg) - 1);
	serve("vmlinux", vmlinux, sizeof(vmlinux));
	assert_int_equal(run_boot(), 0);
	assert_int_equal(nclaims, 1);
	assert_non_null(strstr(capture_out, "vmlinux: segment memory is not free (claim failed); "
					    "trying the next device\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(pxe_boot, setup, teardown),
		cmocka_unit_test_setup_teardown(pxe_boot_without_tsize, setup, teardown),
		cmocka_unit_test_setup_teardown(pxe_boot_file_directory, setup, teardown),
		cmocka_unit_test_setup_teardown(elf_boot_file, setup, teardown),
		cmocka_unit_test_setup(failures, setup),
		cmocka_unit_test_setup_teardown(kernel_over_its_window, setup, teardown),
		cmocka_unit_test_setup_teardown(window_above_kernel, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
