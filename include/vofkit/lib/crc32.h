/* SPDX-License-Identifier: Apache-2.0 */
/* CRC-32 (IEEE 802.3, reflected 0xEDB88320), as GPT headers and entry tables use it. */
#ifndef VOFKIT_LIB_CRC32_H
#define VOFKIT_LIB_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* Continue a CRC over buf (start with crc = 0). */
uint32_t crc32_ieee(uint32_t crc, const void *buf, size_t len);

#endif /* VOFKIT_LIB_CRC32_H */
