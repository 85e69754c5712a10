/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: the CI dispatcher's argument validation
 * (ci-services/core/dispatch.c) with the CI trace on, the real `test` and
 * `call-method` services and probe services of this file.
 *
 * The simulated RAM is 128 KiB with inaccessible pages on both sides, so
 * a read or write past the end of RAM faults.  The firmware's own region
 * is [0x100, 0x1000).
 *
 * Input (little-endian):
 *   u32 where   the argument array's address: bit 31 set = the low 31
 *               bits as they are (mostly outside RAM), else mod RAM size + 64
 *   u32 name    the service name's address, the same way
 *   u32 nargs, u32 nret
 *   u8  namelen, then namelen bytes of name (written at `name` as far as RAM goes)
 *   the rest: the argument cells (written after the header, as far as RAM goes)
 * Oracles: sanitizers and the guard pages; a -1 from the dispatcher leaves
 * RAM untouched; a 0 changes nothing but the array's return cells.
 */

#include <string.h>
#include <sys/mman.h>
#include <vofkit/ci/ci.h>
#include <vofkit/core/mem.h>
#include <vofkit/lib/console.h>
#include "capture.h"
#include "fuzz.h"

#define RAM_SIZE	0x20000u
#define PAGE		0x1000u

uint8_t *host_ram;
static uint8_t *before;

/* Reads every argument, writes every return (CI_ANY counts): catches a bad count check. */
static enum ci_result svc_probe_any(struct ci_call *c)
{
	uint32_t i, sum = 0;

	for (i = 0; i < c->nargs; i++)
		sum += c->args->cells[i];
	for (i = 0; i < c->nret; i++)
		c->args->cells[c->nargs + i] = sum + i;
	return CI_DONE;
}
CI_SERVICE(fz_probe_any, "fz-probe", svc_probe_any, CI_ANY, CI_ANY);

/* A chain: the higher priority declines unless arg 0 is odd, the fallback answers. */
static enum ci_result svc_chain_hi(struct ci_call *c)
{
	if (!(ci_arg(c, 0) & 1))
		return CI_DECLINE;
	ci_ret(c, 0, 1);
	ci_ret(c, 1, ci_arg(c, 2));
	return CI_DONE;
}
CI_SERVICE_PRIO(fz_chain_hi, "fz-chain", svc_chain_hi, 3, 2, CI_PRIO_NORMAL);

static enum ci_result svc_chain_lo(struct ci_call *c)
{
	if (ci_arg(c, 0) & 2)
		return CI_DECLINE;	/* everyone declined */
	ci_ret(c, 0, 2);
	return CI_DONE;
}
CI_SERVICE_PRIO(fz_chain_lo, "fz-chain", svc_chain_lo, 3, 2, CI_PRIO_FALLBACK);

/* Fixed counts with a different chain member: the dispatcher must recheck counts going down. */
static enum ci_result svc_mixed_hi(struct ci_call *c)
{
	return CI_DECLINE;
}
CI_SERVICE_PRIO(fz_mixed_hi, "fz-mixed", svc_mixed_hi, CI_ANY, CI_ANY, CI_PRIO_NORMAL);

static enum ci_result svc_mixed_lo(struct ci_call *c)
{
	ci_ret(c, 0, 0x11);
	ci_ret(c, 1, 0x22);
	return CI_DONE;
}
CI_SERVICE_PRIO(fz_mixed_lo, "fz-mixed", svc_mixed_lo, 1, 2, CI_PRIO_FALLBACK);

static void ram_init(void)
{
	uint8_t *base = mmap(NULL, RAM_SIZE + 2 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	FUZZ_CHECK(base != MAP_FAILED, "mmap");
	host_ram = base + PAGE;
	FUZZ_CHECK(!mprotect(host_ram, RAM_SIZE, PROT_READ | PROT_WRITE), "mprotect");
	before = malloc(RAM_SIZE);
	fw_ram_top = RAM_SIZE;
	fw_own_start = 0x100;
	fw_own_end = 0x1000;
	fw_console_register(&capture_console);
}

static uint32_t take32(const uint8_t **p, size_t *n)
{
	uint32_t v = 0;
	unsigned int i;

	for (i = 0; i < 4; i++) {
		v |= (uint32_t)(*n ? **p : 0) << (8 * i);
		if (*n) {
			(*p)++;
			(*n)--;
		}
	}
	return v;
}

static uint32_t addr_of(uint32_t v)
{
	return (v & 0x80000000u) ? (v & 0x7fffffffu) : v % (RAM_SIZE + 64);
}

/* Copy as much of src as fits in RAM at addr. */
static void put(uint32_t addr, const void *src, size_t len)
{
	if (addr >= RAM_SIZE)
		return;
	if (len > RAM_SIZE - addr)
		len = RAM_SIZE - addr;
	memcpy(host_ram + addr, src, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data;
	size_t n = size;
	uint32_t where, name, hdr[3], i;
	uint8_t namelen;
	int64_t rc;

	if (!host_ram)
		ram_init();
	memset(host_ram, 0xee, RAM_SIZE);
	capture_clear();
	where = addr_of(take32(&p, &n));
	name = addr_of(take32(&p, &n));
	hdr[0] = name;
	hdr[1] = take32(&p, &n);
	hdr[2] = take32(&p, &n);
	namelen = n ? *p : 0;
	if (n) {
		p++;
		n--;
	}
	if (namelen > n)
		namelen = (uint8_t)n;
	put(name, p, namelen);
	p += namelen;
	n -= namelen;
	put(where, hdr, sizeof(hdr));
	if (where <= RAM_SIZE - 12)
		put(where + 12, p, n);
	memcpy(before, host_ram, RAM_SIZE);

	rc = ci_dispatch(where);

	FUZZ_CHECK(rc == 0 || rc == -1, "dispatcher returned %lld", (long long)rc);
	if (rc == -1) {
		FUZZ_CHECK(!memcmp(before, host_ram, RAM_SIZE), "a refused call wrote to RAM");
		return 0;
	}
	/* accepted: the array was inside writable RAM and only its returns changed */
	FUZZ_CHECK(hdr[1] <= CI_MAX_CELLS && hdr[2] <= CI_MAX_CELLS && hdr[1] + hdr[2] <= CI_MAX_CELLS,
		   "accepted nargs %u nret %u", hdr[1], hdr[2]);
	{
		uint32_t end = where + 12 + 4 * (hdr[1] + hdr[2]);

		FUZZ_CHECK(where % 4 == 0 && (end <= fw_own_start || where >= fw_own_end) &&
			   end <= RAM_SIZE, "accepted an array at 0x%x", where);
	}
	for (i = 0; i < RAM_SIZE; i++) {
		uint32_t lo = where + 12 + 4 * hdr[1], hi = lo + 4 * hdr[2];

		if (before[i] != host_ram[i])
			FUZZ_CHECK(i >= lo && i < hi, "byte 0x%x changed (returns are [0x%x, 0x%x))",
				   i, lo, hi);
	}
	return 0;
}
