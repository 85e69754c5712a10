/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: the ELF loader (boot/elf_loader.c).
 *
 * Input: the boot image (the partition's bytes).  The simulated RAM is
 * 64 MiB of heap with ASan's redzones around it; the claim callback acts
 * like the firmware's claim: inside RAM, above the firmware's own region,
 * not overlapping an earlier claim.
 * Each input is loaded twice: as a boot image at its own addresses
 * (elf_load) and as a kernel placed the way QEMU's -kernel places one
 * (elf_load_kernel, base 0x400000, little-endian images too), each after
 * elf_measure of the same image.
 * Oracles: sanitizers; every byte the loader writes was claimed; on
 * success the entry point (and, for ELFv1, its descriptor) lies in RAM,
 * a kernel's entry is its base, and elf_measure said the same range and
 * entry without claiming anything.
 */

#include <string.h>
#include <vofkit/boot/elf.h>
#include <vofkit/core/mem.h>
#include "fuzz.h"

#define RAM_SIZE	(64u << 20)
#define FW_END		0x100000u	/* the firmware's own memory: [0, 1 MiB) */
#define MAX_CLAIMS	128

uint8_t *host_ram;
uint64_t fw_ram_top = RAM_SIZE, fw_own_start = 0, fw_own_end = FW_END;

static const uint8_t *image;
static size_t image_len;
static uint64_t claims[MAX_CLAIMS][2];
static unsigned int nclaims;

static int image_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	(void)ctx;
	if (off > image_len || len > image_len - off)
		return -1;
	if ((uint8_t *)buf >= host_ram && (uint8_t *)buf < host_ram + RAM_SIZE) {
		uint64_t pa = (uint64_t)((uint8_t *)buf - host_ram);
		unsigned int i;
		int ok = 0;

		for (i = 0; i < nclaims; i++)
			if (pa >= claims[i][0] && len <= claims[i][0] + claims[i][1] - pa)
				ok = 1;
		FUZZ_CHECK(ok, "read of %zu bytes into unclaimed memory at 0x%llx", len,
			   (unsigned long long)pa);
	}
	memcpy(buf, image + off, len);
	return 0;
}

static int fake_claim(uint64_t addr, uint64_t size)
{
	unsigned int i;

	if (!size || addr < FW_END || addr >= RAM_SIZE || size > RAM_SIZE - addr ||
	    nclaims == MAX_CLAIMS)
		return -1;
	for (i = 0; i < nclaims; i++)
		if (addr < claims[i][0] + claims[i][1] && claims[i][0] < addr + size)
			return -1;
	claims[nclaims][0] = addr;
	claims[nclaims][1] = size;
	nclaims++;
	return 0;
}

/* The loader gives back exactly what it claimed (decision 38): anything else is a bug. */
static void fake_release(uint64_t addr, uint64_t size)
{
	unsigned int i;

	for (i = 0; i < nclaims; i++) {
		if (claims[i][0] == addr && claims[i][1] == size) {
			claims[i][0] = claims[nclaims - 1][0];
			claims[i][1] = claims[nclaims - 1][1];
			nclaims--;
			return;
		}
	}
	FUZZ_CHECK(0, "release of 0x%llx+0x%llx, which was never claimed",
		   (unsigned long long)addr, (unsigned long long)size);
}

/* One load: elf_measure, then elf_load (reloc NULL) or elf_load_kernel, checked against it. */
static void load_once(const struct elf_source *src, const struct elf_reloc *reloc)
{
	struct elf_loaded out, measured;
	const char *why = NULL, *mwhy = NULL;
	int measured_ok, rc;

	nclaims = 0;
	memset(&measured, 0, sizeof(measured));
	measured_ok = elf_measure(src, reloc, &measured, &mwhy) == 0;
	FUZZ_CHECK(nclaims == 0, "elf_measure claimed memory");
	FUZZ_CHECK(measured_ok || (mwhy && *mwhy), "elf_measure failed without a reason");
	memset(&out, 0, sizeof(out));
	rc = reloc ? elf_load_kernel(src, reloc, fake_claim, fake_release, &out, &why) :
		     elf_load(src, fake_claim, fake_release, &out, &why);
	if (rc == 0) {
		FUZZ_CHECK(nclaims > 0, "loaded without a claim");
		FUZZ_CHECK(out.entry >= out.lowest && out.entry < out.highest,
			   "entry 0x%llx outside [0x%llx, 0x%llx)", (unsigned long long)out.entry,
			   (unsigned long long)out.lowest, (unsigned long long)out.highest);
		FUZZ_CHECK(out.highest <= RAM_SIZE, "loaded above RAM");
		FUZZ_CHECK(!reloc || out.entry == reloc->base, "kernel entry 0x%llx is not its base",
			   (unsigned long long)out.entry);
		FUZZ_CHECK(measured_ok && measured.lowest == out.lowest &&
			   measured.highest == out.highest && measured.entry == out.entry,
			   "elf_measure disagrees with the load");
	} else {
		FUZZ_CHECK(why && *why, "failure without a reason");
		/* a refused image keeps no memory (F1) */
		FUZZ_CHECK(nclaims == 0, "%u claims kept after a refused image", nclaims);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct elf_reloc kernel = { ELF_KERNEL_BASE };
	struct elf_source src;
	uint8_t *copy;

	if (!host_ram)
		host_ram = malloc(RAM_SIZE);
	copy = malloc(size ? size : 1);
	memcpy(copy, data, size);
	image = copy;
	image_len = size;
	src.read = image_read;
	src.ctx = NULL;
	src.size = size;
	load_once(&src, NULL);
	load_once(&src, &kernel);
	free(copy);
	return 0;
}
