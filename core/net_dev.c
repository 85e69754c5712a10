/* SPDX-License-Identifier: Apache-2.0 */
/* Registry of the network devices drivers found, in registration (= probe) order. */

#include <vofkit/core/device.h>
#include <vofkit/core/tree.h>

#define MAX_NET_DEVS 16

static struct net_dev *devs[MAX_NET_DEVS];
static unsigned int ndevs;

int net_dev_register(struct net_dev *dev)
{
	if (ndevs >= MAX_NET_DEVS || !dev || !dev->send || !dev->receive ||
	    !tree_valid(dev->phandle) || net_dev_of_phandle(dev->phandle))
		return -1;
	devs[ndevs] = dev;
	return (int)ndevs++;
}

unsigned int net_dev_count(void)
{
	return ndevs;
}

struct net_dev *net_dev_at(unsigned int index)
{
	return index < ndevs ? devs[index] : NULL;
}

struct net_dev *net_dev_of_phandle(uint32_t phandle)
{
	unsigned int i;

	for (i = 0; phandle && i < ndevs; i++) {
		if (devs[i]->phandle == phandle)
			return devs[i];
	}
	return NULL;
}
