/* SPDX-License-Identifier: Apache-2.0 */
/* Network boot from one NIC: DHCP, then the boot file (an ELF image) or a PXELINUX config's kernel and initramfs. */

#define pr_fmt(fmt) "boot: " fmt
#include <stdbool.h>
#include <string.h>
#include <arch/ppc64.h>
#include <vofkit/boot/boot_net.h>
#include <vofkit/boot/elf.h>
#include <vofkit/boot/pxelinux.h>
#include <vofkit/core/heap.h>
#include <vofkit/core/mem.h>
#include <vofkit/core/pairing.h>
#include <vofkit/core/tree.h>
#include <vofkit/lib/byteorder.h>
#include <vofkit/lib/log.h>
#include <vofkit/lib/util.h>
#include <vofkit/net/dhcp.h>
#include <vofkit/net/ipv4.h>
#include <vofkit/net/tftp.h>

/*
 * Memory (decision 63).  A file is fetched into a load window claimed
 * anywhere (pairing_claim_any), and an image is loaded from there to
 * where it runs: a boot file's ELF segments at their own addresses, a
 * PXELINUX kernel at 0x400000 as QEMU's -kernel puts it (decision 62).
 * The window must not lie where the image goes, so while it is claimed a
 * guard holds [firmware end, 0x400000 + 2 x the file's size): the window
 * lands above it, and an image that still reaches into the window is
 * refused with one line.  The server's TFTP tsize answer sizes the
 * window; without one the largest free window is taken (at most 1 GiB).
 * The initramfs is fetched straight to its place above the kernel.
 * Every claim goes through claim_at/claim_anywhere and is listed, so
 * each failure gives all of them back and the next device starts clean.
 */
#define NET_CLAIMS_MAX		72	/* the loader's 64 segments, window, guard, initrd, config */
#define GUARD_ALIGN		0x100000ull
#define WINDOW_ALIGN		0x10000ull
#define WINDOW_FALLBACK_MAX	0x40000000ull	/* no tsize: the largest free window up to 1 GiB */
#define WINDOW_FALLBACK_MIN	0x100000ull
#define CONFIG_WINDOW_SIZE	0x10000ull	/* a PXELINUX config: 64 KiB at most */
#define LIMIT_4G		0x100000000ull

struct claim_rec {
	uint64_t addr, size;
};

static struct claim_rec claims[NET_CLAIMS_MAX];
static unsigned int nclaims;

/* Static, not on the firmware stack: 1.9 KiB and 2.6 KiB. */
static struct net_iface ifc;
static struct dhcp_lease lease;
static struct pxe_entry entry;
static char name_buf[TFTP_NAME_MAX];

static int record(uint64_t addr, uint64_t size)
{
	if (nclaims == NET_CLAIMS_MAX) {
		pairing_release(addr, size);
		return -1;
	}
	claims[nclaims].addr = addr;
	claims[nclaims++].size = size;
	return 0;
}

/* An exact claim (also the ELF loader's claim callback). */
static int claim_at(uint64_t addr, uint64_t size)
{
	if (!size || addr >= LIMIT_4G || size > LIMIT_4G - addr || nclaims == NET_CLAIMS_MAX ||
	    pairing_claim(addr, size))
		return -1;
	return record(addr, size);
}

static int claim_anywhere(uint64_t size, uint64_t align, uint64_t *base)
{
	if (nclaims == NET_CLAIMS_MAX || pairing_claim_any(size, align, base))
		return -1;
	return record(*base, size);
}

/* Give back one listed claim (also the ELF loader's release callback). */
static void release_at(uint64_t addr, uint64_t size)
{
	unsigned int i = nclaims;

	while (i--) {
		if (claims[i].addr == addr && claims[i].size == size) {
			memmove(&claims[i], &claims[i + 1], (nclaims - i - 1) * sizeof(claims[0]));
			nclaims--;
			pairing_release(addr, size);
			return;
		}
	}
}

