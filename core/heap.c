/* SPDX-License-Identifier: Apache-2.0 */
/* Bump allocator for the firmware's own long-lived data (native pairing). */

#include <string.h>
#include <vofkit/core/heap.h>
#include <vofkit/core/mem.h>
#include <vofkit/lib/util.h>

/*
 * The top 64 KiB of the region is the stack a client starts on (native:
 * nothing else provides one; Linux keeps using it through prom_init, and
 * 64 KiB is twice what SLOF gives).  It is the client's memory: CI calls
 * pass argument arrays on it, so it must stay outside the firmware's
 * protected range, which ends where it starts.
 */
#define CLIENT_STACK_SIZE 0x10000u

extern char __fw_end[];
static uint64_t heap_next;

static uint64_t heap_limit(void)
{
	return CONFIG_FW_HEAP_END - CLIENT_STACK_SIZE;
}

void *fw_heap_alloc(size_t size, size_t align)
{
	uint64_t start, end = heap_limit();

	if (!heap_next)
		heap_next = virt_to_phys(__fw_end);
	if (align < 8)
		align = 8;
	start = ALIGN_UP(heap_next, (uint64_t)align);
	if (start > end || size > end - start)
		return NULL;
	heap_next = start + size;
	memset(phys_to_virt(start), 0, size);
	return phys_to_virt(start);
}

uint64_t fw_heap_end(void)
{
	return CONFIG_FW_HEAP_END;
}

uint64_t fw_heap_limit(void)
{
	return heap_limit();
}
