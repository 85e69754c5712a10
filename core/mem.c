/* SPDX-License-Identifier: Apache-2.0 */
/* Validation of client buffers: inside RAM, and never over the firmware itself. */

#include <vofkit/core/exception.h>
#include <vofkit/core/mem.h>

/* QEMU's smallest RMA is 128 MiB; platform init reads the real size. */
uint64_t fw_ram_top = 128ull << 20;
uint64_t fw_own_start, fw_own_end;
/* Here, not in core/exception.c, because every build (and unit test) with
 * the dispatcher, which sets it, links this file. */
const char *fw_last_service;

bool fw_mem_readable(uint64_t addr, uint64_t len)
{
	return addr <= fw_ram_top && len <= fw_ram_top - addr;
}

bool fw_mem_writable(uint64_t addr, uint64_t len)
{
	if (!fw_mem_readable(addr, len))
		return false;
	return len == 0 || addr + len <= fw_own_start || addr >= fw_own_end;
}
