/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers over the pairing's device-tree API. */

#include <vofkit/of.h>

int of_getprop_exact(uint32_t phandle, const char *name, void *buf, uint32_t len)
{
	return of_getprop(phandle, name, buf, len) == len ? 0 : -1;
}
