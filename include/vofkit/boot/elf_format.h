/* SPDX-License-Identifier: Apache-2.0 */
/* On-disk layout of big-endian ELF32/ELF64 file and program headers (the fields the loader reads). */
#ifndef VOFKIT_BOOT_ELF_FORMAT_H
#define VOFKIT_BOOT_ELF_FORMAT_H

#include <stdint.h>
#include <vofkit/lib/byteorder.h>

/* e_ident */
#define ELF_MAGIC		"\177ELF"
#define ELF_CLASS32		1
#define ELF_CLASS64		2
#define ELF_DATA_LE		1	/* a ppc64el kernel, loaded only relocated (elf_load_kernel) */
#define ELF_DATA_BE		2	/* the byte order of PowerPC boot images (GRUB, clients) */

#define ELF_ET_EXEC		2
#define ELF_EM_PPC		20
#define ELF_EM_PPC64		21
#define ELF_PT_LOAD		1
/* e_flags of a 64-bit image: the ABI version (1 = ELFv1 function descriptors, 2 = ELFv2) */
#define ELF_EF_PPC64_ABI	3

struct elf_ident {
	uint8_t magic[4];
	uint8_t class;
	uint8_t data;
	uint8_t version;
	uint8_t pad[9];
};

struct elf32_ehdr {
	struct elf_ident ident;
	be16 type, machine;
	be32 version, entry, phoff, shoff, flags;
	be16 ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_ehdr {
	struct elf_ident ident;
	be16 type, machine;
	be32 version;
	be64 entry, phoff, shoff;
	be32 flags;
	be16 ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf32_phdr {
	be32 type, offset, vaddr, paddr, filesz, memsz, flags, align;
};

struct elf64_phdr {
	be32 type, flags;
	be64 offset, vaddr, paddr, filesz, memsz, align;
};

_Static_assert(sizeof(struct elf32_ehdr) == 52, "ELF32 header is 52 bytes");
_Static_assert(sizeof(struct elf64_ehdr) == 64, "ELF64 header is 64 bytes");
_Static_assert(sizeof(struct elf32_phdr) == 32, "ELF32 program header is 32 bytes");
_Static_assert(sizeof(struct elf64_phdr) == 56, "ELF64 program header is 56 bytes");

#endif /* VOFKIT_BOOT_ELF_FORMAT_H */