/* Every claim this boot made, newest first: the map ends as it started. */
static void release_all(void)
{
	while (nclaims) {
		nclaims--;
		pairing_release(claims[nclaims].addr, claims[nclaims].size);
	}
}

/* An ELF image in memory (the load window) for the loader. */
struct mem_image {
	const uint8_t *data;
	uint64_t size;
};

static int read_window(void *ctx, uint64_t off, void *buf, size_t len)
{
	const struct mem_image *img = ctx;

	if (off > img->size || len > img->size - off)
		return -1;
	memcpy(buf, img->data + off, len);
	return 0;
}

/*
 * "<file>: <bytes> bytes in <s> s, <MB/s> MB/s, blksize <n>": the
 * benchmark reads it.  lib/printk.c takes no field widths, so the
 * fractions are printed digit by digit; a transfer too short for the
 * clock to see gets no rate.
 */
static void print_throughput(const char *name, const struct tftp_result *res)
{
	uint64_t ms = res->elapsed_us / 1000;
	uint64_t tenths = res->elapsed_us ? res->size * 10 / res->elapsed_us : 0;	/* B/µs = MB/s */

	pr_info("%s: %llu bytes in %llu.%u%u%u s", name, (unsigned long long)res->size,
		(unsigned long long)(ms / 1000), (unsigned int)(ms % 1000 / 100),
		(unsigned int)(ms % 100 / 10), (unsigned int)(ms % 10));
	if (res->elapsed_us)
		pr_cont(", %llu.%u MB/s", (unsigned long long)(tenths / 10),
			(unsigned int)(tenths % 10));
	pr_cont(", blksize %u\n", (unsigned int)res->blksize);
}

/*
 * A path from the DHCP answer or a config, made relative to dir (the
 * boot file's directory) as PXELINUX does, unless it starts with '/'.
 */
static int server_path(const char *dir, const char *file, char *buf, size_t len)
{
	size_t dlen = file[0] == '/' ? 0 : strlen(dir), flen = strlen(file);

	if (dlen + flen >= len)
		return -1;
	memcpy(buf, dir, dlen);
	memcpy(buf + dlen, file, flen + 1);
	return 0;
}

/*
 * The file's size from the server's tsize answer: a request with no room
 * at all, which a server that knows the size refuses before any data.
 * 1 and *size when known; 0 when the server does not say but sends the
 * file (net/tftp.c then refuses it as larger than the room); -1 with the
 * reason in res->error when the server refuses it or does not answer,
 * which the transfer itself would only meet again.
 */
static int file_size(const char *name, uint64_t *size, struct tftp_result *res)
{
	if (!tftp_get(&ifc, lease.server_ip, name, NULL, 0, res)) {
		*size = 0;	/* an empty file */
		return 1;
	}
	if (res->has_tsize) {
		*size = res->tsize;
		return 1;
	}
	return res->too_large ? 0 : -1;
}

/*
 * Claim a load window for a file of `size` bytes (0: unknown) above the
 * guard for an image at 0x400000 (see the top of the file).  0 and
 * base and max set, or -1.
 */
static int claim_window(uint64_t size, uint64_t *base, uint64_t *max)
{
	uint64_t guard_end, guard_base = fw_heap_end(), want = size;
	bool guarded;

	guard_end = ALIGN_UP(ELF_KERNEL_BASE + 2 * (size ? size : WINDOW_FALLBACK_MIN), GUARD_ALIGN);
	if (guard_end >= LIMIT_4G)
		guard_end = 0;
	/*
	 * Something else claimed low (an earlier stage's leftovers): guard at
	 * least the kernel's place; the window may then go below 0x400000.
	 */
	guarded = guard_end && !claim_at(guard_base, guard_end - guard_base);
	if (!guarded && guard_end) {
		guard_base = ELF_KERNEL_BASE;
		guarded = !claim_at(guard_base, guard_end - guard_base);
	}
	if (!want)
		want = WINDOW_FALLBACK_MAX;
	for (;;) {
		if (!claim_anywhere(want, WINDOW_ALIGN, base)) {
			*max = want;
			break;
		}
		if (size || want <= WINDOW_FALLBACK_MIN) {
			want = 0;
			break;
		}
		want /= 2;
	}
	if (guarded)
		release_at(guard_base, guard_end - guard_base);
	return want ? 0 : -1;
}

