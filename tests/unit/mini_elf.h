/* SPDX-License-Identifier: Apache-2.0 */
/* For host tests of the ELF loader and network boot: one-segment ELF images written byte by byte. */
#ifndef VOFKIT_TEST_MINI_ELF_H
#define VOFKIT_TEST_MINI_ELF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <vofkit/lib/byteorder.h>

/*
 * Written at the ELF specification's offsets rather than through the
 * loader's structs, so a wrong field offset in the loader cannot cancel
 * out.  The buffer is zeroed first; the caller fills the segment's bytes.
 */

/* A big-endian ELF32 PowerPC executable (GRUB's core.elf, the test clients) with one PT_LOAD. */
static inline void mini_elf32_be(uint8_t *img, size_t size, uint32_t entry, uint32_t offset,
				 uint32_t vaddr, uint32_t paddr, uint32_t filesz, uint32_t memsz)
{
	uint8_t *ph = img + 52;

	memset(img, 0, size);
	memcpy(img, "\177ELF", 4);
	img[4] = 1;			/* ELFCLASS32 */
	img[5] = 2;			/* big-endian */
	img[6] = 1;			/* EV_CURRENT */
	put_be16(img + 16, 2);		/* ET_EXEC */
	put_be16(img + 18, 20);		/* EM_PPC */
	put_be32(img + 24, entry);
	put_be32(img + 28, 52);		/* phoff */
	put_be16(img + 42, 32);		/* phentsize */
	put_be16(img + 44, 1);		/* phnum */
	put_be32(ph, 1);		/* PT_LOAD */
	put_be32(ph + 4, offset);
	put_be32(ph + 8, vaddr);
	put_be32(ph + 12, paddr);
	put_be32(ph + 16, filesz);
	put_be32(ph + 20, memsz);
}

/*
 * A ppc64el vmlinux in miniature: little-endian ELF64 (ELFv2), entry and
 * p_vaddr at 0xc000000000000000, p_paddr 0, as QEMU's -kernel gets it.
 */
static inline void mini_vmlinux_le(uint8_t *img, size_t size, uint64_t offset, uint64_t filesz,
				   uint64_t memsz)
{
	uint8_t *ph = img + 64;

	memset(img, 0, size);
	memcpy(img, "\177ELF", 4);
	img[4] = 2;			/* ELFCLASS64 */
	img[5] = 1;			/* little-endian */
	img[6] = 1;
	put_le16(img + 16, 2);		/* ET_EXEC */
	put_le16(img + 18, 21);		/* EM_PPC64 */
	put_le64(img + 24, 0xc000000000000000ull);
	put_le64(img + 32, 64);		/* phoff */
	put_le32(img + 48, 2);		/* e_flags: ELFv2 */
	put_le16(img + 54, 56);		/* phentsize */
	put_le16(img + 56, 1);		/* phnum */
	put_le32(ph, 1);		/* PT_LOAD */
	put_le64(ph + 8, offset);
	put_le64(ph + 16, 0xc000000000000000ull);
	put_le64(ph + 24, 0);		/* p_paddr */
	put_le64(ph + 32, filesz);
	put_le64(ph + 40, memsz);
}

#endif
