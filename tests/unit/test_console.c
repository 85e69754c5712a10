/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of console write/read on the stdout vty (hvterm hypercalls) and of exit. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <arch/hcall.h>
#include <vofkit/ci/ci.h>
#include <vofkit/ci/console_service.h>
#include <vofkit/drivers/hvterm.h>
#include <vofkit/lib/console.h>
#include "fake_vof.h"
#include "fakes.h"
#include "harness.h"

#define SETUP(fn) cmocka_unit_test_setup(fn, fw_fixture_setup)

static const char text[] = "0123456789abcdefghijklmnopqrstuvwxyzABCD";	/* 40 bytes */

/*
 * The 16 bytes an H_PUT_TERM_CHAR carried, in memory order of r6 then r7.
 * On the big-endian firmware that is most-significant byte first; on this
 * little-endian host the same memcpy gives the bytes in memory order.
 */
static void put_bytes(const struct hcall_rec *r, uint8_t bytes[16])
{
	memcpy(bytes, &r->a[2], 8);
	memcpy(bytes + 8, &r->a[3], 8);
}

static void assert_chunk(unsigned int n, const char *expect, size_t len)
{
	const struct hcall_rec *r = hcall_nth(H_PUT_TERM_CHAR, n);
	uint8_t bytes[16], want[16] = { 0 };

	assert_non_null(r);
	assert_int_equal(r->a[0], VTY_REG);
	assert_int_equal(r->a[1], len);
	put_bytes(r, bytes);
	memcpy(want, expect, len);
	assert_memory_equal(bytes, want, 16);	/* unused bytes are zero */
}

static void discovery_found_the_stdout_vty(void **state)
{
	(void)state;
	assert_int_equal(hvterm_default_reg(), VTY_REG);
	assert_true(console_is_stdout_instance(IH_STDOUT));
	assert_true(console_is_stdout_instance(IH_VTY2));
	assert_false(console_is_stdout_instance(IH_NVRAM));
	assert_false(console_is_stdout_instance(0));
	assert_false(console_is_stdout_instance(0xffffffffu));
}

static void write_stdout_uses_h_put_term_char(void **state)
{
	(void)state;
	assert_int_equal(ci_callv("write", 3, 1, IH_STDOUT, ram_str(BUF_ADDR, "hello"), 5), 0);
	assert_int_equal(ret_cell(0), 5);
	assert_int_equal(hcall_count(H_PUT_TERM_CHAR), 1);
	assert_chunk(0, "hello", 5);
	assert_int_equal(hv.term_len, 5);
	assert_memory_equal(hv.term_out, "hello", 5);
	assert_int_equal(vof_count("write"), 0);
}

static void write_splits_into_16_byte_chunks(void **state)
{
	(void)state;
	memcpy(ram(BUF_ADDR), text, 40);
	assert_int_equal(ci_callv("write", 3, 1, IH_STDOUT, BUF_ADDR, 40), 0);
	assert_int_equal(ret_cell(0), 40);
	assert_int_equal(hcall_count(H_PUT_TERM_CHAR), 3);
	assert_chunk(0, text, 16);
	assert_chunk(1, text + 16, 16);
	assert_chunk(2, text + 32, 8);
	assert_int_equal(hv.term_len, 40);
	assert_memory_equal(hv.term_out, text, 40);
}

static void write_chunk_boundaries(void **state)
{
	(void)state;
	memcpy(ram(BUF_ADDR), text, 40);
	assert_int_equal(ci_callv("write", 3, 1, IH_STDOUT, BUF_ADDR, 16), 0);
	assert_int_equal(hcall_count(H_PUT_TERM_CHAR), 1);
	assert_chunk(0, text, 16);

	hcall_log_clear();
	assert_int_equal(ci_callv("write", 3, 1, IH_STDOUT, BUF_ADDR, 17), 0);
	assert_int_equal(ret_cell(0), 17);
	assert_int_equal(hcall_count(H_PUT_TERM_CHAR), 2);
	assert_chunk(0, text, 16);
	assert_chunk(1, text + 16, 1);
}

