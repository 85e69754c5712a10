/* SPDX-License-Identifier: Apache-2.0 */
/* Registry of the block devices drivers found, in registration (= probe) order. */

#include <stddef.h>
#include <vofkit/core/device.h>
#include <vofkit/core/device_registry.h>

_Static_assert(offsetof(struct block_dev, phandle) == 0, "registries find the node first");

DEVICE_REGISTRY(block_devs, BLOCK_DEVS_MAX);

int block_dev_register(struct block_dev *dev)
{
	if (!dev || !dev->read || !dev->block_size)
		return -1;
	return device_registry_add(&block_devs, dev);
}

unsigned int block_dev_count(void)
{
	return block_devs.count;
}

struct block_dev *block_dev_at(unsigned int index)
{
	return device_registry_at(&block_devs, index);
}

struct block_dev *block_dev_of_phandle(uint32_t phandle)
{
	return device_registry_of_phandle(&block_devs, phandle);
}