/* A fetched file: its load window (claimed, listed) and its length. */
struct window {
	uint64_t base, size, len;
};

/*
 * Fetch `name` into a fresh load window: 0, or -1 after one line (what
 * is said names `what`: "boot file", "PXELINUX kernel", ...).  A server
 * that does not say the size gets the file twice: once into the largest
 * window to learn it, once into a window placed for that size.
 */
static int fetch(const char *path, const char *name, const char *what, struct window *w)
{
	struct tftp_result res;
	uint64_t size = 0;
	int known = file_size(name, &size, &res);

	if (known < 0) {
		pr_info("%s: %s %s: %s; trying the next device\n", path, what, name, res.error);
		return -1;
	}
	for (;;) {
		if (claim_window(known ? size : 0, &w->base, &w->size)) {
			if (known)
				pr_info("%s: %s %s: %llu bytes do not fit in free memory; trying the next device\n",
					path, what, name, (unsigned long long)size);
			else
				pr_info("%s: %s %s: no free memory to load it into; trying the next device\n",
					path, what, name);
			return -1;
		}
		if (tftp_get(&ifc, lease.server_ip, name, phys_to_virt(w->base), w->size, &res)) {
			pr_info("%s: %s %s: %s; trying the next device\n", path, what, name,
				res.error);
			return -1;
		}
		if (known)
			break;
		release_at(w->base, w->size);
		size = res.size;
		known = 1;
	}
	print_throughput(name, &res);
	w->len = res.size;
	return 0;
}

static void set_chosen(const char *name, const void *val, int len)
{
	tree_setprop(tree_find("/chosen", NULL), name, val, len);
}

/* What SLOF leaves in /chosen for a network boot: GRUB's ofnet reads it. */
static void set_chosen_net(const char *path)
{
	set_chosen("bootpath", path, (int)strlen(path) + 1);
	set_chosen(lease.bootp_only ? "bootp-response" : "dhcp-response", lease.response,
		   DHCP_RESPONSE_SIZE);
}

/* The ELF image must not reach into the window it is copied from. */
static bool overlaps(const struct elf_loaded *img, uint64_t base, uint64_t len)
{
	return img->lowest < base + len && base < img->highest;
}

/* elf_measure's and the loader's refusals, as one line each. */
static void say_not_loadable(const char *path, const char *file, const char *why)
{
	if (!strcmp(why, "no ELF image") || !strcmp(why, "image too small or unreadable"))
		why = "not an ELF image";
	pr_info("%s: %s: %s; trying the next device\n", path, file, why);
}

/*
 * Fetch an ELF file and load it from its window: at its own addresses
 * (reloc NULL) or as -kernel places a kernel.  The window is given back
 * once the image is in place.  0 with *out, or -1 after one line.
 */
static int fetch_and_load(const char *path, const char *file, const char *what,
			  const struct elf_reloc *reloc, struct elf_loaded *out)
{
	struct window w;
	struct mem_image img;
	struct elf_source src = { .read = read_window, .ctx = &img };
	const char *why;

	if (fetch(path, file, what, &w))
		return -1;
	img.data = phys_to_virt(w.base);
	img.size = src.size = w.len;
	if (elf_measure(&src, reloc, out, &why)) {
		say_not_loadable(path, file, why);
		return -1;
	}
	if (overlaps(out, w.base, w.size)) {
		pr_info("%s: %s: needs 0x%llx-0x%llx, over its load window; trying the next device\n",
			path, file, (unsigned long long)out->lowest,
			(unsigned long long)out->highest);
		return -1;
	}
	if (elf_load_kernel(&src, reloc, claim_at, release_at, out, &why)) {
		say_not_loadable(path, file, why);
		return -1;
	}
	release_at(w.base, w.size);
	return 0;
}