static void write_other_instance_of_the_vty_is_local(void **state)
{
	(void)state;
	assert_int_equal(ci_callv("write", 3, 1, IH_VTY2, ram_str(BUF_ADDR, "hi"), 2), 0);
	assert_int_equal(ret_cell(0), 2);
	assert_int_equal(hcall_count(H_PUT_TERM_CHAR), 1);
	assert_int_equal(vof_count("write"), 0);
	assert_int_equal(vof_count("instance-to-package"), 1);
}

static void write_other_instances_are_declined_to_vof(void **state)
{
	static const uint32_t ihs[] = { IH_NVRAM, 0, 0xffffffffu };
	const struct vof_rec *r;
	size_t i;

	(void)state;
	vof.write_result = 3;
	for (i = 0; i < ARRAY_SIZE(ihs); i++) {
		vof_log_clear();
		assert_int_equal(ci_callv("write", 3, 1, ihs[i], ram_str(BUF_ADDR, "abc"), 3), 0);
		assert_int_equal(ret_cell(0), 3);
		r = vof_last("write");
		assert_non_null(r);
		assert_int_equal(r->args_addr, ARGS_ADDR);
		assert_int_equal(r->cells[0], ihs[i]);
		/* 0 and -1 are never valid: no need to ask VOF about them */
		assert_int_equal(vof_count("instance-to-package"), ihs[i] == IH_NVRAM);
	}
	assert_int_equal(hcall_count(H_PUT_TERM_CHAR), 0);
}

