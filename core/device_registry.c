/* SPDX-License-Identifier: Apache-2.0 */
/* Device registries: the devices of one class, in probe order, by index or by tree node. */

#include <string.h>
#include <vofkit/core/device.h>
#include <vofkit/core/device_registry.h>
#include <vofkit/core/tree.h>
#include <vofkit/lib/console.h>

/* The phandle every device-class struct starts with. */
static uint32_t phandle_of(const void *dev)
{
	return *(const uint32_t *)dev;
}

int device_registry_add(struct device_registry *r, void *dev)
{
	if (r->count >= r->max || !dev || !tree_valid(phandle_of(dev)) ||
	    device_registry_of_phandle(r, phandle_of(dev)))
		return -1;
	r->slots[r->count] = dev;
	return (int)r->count++;
}

void *device_registry_at(const struct device_registry *r, unsigned int index)
{
	return index < r->count ? r->slots[index] : NULL;
}

void *device_registry_of_phandle(const struct device_registry *r, uint32_t phandle)
{
	unsigned int i;

	for (i = 0; phandle && i < r->count; i++) {
		if (phandle_of(r->slots[i]) == phandle)
			return r->slots[i];
	}
	return NULL;
}

void device_alias_name(char alias[OF_ALIAS_MAX], const char *base, unsigned int n)
{
	strcpy(alias, base);
	if (n)
		fw_format_dec(alias + strlen(base), n);
}
