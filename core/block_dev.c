/* SPDX-License-Identifier: Apache-2.0 */
/* Registry of the block devices drivers found, in registration (= probe) order. */

#include <vofkit/core/device.h>
#include <vofkit/core/tree.h>

/* QEMU's pseries takes at most a few dozen disks on the buses this firmware drives. */
#define MAX_BLOCK_DEVS 64

static struct block_dev *devs[MAX_BLOCK_DEVS];
static unsigned int ndevs;

int block_dev_register(struct block_dev *dev)
{
	if (ndevs >= MAX_BLOCK_DEVS || !dev || !dev->read || !dev->block_size ||
	    !tree_valid(dev->phandle) || block_dev_of_phandle(dev->phandle))
		return -1;
	devs[ndevs] = dev;
	return (int)ndevs++;
}

unsigned int block_dev_count(void)
{
	return ndevs;
}

struct block_dev *block_dev_at(unsigned int index)
{
	return index < ndevs ? devs[index] : NULL;
}

struct block_dev *block_dev_of_phandle(uint32_t phandle)
{
	unsigned int i;

	for (i = 0; phandle && i < ndevs; i++) {
		if (devs[i]->phandle == phandle)
			return devs[i];
	}
	return NULL;
}
