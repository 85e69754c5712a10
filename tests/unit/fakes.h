/* SPDX-License-Identifier: Apache-2.0 */
/* Test doubles for the hypervisor (hcall), the timebase and power-off. */
#ifndef VOFKIT_UNIT_FAKES_H
#define VOFKIT_UNIT_FAKES_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <vofkit/ci/ci.h>

/* Every hcall() the firmware makes, in order. */
struct hcall_rec {
	uint64_t opcode;
	uint64_t a[4];
};
#define HCALL_LOG_MAX	256

struct fake_hv {
	struct hcall_rec log[HCALL_LOG_MAX];
	unsigned int nlog;

	/* H_PUT_TERM_CHAR: bytes QEMU would print, in order. */
	char term_out[4096];
	size_t term_len;
	int64_t put_status;		/* returned by H_PUT_TERM_CHAR */

	/* H_GET_TERM_CHAR: bytes waiting to be read. */
	char term_in[256];
	size_t term_in_len, term_in_pos;

	/* KVMPPC_H_VOF_CLIENT is passed to this (NULL: H_FUNCTION). */
	int64_t (*vof_client)(struct ci_args *args, uint64_t args_addr);

	/* fw_power_off(): counted, then longjmp here (abort when NULL). */
	unsigned int power_offs;
	jmp_buf *power_off_jmp;
};
extern struct fake_hv hv;

void fakes_reset(void);
/* How many hcalls with this opcode were made since the last reset. */
unsigned int hcall_count(uint64_t opcode);
/* The n-th (0-based) hcall with this opcode, or NULL. */
const struct hcall_rec *hcall_nth(uint64_t opcode, unsigned int n);
/* Forget calls and terminal output (e.g. after a test's own setup). */
void hcall_log_clear(void);

/* Run the fw_init entry of this name (the test fails if there is none). */
int run_init(const char *name);

/* The real RTAS entry stub bytes (arch/ppc64/hcall.S). */
extern const uint8_t expected_rtas_stub[20];

/* A stand-in for the firmware image: forward.c claims [__image_end, __fw_end). */
extern char fake_fw_image[];
#define FAKE_IMAGE_END_OFF	0x1000
#define FAKE_FW_END_OFF		0x3000

#endif
