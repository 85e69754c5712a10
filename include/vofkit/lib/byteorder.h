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

#endif /* VOFKIT_LIB_BYTEORDER_H */