static void write_edge_cases(void **state)
{
	(void)state;
	/* buffer running past RAM */
	assert_int_equal(ci_callv("write", 3, 1, IH_STDOUT, RAM_SIZE - 2, 4), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	/* nothing to write */
	assert_int_equal(ci_callv("write", 3, 1, IH_STDOUT, BUF_ADDR, 0), 0);
	assert_int_equal(ret_cell(0), 0);
	assert_int_equal(hcall_count(H_PUT_TERM_CHAR), 0);
	/* reading (printing) firmware memory is allowed */
	memcpy(ram(0x1000), "fw", 2);
	assert_int_equal(ci_callv("write", 3, 1, IH_STDOUT, 0x1000, 2), 0);
	assert_int_equal(ret_cell(0), 2);
	assert_int_equal(vof_count("write"), 0);
	/* the hypervisor refusing the characters */
	hv.put_status = H_HARDWARE;
	assert_int_equal(ci_callv("write", 3, 1, IH_STDOUT, BUF_ADDR, 4), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
}

static void read_returns_pending_input(void **state)
{
	(void)state;
	memcpy(hv.term_in, "ab", 2);
	hv.term_in_len = 2;
	assert_int_equal(ci_callv("read", 3, 1, IH_STDOUT, BUF_ADDR, 10), 0);
	assert_int_equal(ret_cell(0), 2);
	assert_memory_equal(ram(BUF_ADDR), "ab", 2);
	assert_int_equal(*(uint8_t *)ram(BUF_ADDR + 2), RAM_FILL);
	assert_int_equal(hcall_nth(H_GET_TERM_CHAR, 0)->a[0], VTY_REG);
	/* drained: nothing pending is -2, never a block */
	assert_int_equal(ci_callv("read", 3, 1, IH_STDOUT, BUF_ADDR, 10), 0);
	assert_int_equal(ret_cell(0), (uint32_t)-2);
}

static void read_keeps_the_rest_of_a_chunk(void **state)
{
	(void)state;
	memcpy(hv.term_in, text, 20);
	hv.term_in_len = 20;
	assert_int_equal(ci_callv("read", 3, 1, IH_STDOUT, BUF_ADDR, 3), 0);
	assert_int_equal(ret_cell(0), 3);
	assert_memory_equal(ram(BUF_ADDR), "012", 3);
	assert_int_equal(ci_callv("read", 3, 1, IH_STDOUT, BUF_ADDR, 64), 0);
	assert_int_equal(ret_cell(0), 13);
	assert_memory_equal(ram(BUF_ADDR), text + 3, 13);
	assert_int_equal(ci_callv("read", 3, 1, IH_STDOUT, BUF_ADDR, 64), 0);
	assert_int_equal(ret_cell(0), 4);
	assert_memory_equal(ram(BUF_ADDR), text + 16, 4);
	assert_int_equal(hcall_count(H_GET_TERM_CHAR), 2);
	assert_int_equal(ci_callv("read", 3, 1, IH_STDOUT, BUF_ADDR, 64), 0);
	assert_int_equal(ret_cell(0), (uint32_t)-2);
}

static void read_edge_cases(void **state)
{
	(void)state;
	memcpy(hv.term_in, "z", 1);
	hv.term_in_len = 1;
	/* zero length: 0, no hypercall, input stays pending */
	assert_int_equal(ci_callv("read", 3, 1, IH_STDOUT, BUF_ADDR, 0), 0);
	assert_int_equal(ret_cell(0), 0);
	/* into the firmware: refused */
	assert_int_equal(ci_callv("read", 3, 1, IH_STDOUT, 0x1000, 4), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	assert_int_equal(hcall_count(H_GET_TERM_CHAR), 0);
	/* other instances: declined, and there is no VOF fallback for read */
	assert_int_equal(ci_callv("read", 3, 1, IH_NVRAM, BUF_ADDR, 4), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	assert_int_equal(vof_count("read"), 0);
	assert_int_equal(hcall_count(H_GET_TERM_CHAR), 0);
	/* the pending byte is still there */
	assert_int_equal(ci_callv("read", 3, 1, IH_STDOUT, BUF_ADDR, 4), 0);
	assert_int_equal(ret_cell(0), 1);
	assert_memory_equal(ram(BUF_ADDR), "z", 1);
}

static void exit_powers_off_instead_of_asking_vof(void **state)
{
	jmp_buf jb;

	(void)state;
	hv.power_off_jmp = &jb;
	if (!setjmp(jb)) {
		ci_callv("exit", 0, 0);
		fail_msg("exit returned to the client");
	}
	hv.power_off_jmp = NULL;
	assert_int_equal(hv.power_offs, 1);
	assert_non_null(strstr(hv.term_out, "client called exit"));
	assert_int_equal(vof_count("exit"), 0);
}

/* The string formatters the drivers name nodes and aliases with: every digit, the NUL, its address. */
static void format_hex_dec_and_mac(void **state)
{
	static const struct {
		uint64_t v;
		const char *hex, *dec;
	} cases[] = {
		{ 0, "0", "0" },
		{ 9, "9", "9" },
		{ 10, "a", "10" },
		{ 255, "ff", "255" },
		{ 1000, "3e8", "1000" },
		{ 0x71000002u, "71000002", "1895825410" },
		{ 0x8000000000000000ull, "8000000000000000", "9223372036854775808" },
		{ UINT64_MAX, "ffffffffffffffff", "18446744073709551615" },
	};
	static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x0a, 0xbc, 0xff };
	char out[24];
	unsigned int i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		memset(out, 'x', sizeof(out));
		assert_ptr_equal(fw_format_hex(out, cases[i].v), out + strlen(cases[i].hex));
		assert_string_equal(out, cases[i].hex);
		memset(out, 'x', sizeof(out));
		assert_ptr_equal(fw_format_dec(out, cases[i].v), out + strlen(cases[i].dec));
		assert_string_equal(out, cases[i].dec);
		assert_int_equal(out[strlen(cases[i].dec) + 1], 'x');	/* nothing written past the NUL */
	}
	fw_format_mac(out, mac);
	assert_string_equal(out, "52:54:00:0a:bc:ff");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		SETUP(discovery_found_the_stdout_vty),
		SETUP(write_stdout_uses_h_put_term_char),
		SETUP(write_splits_into_16_byte_chunks),
		SETUP(write_chunk_boundaries),
		SETUP(write_other_instance_of_the_vty_is_local),
		SETUP(write_other_instances_are_declined_to_vof),
		SETUP(write_edge_cases),
		SETUP(read_returns_pending_input),
		SETUP(read_keeps_the_rest_of_a_chunk),
		SETUP(read_edge_cases),
		SETUP(exit_powers_off_instead_of_asking_vof),
		cmocka_unit_test(format_hex_dec_and_mac),
	};

	harness_init();
	return cmocka_run_group_tests_name("console", tests, NULL, NULL);
}
