/* SPDX-License-Identifier: Apache-2.0 */
/* ELF loader for boot images: big-endian ELF32/ELF64 PowerPC executables, loaded at their physical addresses. */

#include <string.h>
#include <vofkit/boot/elf.h>
#include <vofkit/boot/elf_format.h>
#include <vofkit/lib/byteorder.h>
#include <vofkit/core/mem.h>
#include <vofkit/lib/util.h>

#define MAX_PHDRS	64
#define LIMIT_4G	0x100000000ull

struct segment {
	uint64_t offset, paddr, filesz, memsz;
};

/*
 * The loadable segments of the image being loaded.  Static, not on the
 * stack: 64 of them are 2 KiB, a quarter of the firmware stack, and the
 * loader is never re-entered (one boot source runs at a time).
 */
static struct segment segs[MAX_PHDRS];

/*
 * Header fields in the image's own byte order: boot images are big-endian,
 * a little-endian kernel (ppc64el's vmlinux) is loaded only relocated, as
 * QEMU's -kernel loads it.  The field types are plain integers.
 */
static uint16_t get16(int le, uint16_t v) { return le ? le16_to_cpu(v) : be16_to_cpu(v); }
static uint32_t get32(int le, uint32_t v) { return le ? le32_to_cpu(v) : be32_to_cpu(v); }
static uint64_t get64(int le, uint64_t v) { return le ? le64_to_cpu(v) : be64_to_cpu(v); }

/* Pull the fields we use out of an ELF32 or ELF64 program header. */
static void read_phdr(const void *ph, int is64, int le, uint32_t *type, struct segment *seg)
{
	if (is64) {
		const struct elf64_phdr *p = ph;

		*type = get32(le, p->type);
		seg->offset = get64(le, p->offset);
		seg->paddr = get64(le, p->paddr);
		seg->filesz = get64(le, p->filesz);
		seg->memsz = get64(le, p->memsz);
	} else {
		const struct elf32_phdr *p = ph;

		*type = get32(le, p->type);
		seg->offset = get32(le, p->offset);
		seg->paddr = get32(le, p->paddr);
		seg->filesz = get32(le, p->filesz);
		seg->memsz = get32(le, p->memsz);
	}
}

/*
 * The segment holding [addr, addr + len) in its memory image (file_only:
 * in its file-backed bytes), or NULL.  Written as differences from the
 * segment start, so no sum can wrap whatever addr a hostile image gives.
 */
static const struct segment *segment_holding(unsigned int n, uint64_t addr, uint64_t len,
					     int file_only)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		uint64_t size = file_only ? segs[i].filesz : segs[i].memsz;

		if (addr >= segs[i].paddr && addr - segs[i].paddr < size &&
		    len <= size - (addr - segs[i].paddr))
			return &segs[i];
	}
	return NULL;
}

/* Give back claims [0, n) in reverse order, so the map ends as it started. */
static void release_all(unsigned int n, void (*release)(uint64_t addr, uint64_t size))
{
	while (n--)
		release(segs[n].paddr, segs[n].memsz);
}

/*
 * Read and check the file header and every program header; fill segs[].
 * Nothing is claimed or written here: a hostile image is refused with
 * memory exactly as it was.  Returns the number of loadable segments, or
 * -1 with *why set.
 */
static int elf_validate(const struct elf_source *src, const struct elf_reloc *reloc,
			struct elf_loaded *out, uint32_t *flags, const char **why)
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
	unsigned int i, j, n = 0;
	int is64, le;

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
	/* only a relocated load (a kernel, as -kernel loads it) takes little-endian */
	le = reloc && eh.ident.data == ELF_DATA_LE;
	/* type and machine sit at the same offsets in both classes */
	machine = get16(le, eh.e32.machine);
	if ((eh.ident.class != ELF_CLASS32 && !is64) || (eh.ident.data != ELF_DATA_BE && !le) ||
	    get16(le, eh.e32.type) != ELF_ET_EXEC ||
	    (machine != ELF_EM_PPC && machine != ELF_EM_PPC64)) {
		*why = reloc ? "not a PowerPC executable" : "not a big-endian PowerPC executable";
		return -1;
	}
	if (is64) {
		out->entry = get64(le, eh.e64.entry);
		phoff = get64(le, eh.e64.phoff);
		phentsize = get16(le, eh.e64.phentsize);
		phnum = get16(le, eh.e64.phnum);
		*flags = get32(le, eh.e64.flags);
	} else {
		out->entry = get32(le, eh.e32.entry);
		phoff = get32(le, eh.e32.phoff);
		phentsize = get16(le, eh.e32.phentsize);
		phnum = get16(le, eh.e32.phnum);
		*flags = 0;
	}
	if (!phnum || phnum > MAX_PHDRS ||
	    phentsize < (is64 ? sizeof(ph.p64) : sizeof(ph.p32)) || phentsize > 256 ||
	    phoff > src->size || (uint64_t)phnum * phentsize > src->size - phoff) {
		*why = "bad program headers";
		return -1;
	}
	out->is64 = is64;
	out->little_endian = le;
	for (i = 0; i < phnum; i++) {
		struct segment seg;
		uint32_t type;

		if (src->read(src->ctx, phoff + (uint64_t)i * phentsize, &ph,
			      is64 ? sizeof(ph.p64) : sizeof(ph.p32))) {
			*why = "program headers unreadable";
			return -1;
		}
		read_phdr(&ph, is64, le, &type, &seg);
		if (type != ELF_PT_LOAD || !seg.memsz)
			continue;
		/*
		 * QEMU's pseries -kernel (translate_kernel_address): the low
		 * 28 bits of p_paddr from the load address, so a vmlinux
		 * linked at 0xc000... with p_paddr 0 lands at the base.
		 */
		if (reloc)
			seg.paddr = reloc->base + (seg.paddr & ELF_KERNEL_ADDR_MASK);
		/* cells are 32-bit: every byte of a segment must lie below 4 GiB */
		if (seg.filesz > seg.memsz || seg.offset > src->size ||
		    seg.filesz > src->size - seg.offset || seg.paddr >= LIMIT_4G ||
		    seg.memsz > LIMIT_4G - seg.paddr) {
			*why = "segment outside the image or above 4 GiB";
			return -1;
		}
		/*
		 * Overlapping segments would be claimed twice (the second claim
		 * fails) or, loaded in order, overwrite each other: refused.
		 */
		for (j = 0; j < n; j++) {
			if (seg.paddr < segs[j].paddr + segs[j].memsz &&
			    segs[j].paddr < seg.paddr + seg.memsz) {
				*why = "segments overlap";
				return -1;
			}
		}
		segs[n++] = seg;
	}
	if (!n) {
		*why = "no loadable segment";
		return -1;
	}
	return (int)n;
}

