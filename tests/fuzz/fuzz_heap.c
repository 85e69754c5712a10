/* SPDX-License-Identifier: Apache-2.0 */
/*
 * core/heap.c as it is, plus a reset for the fuzz targets: the firmware
 * boots once per reset, so its bump allocator never frees; a fuzz target
 * restarts the firmware thousands of times in one process.
 */
#include "../../core/heap.c"

void ft_heap_reset(void)
{
	heap_next = 0;
}