/* The boot file is an ELF image: load it at its own addresses and start it. */
static void boot_elf_file(const char *path, const char *file)
{
	struct elf_loaded out;

	if (fetch_and_load(path, file, "boot file", NULL, &out))
		return;
	set_chosen_net(path);
	pr_info("starting the ELF%s image %s from %s at 0x%llx\n", out.is64 ? "64" : "32", file,
		path, (unsigned long long)out.entry);
	arch_enter_client(out.entry, 0, 0, pairing_client_stack_top());
}

/*
 * Find the first PXELINUX config that exists, in PXELINUX's order, and
 * parse it into `entry`.  A missing config is quiet; 0, or -1 after one
 * line.
 */
static int find_config(const char *path, const char *dir)
{
	char *text;
	struct tftp_result res;
	uint64_t base;
	unsigned int i;
	const char *why;

	if (claim_anywhere(CONFIG_WINDOW_SIZE, WINDOW_ALIGN, &base)) {
		pr_info("%s: no free memory for a PXELINUX config; trying the next device\n", path);
		return -1;
	}
	text = phys_to_virt(base);
	for (i = 0; i < PXE_CONFIG_NAMES; i++) {
		if (pxelinux_config_name(i, dir, ifc.dev->mac, lease.client_ip, name_buf,
					 sizeof(name_buf)))
			continue;	/* a directory too long for this name */
		if (!tftp_get(&ifc, lease.server_ip, name_buf, text, CONFIG_WINDOW_SIZE, &res))
			break;
		/*
		 * Not there is the usual answer, and quiet.  A server that
		 * does not answer at all would cost each of the ten names
		 * a timeout: one is enough to give up on this NIC.
		 */
		if (!res.server_error) {
			pr_info("%s: %s: %s; trying the next device\n", path, name_buf, res.error);
			release_at(base, CONFIG_WINDOW_SIZE);
			return -1;
		}
	}
	if (i == PXE_CONFIG_NAMES) {
		pr_info("%s: no PXELINUX config on " IPV4_FMT " (%spxelinux.cfg/01-<MAC>, <IP in hex>, default); trying the next device\n",
			path, IPV4_ARGS(lease.server_ip), dir);
		release_at(base, CONFIG_WINDOW_SIZE);
		return -1;
	}
	pr_info("%s: PXELINUX config %s\n", path, name_buf);
	print_throughput(name_buf, &res);
	if (pxelinux_parse(text, res.size, &entry, &why)) {
		if (entry.label[0])
			pr_info("%s: %s: label %s: %s; trying the next device\n", path, name_buf,
				entry.label, why);
		else
			pr_info("%s: %s: %s; trying the next device\n", path, name_buf, why);
		release_at(base, CONFIG_WINDOW_SIZE);
		return -1;
	}
	release_at(base, CONFIG_WINDOW_SIZE);
	return 0;
}

/*
 * The initramfs, fetched straight to its place: QEMU's -kernel puts it at
 * the kernel's end plus 64 KiB, rounded up to 64 KiB (hw/ppc/spapr.c).
 * 0 with base and len set, or -1 after one line.
 */