/*
 * What SLOF and GRUB's own tools agree on: ET_EXEC, big-endian, PowerPC,
 * segments within the image and loaded below 4 GiB (cells are 32-bit).
 * The discipline (docs/decisions.md): validate everything, then claim,
 * then write; on any failure release every claim made, so a rejected
 * image leaves memory as it found it and the next device can be tried.
 */
static int load_image(const struct elf_source *src, const struct elf_reloc *reloc,
		      int (*claim)(uint64_t addr, uint64_t size),
		      void (*release)(uint64_t addr, uint64_t size), struct elf_loaded *out,
		      const char **why)
{
	const struct segment *s;
	uint32_t flags;
	unsigned int i;
	int n = elf_validate(src, reloc, out, &flags, why);

	if (n < 0)
		return -1;
	if (reloc) {
		/* -kernel on pseries ignores e_entry: the client starts at the load address */
		out->entry = reloc->base;
	} else if (out->is64 && (flags & ELF_EF_PPC64_ABI) != 2) {
		/*
		 * A 64-bit ELFv1 executable (e_flags ABI field != 2) names a
		 * function descriptor as its entry: the code address is its
		 * first doubleword.  The descriptor must lie wholly in one
		 * segment's file-backed bytes (bss would read as 0), so it is
		 * read from the image before anything is claimed.
		 */
		be64 code;

		s = segment_holding((unsigned int)n, out->entry, sizeof(code), 1);
		if (!s) {
			*why = "entry descriptor outside the image";
			return -1;
		}
		if (src->read(src->ctx, s->offset + (out->entry - s->paddr), &code, sizeof(code))) {
			*why = "entry descriptor unreadable";
			return -1;
		}
		out->entry = be64_to_cpu(code);
	}
	/* Inside one loaded segment, not merely between the lowest and highest. */
	if (!segment_holding((unsigned int)n, out->entry, 1, 0)) {
		*why = "entry point outside the loaded segments";
		return -1;
	}
	out->lowest = UINT64_MAX;
	out->highest = 0;
	for (i = 0; i < (unsigned int)n; i++) {
		out->lowest = MIN(out->lowest, segs[i].paddr);
		out->highest = MAX(out->highest, segs[i].paddr + segs[i].memsz);
	}
	if (!claim)
		return 0;	/* elf_measure: checked, nothing claimed or written */
	/* Claim all before writing any, so a refused claim leaves no bytes changed. */
	for (i = 0; i < (unsigned int)n; i++) {
		if (claim(segs[i].paddr, segs[i].memsz)) {
			release_all(i, release);
			*why = "segment memory is not free (claim failed)";
			return -1;
		}
	}
	for (i = 0; i < (unsigned int)n; i++) {
		s = &segs[i];
		if (s->filesz && src->read(src->ctx, s->offset, phys_to_virt(s->paddr), s->filesz)) {
			release_all((unsigned int)n, release);
			*why = "segment unreadable";
			return -1;
		}
		memset((uint8_t *)phys_to_virt(s->paddr) + s->filesz, 0, s->memsz - s->filesz);
	}
	return 0;
}

int elf_load(const struct elf_source *src, int (*claim)(uint64_t addr, uint64_t size),
	     void (*release)(uint64_t addr, uint64_t size), struct elf_loaded *out,
	     const char **why)
{
	return load_image(src, NULL, claim, release, out, why);
}

int elf_load_kernel(const struct elf_source *src, const struct elf_reloc *reloc,
		    int (*claim)(uint64_t addr, uint64_t size),
		    void (*release)(uint64_t addr, uint64_t size), struct elf_loaded *out,
		    const char **why)
{
	return load_image(src, reloc, claim, release, out, why);
}

int elf_measure(const struct elf_source *src, const struct elf_reloc *reloc,
		struct elf_loaded *out, const char **why)
{
	return load_image(src, reloc, NULL, NULL, out, why);
}
