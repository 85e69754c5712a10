/* SPDX-License-Identifier: Apache-2.0 */
/* CRC-32 (IEEE 802.3), bit by bit: GPT checks a few KiB once per disk, so no table is worth its 1 KiB. */

#include <vofkit/lib/crc32.h>

uint32_t crc32_ieee(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	crc = ~crc;
	while (len--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
	}
	return ~crc;
}