static int fetch_initrd(const char *path, const char *name, uint64_t kernel_end,
			uint64_t *base, uint64_t *len)
{
	struct tftp_result res;
	uint64_t size = 0, room;
	int known = file_size(name, &size, &res);

	if (known < 0) {
		pr_info("%s: initrd %s: %s; trying the next device\n", path, name, res.error);
		return -1;
	}
	*base = ALIGN_UP(kernel_end + 0x10000, 0x10000);
	room = known ? (size ? size : 1) : fw_ram_top > *base ? MIN(fw_ram_top, LIMIT_4G) - *base : 0;
	/* without tsize: the most that can be claimed there, halving down to 1 MiB */
	while (room && claim_at(*base, room)) {
		if (known || room <= WINDOW_FALLBACK_MIN)
			room = 0;
		else
			room = ALIGN_DOWN(room / 2, WINDOW_ALIGN);
	}
	if (!room) {
		pr_info("%s: initrd %s: does not fit in free memory at 0x%llx; trying the next device\n",
			path, name, (unsigned long long)*base);
		return -1;
	}
	if (tftp_get(&ifc, lease.server_ip, name, phys_to_virt(*base), room, &res)) {
		pr_info("%s: initrd %s: %s; trying the next device\n", path, name, res.error);
		return -1;
	}
	print_throughput(name, &res);
	*len = res.size;
	return 0;
}

/* No boot file, or a directory: PXELINUX's search, then its kernel as -kernel loads it. */
static void boot_pxelinux(const char *path, const char *dir)
{
	static const struct elf_reloc reloc = { ELF_KERNEL_BASE };
	struct elf_loaded out;
	uint64_t initrd = 0, initrd_len = 0;
	be32 cell;

	if (find_config(path, dir))
		return;
	if (server_path(dir, entry.kernel, name_buf, sizeof(name_buf))) {
		pr_info("%s: kernel %s%s: name too long; trying the next device\n", path, dir,
			entry.kernel);
		return;
	}
	if (fetch_and_load(path, name_buf, "PXELINUX kernel", &reloc, &out))
		return;
	if (entry.initrd[0]) {
		if (server_path(dir, entry.initrd, name_buf, sizeof(name_buf))) {
			pr_info("%s: initrd %s%s: name too long; trying the next device\n", path,
				dir, entry.initrd);
			return;
		}
		if (fetch_initrd(path, name_buf, out.highest, &initrd, &initrd_len))
			return;
		/* one cell each, as QEMU writes them for -initrd */
		cell = cpu_to_be32((uint32_t)initrd);
		set_chosen("linux,initrd-start", &cell, sizeof(cell));
		cell = cpu_to_be32((uint32_t)(initrd + initrd_len));
		set_chosen("linux,initrd-end", &cell, sizeof(cell));
	}
	set_chosen("bootargs", entry.append, (int)strlen(entry.append) + 1);
	set_chosen_net(path);
	pr_info("booting kernel at 0x%llx, initrd 0x%llx+0x%llx, from %s\n",
		(unsigned long long)out.entry, (unsigned long long)initrd,
		(unsigned long long)initrd_len, path);
	arch_enter_client(out.entry, initrd, initrd_len, pairing_client_stack_top());
}

void boot_net(struct net_dev *dev, const char *path, const char *args)
{
	const char *why, *file = lease.bootfile;
	size_t flen;

	/* PowerVM-style arguments (speed=, IP addresses) are for the firmware's own
	 * stack to take from DHCP instead; SLOF ignores them too. */
	(void)args;
	nclaims = 0;
	net_iface_init(&ifc, dev);
	if (dhcp_configure(&ifc, &lease, CONFIG_NET_DHCP_TIMEOUT_MS, &why)) {
		pr_info("%s: %s; trying the next device\n", path, why);
		return;
	}
	flen = strlen(file);
	pr_info("%s: address " IPV4_FMT " from %s server " IPV4_FMT ", boot file %s%s%s\n", path,
		IPV4_ARGS(lease.client_ip), lease.bootp_only ? "BOOTP" : "DHCP",
		IPV4_ARGS(lease.server_ip), flen ? "\"" : "", flen ? file : "none",
		flen ? "\"" : "");
	if (flen && file[flen - 1] != '/')
		boot_elf_file(path, file);
	else
		boot_pxelinux(path, file);
	/* back here only when the NIC could not boot: nothing stays claimed */
	release_all();
}
