/* SPDX-License-Identifier: Apache-2.0 */
/* Host unit-test harness: simulated guest RAM and CI argument-array builders. */
#ifndef VOFKIT_UNIT_HARNESS_H
#define VOFKIT_UNIT_HARNESS_H

#include <stddef.h>
#include <stdint.h>
#include <vofkit/ci/ci.h>

/*
 * The firmware is built with -DVOFKIT_HOST, so a real address `pa` is
 * host_ram + pa.  The simulated RAM is RAM_SIZE bytes and is followed and
 * preceded by inaccessible guard pages: a read past the end of "RAM" faults
 * instead of silently reading host memory.
 */
#define RAM_SIZE	(64u << 20)
#define FW_OWN_START	0x100u		/* pretend firmware image ... */
#define FW_OWN_END	0x10000u	/* ... and its .bss/stack */

/* Where tests put things in guest RAM (all outside the firmware region). */
#define ARGS_ADDR	0x200000u	/* the client's argument array */
#define NAME_ADDR	0x201000u	/* the service name ci_build() writes */
#define STR_ADDR	0x202000u	/* further strings */
#define STR2_ADDR	0x203000u
#define BUF_ADDR	0x210000u	/* client buffers */

#define RAM_FILL	0xeeu		/* every byte of RAM after ram_reset() */
#define RET_POISON	0x5a5a5a5au	/* return cells before the call */
#define TAIL_POISON	0xa5a5a5a5u	/* the cell after the array */

/* Once per process, before any test (reserves the RAM window). */
void harness_init(void);
/* Per test: fill RAM with RAM_FILL, fw_ram_top = RAM_SIZE, firmware region. */
void ram_reset(void);

void *ram(uint64_t addr);			/* host pointer of a real address */
uint32_t ram_str(uint32_t addr, const char *s);	/* copies s with its NUL */
uint32_t ram_u32(uint32_t addr);
void ram_set_u32(uint32_t addr, uint32_t v);

/*
 * Build an argument array at args_addr: service = name_addr, the nargs
 * argument cells, nret return cells set to RET_POISON and one TAIL_POISON
 * cell after them.  ci_buildv() also writes `service` at NAME_ADDR.
 */
struct ci_args *ci_build(uint32_t args_addr, uint32_t name_addr, uint32_t nargs,
			 uint32_t nret, const uint32_t *in);
struct ci_args *ci_buildv(const char *service, uint32_t nargs, uint32_t nret, ...);

/* ci_buildv() at ARGS_ADDR, then ci_dispatch(ARGS_ADDR). */
int64_t ci_callv(const char *service, uint32_t nargs, uint32_t nret, ...);

/* Return cell i of the array at ARGS_ADDR. */
uint32_t ret_cell(unsigned int i);
uint32_t tail_cell(void);		/* the cell after the returns */

/*
 * The firmware hands 32-bit real addresses of its own stack and .rodata to
 * the (fake) hypervisor: virt_to_phys() of a host pointer, truncated.  This
 * maps such a value back: guest RAM first, then the executable's static
 * data or the stack (in the order the hint prefers).  harness_init() places
 * the RAM so that neither of the others can alias a RAM offset.  Returns
 * NULL when [p, p+len) is in none of them.
 */
enum gp_hint { GP_STRING, GP_BUFFER };
void *guest_ptr(uint32_t addr, size_t len, enum gp_hint hint);
const char *guest_str(uint32_t addr);	/* NULL unless NUL-terminated in its region */

#endif
