/* SPDX-License-Identifier: Apache-2.0 */
/* The native pairing's memory map: who owns which bytes of the RMA, published as /memory@0 "available". */
#ifndef VOFKIT_CORE_CLAIM_MAP_H
#define VOFKIT_CORE_CLAIM_MAP_H

#include <stdint.h>

/*
 * claim: align 0 = exactly [addr, addr + size); otherwise the lowest free
 * base aligned to align (rounded up to a power of two) above the firmware.
 * 0 and *base set, or -1 (outside RAM or 4 GiB, overlapping a claim, table
 * full, "available" could not be written); the reason goes to the CI trace.
 */
int claim_map_claim(uint32_t addr, uint32_t size, uint32_t align, uint32_t *base);

/* Free whatever claimed bytes lie in [addr, addr + size), never the firmware's. */
void claim_map_release(uint32_t addr, uint32_t size);

#endif /* VOFKIT_CORE_CLAIM_MAP_H */
