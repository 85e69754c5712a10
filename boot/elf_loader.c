/* SPDX-License-Identifier: Apache-2.0 */
/* ELF loader for boot images: big-endian ELF32/ELF64 PowerPC executables, loaded at their physical addresses. */

#include <string.h>
#include <vofkit/boot/elf.h>
#include <vofkit/boot/elf_format.h>
#include <vofkit/lib/byteorder.h>
#include <vofkit/core/mem.h>
#include <vofkit/lib/util.h>

#define MAX_PHDRS	64

struct segment {
	uint64_t offset, paddr, filesz, memsz;
};

/* Pull the fields we use out of an ELF32 or ELF64 program header. */
static void read_phdr(const void *ph, int is64, uint32_t *type, struct segment *seg)
{
	if (is64) {
		const struct elf64_phdr *p = ph;

		*type = be32_to_cpu(p->type);
		seg->offset = be64_to_cpu(p->offset);
		seg->paddr = be64_to_cpu(p->paddr);
		seg->filesz = be64_to_cpu(p->filesz);
		seg->memsz = be64_to_cpu(p->memsz);
	} else {
		const struct elf32_phdr *p = ph;

		*type = be32_to_cpu(p->type);
		seg->offset = be32_to_cpu(p->offset);
		seg->paddr = be32_to_cpu(p->paddr);
		seg->filesz = be32_to_cpu(p->filesz);
		seg->memsz = be32_to_cpu(p->memsz);
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
	union {
		struct elf_ident ident;
		struct elf32_ehdr e32;
		struct elf64_ehdr e64;
	} eh;
	union {
		struct elf32_phdr p32;
		struct elf64_phdr p64;
	} ph;
	uint64_t phoff;
	uint16_t phentsize, phnum, machine;
	unsigned int i, loaded = 0;
	int is64;

	memset(&eh, 0, sizeof(eh));
	if (src->size < sizeof(eh.e32) ||
	    src->read(src->ctx, 0, &eh, MIN((uint64_t)sizeof(eh), src->size))) {
		*why = "image too small or unreadable";
		return -1;
	}
	if (memcmp(eh.ident.magic, ELF_MAGIC, 4)) {
		*why = "no ELF image";
		return -1;
	}
	is64 = eh.ident.class == ELF_CLASS64;
	/* type and machine sit at the same offsets in both classes */
	machine = be16_to_cpu(eh.e32.machine);
	if ((eh.ident.class != ELF_CLASS32 && !is64) || eh.ident.data != ELF_DATA_BE ||
	    be16_to_cpu(eh.e32.type) != ELF_ET_EXEC ||
	    (machine != ELF_EM_PPC && machine != ELF_EM_PPC64)) {
		*why = "not a big-endian PowerPC executable";
		return -1;
	}
	if (is64) {
		out->entry = be64_to_cpu(eh.e64.entry);
		phoff = be64_to_cpu(eh.e64.phoff);
		phentsize = be16_to_cpu(eh.e64.phentsize);
		phnum = be16_to_cpu(eh.e64.phnum);
	} else {
		out->entry = be32_to_cpu(eh.e32.entry);
		phoff = be32_to_cpu(eh.e32.phoff);
		phentsize = be16_to_cpu(eh.e32.phentsize);
		phnum = be16_to_cpu(eh.e32.phnum);
	}
	if (!phnum || phnum > MAX_PHDRS ||
	    phentsize < (is64 ? sizeof(ph.p64) : sizeof(ph.p32)) || phentsize > 256 ||
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

		if (src->read(src->ctx, phoff + (uint64_t)i * phentsize, &ph,
			      is64 ? sizeof(ph.p64) : sizeof(ph.p32))) {
			*why = "program headers unreadable";
			return -1;
		}
		read_phdr(&ph, is64, &type, &seg);
		if (type != ELF_PT_LOAD || !seg.memsz)
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
	if (is64 && (be32_to_cpu(eh.e64.flags) & ELF_EF_PPC64_ABI) != 2) {
		if (out->entry < out->lowest || out->entry + 8 > out->highest) {
			*why = "entry descriptor outside the image";
			return -1;
		}
		be64 code;

		memcpy(&code, phys_to_virt(out->entry), sizeof(code));	/* may be unaligned */
		out->entry = be64_to_cpu(code);
	}
	if (out->entry < out->lowest || out->entry >= out->highest) {
		*why = "entry point outside the loaded segments";
		return -1;
	}
	return 0;
}
