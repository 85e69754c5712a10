/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers over the pairing's device-tree API. */

#include <vofkit/of.h>

int of_getprop_exact(uint32_t phandle, const char *name, void *buf, uint32_t len)
{
	return of_getprop(phandle, name, buf, len) == len ? 0 : -1;
}

/*
 * Without the claim module there is no allocator: a firmware-internal
 * "claim" then reserves nothing and just hands the address back.
 */
__attribute__((weak)) uint32_t of_claim(uint32_t addr, uint32_t size, uint32_t align)
{
	(void)size;
	(void)align;
	return addr;
}
