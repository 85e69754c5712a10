/* SPDX-License-Identifier: Apache-2.0 */
/* ELF loader for boot images: big-endian ELF32/ELF64 PowerPC executables, loaded at their physical addresses. */

#include <string.h>
#include <vofkit/boot/elf.h>
#include <vofkit/core/mem.h>
#include <vofkit/lib/util.h>

#define EM_PPC		20
#define EM_PPC64	21
#define ET_EXEC		2
#define PT_LOAD		1
#define MAX_PHDRS	64

/* Big-endian fields (this firmware is big-endian, but stay explicit). */
static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)be16(p) << 16 | be16(p + 2);
}

static uint64_t be64(const uint8_t *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

struct segment {
	uint64_t offset, paddr, filesz, memsz;
};

/* Pull the fields we use out of an ELF32 or ELF64 program header. */
static void read_phdr(const uint8_t *ph, int is64, uint32_t *type, struct segment *seg)
{
	*type = be32(ph);
	if (is64) {
		seg->offset = be64(ph + 8);
		seg->paddr = be64(ph + 24);
		seg->filesz = be64(ph + 32);
		seg->memsz = be64(ph + 40);
	} else {
		seg->offset = be32(ph + 4);
		seg->paddr = be32(ph + 12);
		seg->filesz = be32(ph + 16);
		seg->memsz = be32(ph + 20);
	}
}

/*
 * What SLOF and GRUB's own tools agree on: ET_EXEC, big-endian, PowerPC,
 * segments within the image and loaded below 4 GiB (cells are 32-bit).
 * Each PT_LOAD is claimed before it is written, so a segment can never
 * land on the firmware or on memory the client already owns.
 */
int elf_load(const struct elf_source *src, int (*claim)(uint64_t addr, uint64_t size),
	     struct elf_loaded *out, const char **why)
{
	uint8_t eh[64], ph[56];
	uint64_t phoff;
	uint16_t phentsize, phnum, machine;
	unsigned int i, loaded = 0;
	int is64;

	if (src->size < 52 || src->read(src->ctx, 0, eh, MIN((uint64_t)sizeof(eh), src->size))) {
		*why = "image too small or unreadable";
		return -1;
	}
	if (memcmp(eh, "\177ELF", 4)) {
		*why = "no ELF image";
		return -1;
	}
	is64 = eh[4] == 2;
	machine = be16(eh + 18);
	if ((eh[4] != 1 && eh[4] != 2) || eh[5] != 2 || be16(eh + 16) != ET_EXEC ||
	    (machine != EM_PPC && machine != EM_PPC64)) {
		*why = "not a big-endian PowerPC executable";
		return -1;
	}
	if (is64) {
		out->entry = be64(eh + 24);
		phoff = be64(eh + 32);
		phentsize = be16(eh + 54);
		phnum = be16(eh + 56);
	} else {
		out->entry = be32(eh + 24);
		phoff = be32(eh + 28);
		phentsize = be16(eh + 42);
		phnum = be16(eh + 44);
	}
	if (!phnum || phnum > MAX_PHDRS || phentsize < (is64 ? 56 : 32) || phentsize > 256 ||
	    phoff > src->size || (uint64_t)phnum * phentsize > src->size - phoff) {
		*why = "bad program headers";
		return -1;
	}
	out->is64 = is64;
	out->lowest = UINT64_MAX;
	out->highest = 0;
	for (i = 0; i < phnum; i++) {
		struct segment seg;
		uint32_t type;

		if (src->read(src->ctx, phoff + (uint64_t)i * phentsize, ph, is64 ? 56 : 32)) {
			*why = "program headers unreadable";
			return -1;
		}
		read_phdr(ph, is64, &type, &seg);
		if (type != PT_LOAD || !seg.memsz)
			continue;
		if (seg.filesz > seg.memsz || seg.offset > src->size ||
		    seg.filesz > src->size - seg.offset || seg.paddr >= 0x100000000ull ||
		    seg.memsz > 0x100000000ull - seg.paddr) {
			*why = "segment outside the image or above 4 GiB";
			return -1;
		}
		if (claim(seg.paddr, seg.memsz)) {
			*why = "segment memory is not free (claim failed)";
			return -1;
		}
		if (seg.filesz && src->read(src->ctx, seg.offset, phys_to_virt(seg.paddr), seg.filesz)) {
			*why = "segment unreadable";
			return -1;
		}
		memset((uint8_t *)phys_to_virt(seg.paddr) + seg.filesz, 0, seg.memsz - seg.filesz);
		out->lowest = MIN(out->lowest, seg.paddr);
		out->highest = MAX(out->highest, seg.paddr + seg.memsz);
		loaded++;
	}
	if (!loaded) {
		*why = "no loadable segment";
		return -1;
	}
	/*
	 * A 64-bit ELFv1 executable (e_flags ABI field != 2) names a function
	 * descriptor as its entry: the code address is its first doubleword.
	 */
	if (is64 && (be32(eh + 48) & 3) != 2) {
		if (out->entry < out->lowest || out->entry + 8 > out->highest) {
			*why = "entry descriptor outside the image";
			return -1;
		}
		out->entry = be64(phys_to_virt(out->entry));
	}
	if (out->entry < out->lowest || out->entry >= out->highest) {
		*why = "entry point outside the loaded segments";
		return -1;
	}
	return 0;
}
