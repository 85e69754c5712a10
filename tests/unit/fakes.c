/* SPDX-License-Identifier: Apache-2.0 */
/* Test doubles for the hypervisor (hcall), the timebase, power-off and link-time symbols. */

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arch/hcall.h>
#include <arch/ppc64.h>
#include <vofkit/core/init.h>
#include <vofkit/core/mem.h>
#include "fakes.h"

struct fake_hv hv;

/* Normally set by fw_main() in lib/main.c, which the tests do not link. */
uint64_t fw_entry_r3, fw_entry_r4, fw_entry_r1;

/*
 * The RTAS stub as arch/ppc64/hcall.S assembles it (big-endian words):
 *   mr r4,r3; lis r3,0; ori r3,r3,0xf000; sc 1; blr
 */
const uint8_t expected_rtas_stub[20] = {
	0x7c, 0x64, 0x1b, 0x78, 0x3c, 0x60, 0x00, 0x00, 0x60, 0x63,
	0xf0, 0x00, 0x44, 0x00, 0x00, 0x22, 0x4e, 0x80, 0x00, 0x20,
};
__asm__(".pushsection .rodata.rtas_stub, \"a\", @progbits\n"
	"\t.balign 4\n"
	"\t.globl rtas_stub_start\n"
	"\t.globl rtas_stub_end\n"
	"rtas_stub_start:\n"
	"\t.byte 0x7c, 0x64, 0x1b, 0x78, 0x3c, 0x60, 0x00, 0x00, 0x60, 0x63\n"
	"\t.byte 0xf0, 0x00, 0x44, 0x00, 0x00, 0x22, 0x4e, 0x80, 0x00, 0x20\n"
	"rtas_stub_end:\n"
	"\t.popsection\n");

/* The firmware linker script's __image_end and __fw_end, 0x2000 apart. */
char fake_fw_image[0x4000] __attribute__((aligned(16)));
__asm__("\t.globl __image_end\n"
	"\t.set __image_end, fake_fw_image + 0x1000\n"
	"\t.globl __fw_end\n"
	"\t.set __fw_end, fake_fw_image + 0x3000\n");

uint64_t mftb(void)
{
	static uint64_t tb;

	return tb += 512;
}

void fw_power_off(void)
{
	hv.power_offs++;
	if (hv.power_off_jmp)
		longjmp(*hv.power_off_jmp, 1);
	fprintf(stderr, "fakes: fw_power_off() without a test expecting it\n");
	abort();
}

void fakes_reset(void)
{
	memset(&hv, 0, sizeof(hv));
	hv.put_status = H_SUCCESS;
}

void hcall_log_clear(void)
{
	hv.nlog = 0;
	hv.term_len = 0;
	memset(hv.term_out, 0, sizeof(hv.term_out));
}

unsigned int hcall_count(uint64_t opcode)
{
	unsigned int i, n = 0;

	for (i = 0; i < hv.nlog; i++)
		n += hv.log[i].opcode == opcode;
	return n;
}

const struct hcall_rec *hcall_nth(uint64_t opcode, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < hv.nlog; i++)
		if (hv.log[i].opcode == opcode && n-- == 0)
			return &hv.log[i];
	return NULL;
}

static int64_t put_term_char(uint64_t reg, uint64_t len, uint64_t w0, uint64_t w1)
{
	uint8_t bytes[16];

	if (hv.put_status != H_SUCCESS)
		return hv.put_status;
	if (len > 16)
		return H_PARAMETER;
	/*
	 * QEMU takes the bytes most-significant first from r6 and r7; on the
	 * big-endian firmware that is their order in memory, which is what
	 * the memory order of the two words is here as well.
	 */
	memcpy(bytes, &w0, 8);
	memcpy(bytes + 8, &w1, 8);
	if (hv.term_len + len > sizeof(hv.term_out))
		return H_HARDWARE;
	memcpy(hv.term_out + hv.term_len, bytes, len);
	hv.term_len += len;
	return H_SUCCESS;
}

static int64_t get_term_char(uint64_t out[4])
{
	size_t n = hv.term_in_len - hv.term_in_pos;
	uint64_t w[2] = { 0, 0 };

	if (n > 16)
		n = 16;
	memcpy(w, hv.term_in + hv.term_in_pos, n);
	hv.term_in_pos += n;
	if (out) {
		out[0] = n;
		out[1] = w[0];
		out[2] = w[1];
		out[3] = 0;
	}
	return H_SUCCESS;
}

int64_t hcall(uint64_t opcode, uint64_t a0, uint64_t a1, uint64_t a2,
	      uint64_t a3, uint64_t out[4])
{
	if (hv.nlog < HCALL_LOG_MAX) {
		struct hcall_rec *r = &hv.log[hv.nlog++];

		r->opcode = opcode;
		r->a[0] = a0;
		r->a[1] = a1;
		r->a[2] = a2;
		r->a[3] = a3;
	}
	switch (opcode) {
	case H_PUT_TERM_CHAR:
		return put_term_char(a0, a1, a2, a3);
	case H_GET_TERM_CHAR:
		return get_term_char(out);
	case KVMPPC_H_VOF_CLIENT:
		/* r4 is a full 64-bit virt_to_phys(): this undoes it exactly. */
		if (!hv.vof_client)
			return H_FUNCTION;
		return hv.vof_client((struct ci_args *)((uintptr_t)host_ram + a0), a0);
	case KVMPPC_H_RTAS:
		return H_SUCCESS;
	default:
		return H_FUNCTION;
	}
}

int run_init(const char *name)
{
	const struct fw_init_entry *e;

	for (e = VK_TABLE_BEGIN(fw_init); e < VK_TABLE_END(fw_init); e++)
		if (!strcmp(e->name, name))
			return e->fn();
	return INT_MIN;
}
