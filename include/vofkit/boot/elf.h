/* SPDX-License-Identifier: Apache-2.0 */
/* The ELF loader for boot images: big-endian ELF32/ELF64 PowerPC executables at their physical addresses. */
#ifndef VOFKIT_BOOT_ELF_H
#define VOFKIT_BOOT_ELF_H

#include <stddef.h>
#include <stdint.h>

/* An ELF image to load: reads go through `read` at byte offsets from the image start. */
struct elf_source {
	int (*read)(void *ctx, uint64_t off, void *buf, size_t len);
	void *ctx;
	uint64_t size;		/* bytes available (partition size) */
};

struct elf_loaded {
	uint64_t entry;
	int is64;		/* ELF64 (enter in 64-bit mode?) */
	int little_endian;	/* a little-endian kernel (elf_load_kernel only) */
	uint64_t lowest, highest;	/* loaded range */
};

/*
 * Check a big-endian ELF32/ELF64 PowerPC executable and load every
 * PT_LOAD at its physical address, zero-filling the bss part.  Every
 * program header and the entry point are checked before anything is
 * claimed; then each segment is claimed with claim(addr, size) -> 0 or -1,
 * and on any later failure every claim made is handed back with
 * release(addr, size) (the same addr and size), so a refused image leaves
 * the memory map as it found it.  Returns 0, or -1 with *why set.
 */
int elf_load(const struct elf_source *src, int (*claim)(uint64_t addr, uint64_t size),
	     void (*release)(uint64_t addr, uint64_t size), struct elf_loaded *out,
	     const char **why);

/*
 * Where elf_load_kernel puts a kernel: as QEMU's pseries -kernel does
 * (hw/ppc/spapr.c, translate_kernel_address), each PT_LOAD goes to
 * base + (p_paddr & ELF_KERNEL_ADDR_MASK), and the entry is base itself,
 * whatever e_entry says.  QEMU's base is 0x400000 (KERNEL_LOAD_ADDR).
 */
#define ELF_KERNEL_ADDR_MASK	0x0fffffffull
#define ELF_KERNEL_BASE		0x400000ull

struct elf_reloc {
	uint64_t base;
};

/*
 * elf_load for a kernel placed as above; big- or little-endian (a
 * ppc64el vmlinux switches itself after entry, as under -kernel).  The
 * same checks, claims and releases as elf_load; out->entry = base.
 * reloc NULL is elf_load itself (as for elf_measure).
 */
int elf_load_kernel(const struct elf_source *src, const struct elf_reloc *reloc,
		    int (*claim)(uint64_t addr, uint64_t size),
		    void (*release)(uint64_t addr, uint64_t size), struct elf_loaded *out,
		    const char **why);

/*
 * Check an image as elf_load (reloc NULL) or elf_load_kernel would and
 * say where it would go (out->lowest/highest/entry), claiming and
 * writing nothing.  0, or -1 with *why.
 */
int elf_measure(const struct elf_source *src, const struct elf_reloc *reloc,
		struct elf_loaded *out, const char **why);

#endif /* VOFKIT_BOOT_ELF_H */
