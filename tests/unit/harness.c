/* SPDX-License-Identifier: Apache-2.0 */
/* Simulated guest RAM for host unit tests, and CI argument-array builders. */

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <fcntl.h>
#include <sys/personality.h>
#include <unistd.h>
#include <vofkit/ci/ci.h>
#include <vofkit/core/mem.h>
#include "harness.h"

uint8_t *host_ram;

/* Provided by the host's default linker script (non-PIE executables). */
extern char __executable_start[], _end[];

/* Where this test's stack can be: below harness_init()'s frame. */
#define STACK_BELOW	(8u << 20)
#define STACK_ABOVE	(64u << 10)
static uintptr_t stack_lo, stack_hi;

#define GUARD		(1u << 20)
#define WINDOW		(1ull << 32)

/* Do [a, a+alen) and [b, b+blen) overlap modulo 2^32? */
static bool overlap32(uint32_t a, uint64_t alen, uint32_t b, uint64_t blen)
{
	return (uint32_t)(b - a) < alen || (uint32_t)(a - b) < blen;
}

/*
 * The stack's place is random (ASLR), so once in a while its low 32 bits
 * land on the static data's, and no RAM window can keep truncated addresses
 * of both apart.  Start the test again with the address space unrandomised:
 * then the stack sits just below 2^47 (low bits near 0xffffffff) and the
 * statics near 4 MiB, which never meet.  Tests call harness_init() first in
 * main(), so nothing has been printed yet.
 */
#define RERUN_MARK	"VOFKIT_HARNESS_UNRANDOMISED"

static void rerun_unrandomised(void)
{
	static char cmdline[65536];
	char *argv[256];
	size_t len = 0;
	ssize_t got;
	int fd, argc = 0;

	if (getenv(RERUN_MARK))
		return;
	fd = open("/proc/self/cmdline", O_RDONLY);
	if (fd < 0)
		return;
	while ((got = read(fd, cmdline + len, sizeof(cmdline) - 1 - len)) > 0)
		len += (size_t)got;
	close(fd);
	cmdline[len] = 0;
	for (size_t at = 0; at < len && argc < 255; at += strlen(cmdline + at) + 1)
		argv[argc++] = cmdline + at;
	argv[argc] = NULL;
	if (!argc || setenv(RERUN_MARK, "1", 1) ||
	    personality(ADDR_NO_RANDOMIZE) == -1)
		return;
	fprintf(stderr, "harness: stack and static data alias below 4 GiB; "
		"running again without address randomisation\n");
	execv("/proc/self/exe", argv);
	perror("harness: execv");
}

void harness_init(void)
{
	uintptr_t anchor = (uintptr_t)__builtin_frame_address(0);
	uint32_t st_lo = (uint32_t)(uintptr_t)__executable_start;
	uint64_t st_len = (uint64_t)(_end - __executable_start);
	uint32_t x = 0, sk_lo;
	uint8_t *base, *start;
	unsigned int i;

	if (host_ram)
		return;
	stack_lo = anchor - STACK_BELOW;
	stack_hi = anchor + STACK_ABOVE;
	sk_lo = (uint32_t)stack_lo;

	/*
	 * Pick the low 32 bits of host_ram so that no stack or static address,
	 * truncated the way the firmware truncates it, is below RAM_SIZE.
	 */
	for (i = 0; i < 16; i++) {
		x = (uint32_t)((sk_lo + 0x80000000u + i * 0x10000000u) & ~0xfffffu);
		if (!overlap32(x, RAM_SIZE, sk_lo, STACK_BELOW + STACK_ABOVE) &&
		    !overlap32(x, RAM_SIZE, st_lo, st_len))
			break;
	}
	/* VOFKIT_HARNESS_FORCE_ALIAS lets a test take the rerun path on purpose. */
	if (i == 16 || overlap32(st_lo, st_len, sk_lo, STACK_BELOW + STACK_ABOVE) ||
	    (getenv("VOFKIT_HARNESS_FORCE_ALIAS") && !getenv(RERUN_MARK))) {
		rerun_unrandomised();
		fprintf(stderr, "harness: cannot separate RAM, stack and static data\n");
		abort();
	}

	/* Reserve 4 GiB + RAM so that an address with those low bits fits. */
	base = mmap(NULL, WINDOW + RAM_SIZE + 2 * GUARD, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED) {
		perror("harness: mmap");
		abort();
	}
	start = base + GUARD;
	host_ram = start + (uint32_t)(x - (uint32_t)(uintptr_t)start);
	if (mprotect(host_ram, RAM_SIZE, PROT_READ | PROT_WRITE)) {
		perror("harness: mprotect");
		abort();
	}
}

