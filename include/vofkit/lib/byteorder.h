/* SPDX-License-Identifier: Apache-2.0 */
/* Byte order: explicit little/big-endian field types and conversions, the same on the firmware and on the host tests. */
#ifndef VOFKIT_LIB_BYTEORDER_H
#define VOFKIT_LIB_BYTEORDER_H

#include <stdint.h>

/*
 * On-disk and on-wire structures declare each multi-byte field with the
 * byte order the format fixes (MBR, GPT, virtio: little-endian; ELF for
 * PowerPC, FDT, IP: big-endian) and read it through the matching
 * *_to_cpu().  The firmware is big-endian and the host unit tests are
 * usually little-endian: the same source must be right on both, so the
 * conversions test the compiler's byte order instead of assuming one.
 * The types are plain integers; the names document the order.
 */
typedef uint16_t le16;
typedef uint32_t le32;
typedef uint64_t le64;
typedef uint16_t be16;
typedef uint32_t be32;
typedef uint64_t be64;

#define VK_CPU_IS_BE (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__)

static inline uint16_t le16_to_cpu(le16 v) { return VK_CPU_IS_BE ? __builtin_bswap16(v) : v; }
static inline uint32_t le32_to_cpu(le32 v) { return VK_CPU_IS_BE ? __builtin_bswap32(v) : v; }
static inline uint64_t le64_to_cpu(le64 v) { return VK_CPU_IS_BE ? __builtin_bswap64(v) : v; }
static inline uint16_t be16_to_cpu(be16 v) { return VK_CPU_IS_BE ? v : __builtin_bswap16(v); }
static inline uint32_t be32_to_cpu(be32 v) { return VK_CPU_IS_BE ? v : __builtin_bswap32(v); }
static inline uint64_t be64_to_cpu(be64 v) { return VK_CPU_IS_BE ? v : __builtin_bswap64(v); }

/* The conversions are their own inverses. */
#define cpu_to_le16(v) le16_to_cpu(v)
#define cpu_to_le32(v) le32_to_cpu(v)
#define cpu_to_le64(v) le64_to_cpu(v)
#define cpu_to_be16(v) be16_to_cpu(v)
#define cpu_to_be32(v) be32_to_cpu(v)
#define cpu_to_be64(v) be64_to_cpu(v)

/*
 * Fields at any byte offset of a buffer (SCSI CDBs and replies, ISO 9660
 * records): byte by byte, so alignment never matters.
 */
static inline uint16_t get_be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline uint64_t get_be64(const uint8_t *p)
{
	return (uint64_t)get_be32(p) << 32 | get_be32(p + 4);
}
static inline uint16_t get_le16(const uint8_t *p) { return (uint16_t)(p[1] << 8 | p[0]); }
static inline uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}
static inline void put_be16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static inline void put_be32(uint8_t *p, uint32_t v)
{
	put_be16(p, (uint16_t)(v >> 16));
	put_be16(p + 2, (uint16_t)v);
}
static inline void put_be64(uint8_t *p, uint64_t v)
{
	put_be32(p, (uint32_t)(v >> 32));
	put_be32(p + 4, (uint32_t)v);
}
static inline void put_le16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static inline void put_le32(uint8_t *p, uint32_t v)
{
	put_le16(p, (uint16_t)v);
	put_le16(p + 2, (uint16_t)(v >> 16));
}
static inline void put_le64(uint8_t *p, uint64_t v)
{
	put_le32(p, (uint32_t)v);
	put_le32(p + 4, (uint32_t)(v >> 32));
}

#endif /* VOFKIT_LIB_BYTEORDER_H */
