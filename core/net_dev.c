/* SPDX-License-Identifier: Apache-2.0 */
/* Registry of the network devices drivers found, in registration (= probe) order. */

#include <stddef.h>
#include <vofkit/core/device.h>
#include <vofkit/core/device_registry.h>

_Static_assert(offsetof(struct net_dev, phandle) == 0, "registries find the node first");

DEVICE_REGISTRY(net_devs, 16);

int net_dev_register(struct net_dev *dev)
{
	if (!dev || !dev->send || !dev->receive)
		return -1;
	return device_registry_add(&net_devs, dev);
}

unsigned int net_dev_count(void)
{
	return net_devs.count;
}

struct net_dev *net_dev_at(unsigned int index)
{
	return device_registry_at(&net_devs, index);
}

struct net_dev *net_dev_of_phandle(uint32_t phandle)
{
	return device_registry_of_phandle(&net_devs, phandle);
}
