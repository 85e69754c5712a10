/* SPDX-License-Identifier: Apache-2.0 */
/* For host tests of DMA drivers (unit.nvme, unit.virtio_net): simulated guest RAM with a bump heap, and a clock that counts polls. */
#ifndef VOFKIT_TEST_DMA_RAM_H
#define VOFKIT_TEST_DMA_RAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <vofkit/core/time.h>
#include <vofkit/lib/console.h>
#include "capture.h"

/*
 * The test defines RAM_SIZE before including this.  Addresses the driver
 * hands its device are offsets into `ram` (host_ram), as in the firmware;
 * the heap fills the lower half from 64 KiB so the test's own buffers can
 * sit in the upper half.
 */
#define DMA_RAM_HEAP_START	0x10000u

uint8_t *host_ram;
static uint8_t *ram;
static uint64_t heap_next;

void *fw_heap_alloc(size_t size, size_t align)
{
	uint64_t p = (heap_next + align - 1) & ~(uint64_t)(align - 1);

	if (p + size > RAM_SIZE / 2)
		return NULL;
	heap_next = p + size;
	memset(ram + p, 0, size);
	return ram + p;
}

/* A deadline expires after 200 polls: a device that never answers costs no real time. */
static unsigned int polls;

uint64_t time_deadline_ms(uint32_t ms)
{
	(void)ms;
	return polls + 200;
}

bool time_expired(uint64_t deadline)
{
	return ++polls > deadline;
}

/* cmocka group set-up and tear-down: the RAM, the heap and the capture console. */
static int dma_ram_setup(void **state)
{
	(void)state;
	ram = aligned_alloc(4096, RAM_SIZE);
	if (!ram)
		return -1;
	host_ram = ram;
	heap_next = DMA_RAM_HEAP_START;
	fw_console_register(&capture_console);
	return 0;
}

static int dma_ram_teardown(void **state)
{
	(void)state;
	free(ram);
	return 0;
}

#endif
