/* SPDX-License-Identifier: Apache-2.0 */
/* For host tests of the block layer (unit and fuzz): the heap and a registry of one disk that size its bounce buffer. */
#ifndef VOFKIT_TEST_BOUNCE_STUB_H
#define VOFKIT_TEST_BOUNCE_STUB_H

#include <stdlib.h>
#include <vofkit/core/device.h>
#include <vofkit/core/heap.h>

/*
 * The block layer's bounce buffer comes from the firmware heap, sized at
 * first use to the largest block of any registered disk.  Here the one
 * registered disk has BOUNCE_STUB_BLOCK_SIZE, the largest block size the
 * including test reads in (define it before the #include), and the heap
 * is calloc: the buffer stays reachable, as in the firmware.
 */
#ifndef BOUNCE_STUB_BLOCK_SIZE
#error "define BOUNCE_STUB_BLOCK_SIZE, the test's largest block size, before including bounce_stub.h"
#endif

static struct block_dev bounce_stub_largest = { .block_size = BOUNCE_STUB_BLOCK_SIZE };

void *fw_heap_alloc(size_t size, size_t align)
{
	(void)align;
	return calloc(1, size);
}

unsigned int block_dev_count(void)
{
	return 1;
}

struct block_dev *block_dev_at(unsigned int index)
{
	return index ? NULL : &bounce_stub_largest;
}

#endif /* VOFKIT_TEST_BOUNCE_STUB_H */
