/* SPDX-License-Identifier: Apache-2.0 */
/* The native firmware started on QEMU's trees (dumped by tests/unit/dump_trees.sh), as tests/unit/test_tree.c does it. */

#include <dirent.h>
#include <string.h>
#include <libfdt.h>
#include <vofkit/core/init.h>
#include <vofkit/core/mem.h>
#include <vofkit/core/pairing.h>
#include <vofkit/core/tree.h>
#include <vofkit/ci/ci.h>
#include "fuzz.h"

/* The heap starts at __fw_end = vk_tree_ram + 0x100000 (a --defsym of the link). */
uint8_t vk_tree_ram[FT_SIM_RAM_SIZE] __attribute__((aligned(1 << 20)));
uint8_t *host_ram = vk_tree_ram;
extern char __fw_end[];

#define MAX_TREES 16
static void *trees[MAX_TREES];
static size_t tree_len[MAX_TREES];
static char tree_name[MAX_TREES][64];
static unsigned int ntrees;

void *ft_ram(uint64_t pa, size_t len)
{
	FUZZ_CHECK(pa <= FT_SIM_RAM_SIZE && len <= FT_SIM_RAM_SIZE - pa, "ram(0x%llx, %zu)",
		   (unsigned long long)pa, len);
	return vk_tree_ram + pa;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

unsigned int ft_load_dtbs(void)
{
	const char *dir = getenv("VOFKIT_DTB_DIR");
	struct dirent *d;
	DIR *dp;
	unsigned int i;

	if (ntrees)
		return ntrees;
	if (!dir || !(dp = opendir(dir))) {
		fprintf(stderr, "fuzz: set VOFKIT_DTB_DIR to the trees of tests/unit/dump_trees.sh\n");
		abort();
	}
	while ((d = readdir(dp)) && ntrees < MAX_TREES) {
		size_t n = strlen(d->d_name);

		if (n > 4 && n < sizeof(tree_name[0]) && !strcmp(d->d_name + n - 4, ".dtb"))
			strcpy(tree_name[ntrees++], d->d_name);
	}
	closedir(dp);
	qsort(tree_name, ntrees, sizeof(tree_name[0]), by_name);	/* stable input meaning */
	for (i = 0; i < ntrees; i++) {
		char path[4096];
		FILE *f;
		long n;

		snprintf(path, sizeof(path), "%s/%s", dir, tree_name[i]);
		f = fopen(path, "rb");
		FUZZ_CHECK(f, "cannot open %s", path);
		fseek(f, 0, SEEK_END);
		n = ftell(f);
		rewind(f);
		FUZZ_CHECK(n > 0 && n <= (long)FT_DTB_MAX, "%s: size %ld", path, n);
		trees[i] = malloc((size_t)n);
		FUZZ_CHECK(trees[i] && fread(trees[i], 1, (size_t)n, f) == (size_t)n, "read %s", path);
		FUZZ_CHECK(!fdt_check_full(trees[i], (size_t)n), "%s is not a valid tree", path);
		tree_len[i] = (size_t)n;
		fclose(f);
	}
	FUZZ_CHECK(ntrees, "no .dtb in %s", dir);
	return ntrees;
}

const void *ft_dtb(unsigned int i, size_t *len)
{
	i %= ft_load_dtbs();
	if (len)
		*len = tree_len[i];
	return trees[i];
}

const char *ft_dtb_name(unsigned int i)
{
	return tree_name[i % ft_load_dtbs()];
}

#define ARGS_ADDR	FT_CLIENT_ADDR
#define NAME_ADDR	(FT_CLIENT_ADDR + 0x800)

int64_t ft_ci(const char *svc, uint32_t nargs, uint32_t nret, const uint32_t *in, uint32_t *out)
{
	size_t n = strlen(svc) + 1;
	uint32_t i, hdr[3] = { NAME_ADDR, nargs, nret };
	uint8_t *args = ft_ram(ARGS_ADDR, 12 + 4 * (nargs + nret));
	int64_t rc;

	memcpy(ft_ram(NAME_ADDR, n), svc, n);
	memcpy(args, hdr, sizeof(hdr));
	memcpy(args + 12, in, 4 * nargs);
	memset(args + 12 + 4 * nargs, 0x5a, 4 * nret);
	rc = ci_dispatch(ARGS_ADDR);
	for (i = 0; out && i < nret; i++)
		memcpy(&out[i], args + 12 + 4 * (nargs + i), 4);
	return rc;
}

static int booted;

/* Close what chosen_stdio_init opened, so instances do not run out across resets. */
static void close_stdio(void)
{
	const char *names[] = { "stdout", "stdin" };
	uint32_t chosen = tree_find("/chosen", NULL), ih;
	unsigned int i;
	int len;

	for (i = 0; chosen && i < 2; i++) {
		const void *p = tree_getprop(chosen, names[i], &len);

		if (p && len == 4) {
			memcpy(&ih, p, 4);
			ft_ci("close", 1, 0, &ih, NULL);
		}
	}
}

/* Reset as QEMU does: the tree at FT_DTB_ADDR, r3 pointing at it, the init levels up to STDIO. */
void ft_boot(unsigned int i)
{
	const struct fw_init_entry *e;
	size_t len;
	const void *fdt = ft_dtb(i, &len);
	int rc = 0;

	if (booted)
		close_stdio();
	booted = 1;
	ft_heap_reset();
	ft_index_reset();
	memcpy(ft_ram(FT_DTB_ADDR, len), fdt, len);
	fw_own_start = 0x100;
	fw_own_end = virt_to_phys(__fw_end);
	fw_ram_top = FT_SIM_RAM_SIZE;
	for (e = __fw_init_start; e < __fw_init_end; e++)
		if (e->level == FW_INIT_EARLY && e->fn())
			rc = -1;
	{
		const struct fw_entry_regs regs = { .r3 = FT_DTB_ADDR };

		int r = pairing_init(&regs);

		FUZZ_CHECK(r == 0, "pairing_init on %s: %d", ft_dtb_name(i), r);
	}
	for (e = __fw_init_start; e < __fw_init_end; e++)
		if (e->level > FW_INIT_EARLY && e->level <= FW_INIT_STDIO && e->fn())
			rc = -1;
	FUZZ_CHECK(!rc, "the firmware did not start on %s", ft_dtb_name(i));
	fw_ram_top = FT_SIM_RAM_SIZE;	/* memory@0 is bigger than the simulated RAM */
}

/*
 * The index agrees with the blob: every node of tree_blob() has a phandle
 * that maps back to its offset, and getprop through the index gives the
 * blob's bytes for each of its properties.
 */
int ft_dup_prop(const void *fdt, int off, const char *name)
{
	int poff, n = 0;

	fdt_for_each_property_offset(poff, fdt, off) {
		const char *pn;

		if (fdt_getprop_by_offset(fdt, poff, &pn, NULL) && !strcmp(pn, name))
			n++;
	}
	return n > 1;
}

void ft_check_index(void)
{
	const void *fdt = tree_blob();
	int off, depth = 0, nodes = 0;

	FUZZ_CHECK(fdt_check_full(fdt, tree_blob_size()) == 0, "the live tree is not a valid FDT");
	for (off = 0; off >= 0 && depth >= 0; off = fdt_next_node(fdt, off, &depth)) {
		uint32_t ph = fdt_get_phandle(fdt, off);
		int poff;

		nodes++;
		FUZZ_CHECK(ph && tree_valid(ph), "node at %d has phandle 0x%x", off, ph);
		FUZZ_CHECK(tree_offset(ph) == off, "phandle 0x%x: index offset %d, blob %d", ph,
			   tree_offset(ph), off);
		fdt_for_each_property_offset(poff, fdt, off) {
			const char *name;
			int len, ilen;
			const void *v = fdt_getprop_by_offset(fdt, poff, &name, &len);
			const void *iv = tree_getprop(ph, name, &ilen);

			if (ft_dup_prop(fdt, off, name))
				continue;
			FUZZ_CHECK(iv && ilen == len && !memcmp(iv, v, (size_t)len),
				   "node 0x%x property %s: index %d bytes, blob %d", ph, name,
				   iv ? ilen : -1, len);
		}
	}
	FUZZ_CHECK((unsigned int)nodes == tree_node_count(), "%d nodes in the blob, %u counted",
		   nodes, tree_node_count());
}
