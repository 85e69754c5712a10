/* SPDX-License-Identifier: Apache-2.0 */
/* Shared code of the freestanding 32-bit C OF clients: entry, CI calls, console, PASS/FAIL checks, power-off. */
#ifndef VOFKIT_TEST_CLIENT_LIB_H
#define VOFKIT_TEST_CLIENT_LIB_H

/*
 * The clients are 32-bit big-endian C (-m32), linked by ci_cost.lds to run
 * at 0x400000, and booted with QEMU -kernel.  client_lib.c brings _start
 * (its own 64 KiB stack, .bss cleared, MSR[SF] cleared so that a firmware
 * that enters in 64-bit mode still has a 32-bit caller), the CI call
 * helpers, a line-buffered console that falls back to H_PUT_TERM_CHAR when
 * CI write prints nothing (QEMU's vof.bin), and power-off (CI exit, or RTAS
 * power-off through KVMPPC_H_RTAS where exit does not power off).
 * The checking clients also share the PASS/FAIL lines and their counts,
 * big-endian byte access for the frames they build, and the instance calls
 * (open, close, read, write, seek, call-method) GRUB makes.
 */

#include <stddef.h>
#include <stdint.h>

#define H_PUT_TERM_CHAR	0x58
#define KVMPPC_H_RTAS	0xf000
#define CI_ERR		((uint32_t)-1)

/* IEEE 1275 argument array: 32-bit big-endian cells (the clients are BE). */
struct ci_args {
	uint32_t service, nargs, nret;
	uint32_t cell[10];
};

typedef int32_t (*ci_entry_t)(struct ci_args *args);

/* Defined by each client: called from _start with r5, the CI entry (already in `ci`). */
void client_main(uint32_t entry) __attribute__((noreturn));

extern ci_entry_t ci;
extern uint32_t stdout_ih;	/* /chosen stdout, or 0 */
extern int via_hcall;		/* 1: CI write printed nothing: print with H_PUT_TERM_CHAR */
extern uint32_t vty_reg;	/* H_PUT_TERM_CHAR terminal number */
extern const char *client_tag;	/* line prefix of the lib's own messages, e.g. "CI-COST: " */

void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int str_eq(const char *a, const char *b);
uint32_t str_len(const char *s);
int mem_eq(const void *a, const void *b, uint32_t n);

static inline uint32_t cell(const void *p)
{
	return (uint32_t)(uintptr_t)p;
}

int32_t hcall_put_term(uint32_t reg, uint32_t len, uint32_t hi, uint32_t lo);
/* An hcall with one argument (r4); its status (r3). */
int32_t hcall1(uint32_t op, uint32_t arg);
int32_t hcall_rtas(uint32_t *block);

/* r3 of the call; the array's return cells hold the results. */
int32_t ci_call(struct ci_args *a, const char *service, uint32_t nargs, uint32_t nret,
		const uint32_t *in);
/* One-result call; returns -1 when the call itself fails (r3 != 0). */
uint32_t ci1(const char *service, uint32_t nargs, const uint32_t *in);
uint32_t of_finddevice(const char *path);
uint32_t of_getprop(uint32_t ph, const char *name, void *buf, uint32_t len);
uint32_t of_tree(const char *service, uint32_t h);

/* Instances: the CI's answer, CI_ERR (-1) when the call itself fails. */
uint32_t of_open(const char *path);	/* 0: no such device */
void of_close(uint32_t ih);
uint32_t of_read(uint32_t ih, void *to, uint32_t len);
uint32_t of_write(uint32_t ih, const void *from, uint32_t len);
/* seek ( ihandle pos.hi pos.lo -- status ) */
uint32_t of_seek(uint32_t ih, uint32_t pos_hi, uint32_t pos_lo);
/*
 * call-method ( method ihandle -- catch-result value ): the value, or CI_ERR
 * when the call or the method failed (catch-result not 0).
 */
uint32_t of_method1(const char *method, uint32_t ih);
/* An ihandle open returned for a device that is there. */
static inline int opened(uint32_t ih)
{
	return ih && ih != CI_ERR;
}

/* Big-endian fields of the frames and images the clients build and parse. */
static inline void store_be16(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static inline void store_be32(unsigned char *p, uint32_t v)
{
	store_be16(p, v >> 16);
	store_be16(p + 2, v);
}

static inline uint32_t load_be16(const unsigned char *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

static inline uint32_t load_be32(const unsigned char *p)
{
	return load_be16(p) << 16 | load_be16(p + 2);
}

/* Finds /chosen stdout and its vty; nothing is printed yet. */
void console_init(void);
void put_ch(char c);
void put_str(const char *s);
void put_dec(uint32_t v);
void put_hex(uint32_t v);

/*
 * One check, counted: "<client_tag>PASS <what>", or
 * "<client_tag>FAIL <what> (<detail><v in hex>)" saying what was seen.
 */
extern uint32_t checks_passed, checks_failed;
void check(int ok, const char *what, const char *detail, uint32_t v);
/* "<client_tag>DONE <passed> passed, <failed> failed", the tests' last line. */
void check_done(void);

/* RTAS power-off through KVMPPC_H_RTAS; prints a FAIL line if it returns. */
void rtas_power_off(void);
/* CI exit (ci_exit != 0) or RTAS power-off; never returns. */
void client_power_off(int ci_exit) __attribute__((noreturn));

#endif