void ram_reset(void)
{
	harness_init();
	memset(host_ram, RAM_FILL, RAM_SIZE);
	fw_ram_top = RAM_SIZE;
	fw_own_start = FW_OWN_START;
	fw_own_end = FW_OWN_END;
}

void *ram(uint64_t addr)
{
	if (addr > RAM_SIZE) {
		fprintf(stderr, "harness: ram(%llx) outside the simulated RAM\n",
			(unsigned long long)addr);
		abort();
	}
	return host_ram + addr;
}

uint32_t ram_str(uint32_t addr, const char *s)
{
	memcpy(ram(addr), s, strlen(s) + 1);
	return addr;
}

uint32_t ram_u32(uint32_t addr)
{
	uint32_t v;

	memcpy(&v, ram(addr), 4);
	return v;
}

void ram_set_u32(uint32_t addr, uint32_t v)
{
	memcpy(ram(addr), &v, 4);
}

struct ci_args *ci_build(uint32_t args_addr, uint32_t name_addr, uint32_t nargs,
			 uint32_t nret, const uint32_t *in)
{
	uint32_t i, cell = args_addr + 12;

	/* Cell by cell with memcpy: tests also build misaligned arrays. */
	ram_set_u32(args_addr, name_addr);
	ram_set_u32(args_addr + 4, nargs);
	ram_set_u32(args_addr + 8, nret);
	for (i = 0; i < nargs; i++, cell += 4)
		ram_set_u32(cell, in[i]);
	for (i = 0; i < nret; i++, cell += 4)
		ram_set_u32(cell, RET_POISON);
	ram_set_u32(cell, TAIL_POISON);
	return ram(args_addr);
}

static struct ci_args *ci_vbuild(const char *service, uint32_t nargs, uint32_t nret,
				 va_list ap)
{
	uint32_t in[CI_MAX_CELLS + 4];
	uint32_t i;

	if (nargs > ARRAY_SIZE(in)) {
		fprintf(stderr, "harness: too many arguments to build\n");
		abort();
	}
	for (i = 0; i < nargs; i++)
		in[i] = va_arg(ap, uint32_t);
	ram_str(NAME_ADDR, service);
	return ci_build(ARGS_ADDR, NAME_ADDR, nargs, nret, in);
}

struct ci_args *ci_buildv(const char *service, uint32_t nargs, uint32_t nret, ...)
{
	struct ci_args *a;
	va_list ap;

	va_start(ap, nret);
	a = ci_vbuild(service, nargs, nret, ap);
	va_end(ap);
	return a;
}

int64_t ci_callv(const char *service, uint32_t nargs, uint32_t nret, ...)
{
	va_list ap;

	va_start(ap, nret);
	ci_vbuild(service, nargs, nret, ap);
	va_end(ap);
	return ci_dispatch(ARGS_ADDR);
}

uint32_t ret_cell(unsigned int i)
{
	struct ci_args *a = ram(ARGS_ADDR);

	return a->cells[a->nargs + i];
}

uint32_t tail_cell(void)
{
	struct ci_args *a = ram(ARGS_ADDR);

	return a->cells[a->nargs + a->nret];
}

/* The p in [lo, hi) whose truncated real address is addr, if any. */
static uint8_t *solve(uint32_t addr, uintptr_t lo, uintptr_t hi, size_t len)
{
	uint32_t lo_addr = (uint32_t)(lo - (uintptr_t)host_ram);
	uintptr_t p = lo + (uint32_t)(addr - lo_addr);

	if (p >= hi || len > hi - p)
		return NULL;
	return (uint8_t *)p;
}

static uint8_t *resolve(uint32_t addr, size_t len, enum gp_hint hint, uintptr_t *end)
{
	const uintptr_t st_lo = (uintptr_t)__executable_start, st_hi = (uintptr_t)_end;
	uint8_t *p;
	int pass;

	if (addr < RAM_SIZE) {
		if (len > RAM_SIZE - addr)
			return NULL;
		*end = (uintptr_t)host_ram + RAM_SIZE;
		return host_ram + addr;
	}
	for (pass = 0; pass < 2; pass++) {
		bool want_static = (pass == 0) == (hint == GP_STRING);

		if (want_static) {
			p = solve(addr, st_lo, st_hi, len);
			*end = st_hi;
		} else {
			p = solve(addr, stack_lo, stack_hi, len);
			*end = stack_hi;
		}
		if (p)
			return p;
	}
	return NULL;
}

void *guest_ptr(uint32_t addr, size_t len, enum gp_hint hint)
{
	uintptr_t end;

	return resolve(addr, len, hint, &end);
}

const char *guest_str(uint32_t addr)
{
	uintptr_t end;
	const char *p = (const char *)resolve(addr, 1, GP_STRING, &end);

	if (!p || strnlen(p, end - (uintptr_t)p) == end - (uintptr_t)p)
		return NULL;
	return p;
}
