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

#endif /* VOFKIT_BOOT_ELF_H */
