/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the RTAS shim: `instantiate-rtas` on /rtas copies the hypercall stub. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <arch/hcall.h>
#include <vofkit/ci/ci.h>
#include <vofkit/core/mem.h>
#include "fake_vof.h"
#include "fakes.h"
#include "harness.h"

#define SETUP(fn) cmocka_unit_test_setup(fn, fw_fixture_setup)
#define BASE	0x300000u

/* call-method("instantiate-rtas", ih, base) with nret returns. */
static int64_t instantiate(uint32_t ih, uint32_t base, uint32_t nret)
{
	return ci_callv("call-method", 3, nret, ram_str(STR_ADDR, "instantiate-rtas"), ih, base);
}

static bool ram_untouched(uint32_t addr, size_t len)
{
	const uint8_t *p = ram(addr);
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != RAM_FILL)
			return false;
	return true;
}

/* The shim answered by itself: QEMU's VOF never saw the method. */
static void assert_vof_not_asked(void)
{
	assert_int_equal(vof_count("call-method"), 0);
	assert_false(vof.rtas_abort);
}

static void copies_the_stub_and_returns_base(void **state)
{
	(void)state;
	assert_int_equal((size_t)(rtas_stub_end - rtas_stub_start), sizeof(expected_rtas_stub));
	assert_int_equal(instantiate(IH_RTAS, BASE, 2), 0);
	assert_int_equal(ret_cell(0), 0);		/* catch-result */
	assert_int_equal(ret_cell(1), BASE);		/* rtas-entry */
	assert_int_equal(tail_cell(), TAIL_POISON);
	assert_memory_equal(ram(BASE), expected_rtas_stub, sizeof(expected_rtas_stub));
	/* only the 20 stub bytes: the rest of rtas-size is QEMU's (FWNMI) */
	assert_true(ram_untouched(BASE + sizeof(expected_rtas_stub), 0x2000 - 20));
	assert_vof_not_asked();
}

static void rtas_size_equal_to_the_stub_fits_at_ram_end(void **state)
{
	(void)state;
	vof.rtas_size = sizeof(expected_rtas_stub);
	assert_int_equal(instantiate(IH_RTAS, RAM_SIZE - 20, 2), 0);
	assert_int_equal(ret_cell(0), 0);
	assert_int_equal(ret_cell(1), RAM_SIZE - 20);
	assert_memory_equal(ram(RAM_SIZE - 20), expected_rtas_stub, 20);
}

static void rtas_size_below_the_stub_throws(void **state)
{
	(void)state;
	vof.rtas_size = sizeof(expected_rtas_stub) - 1;
	assert_int_equal(instantiate(IH_RTAS, BASE, 2), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	assert_int_equal(ret_cell(1), RET_POISON);
	assert_true(ram_untouched(BASE, 64));
	vof.rtas_size = 0;
	assert_int_equal(instantiate(IH_RTAS, BASE, 2), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	assert_vof_not_asked();
}

static void rtas_size_missing_or_malformed_throws(void **state)
{
	(void)state;
	vof.no_rtas_size = true;
	assert_int_equal(instantiate(IH_RTAS, BASE, 2), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	vof.no_rtas_size = false;
	vof.rtas_size_len = 8;
	assert_int_equal(instantiate(IH_RTAS, BASE, 2), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	assert_true(ram_untouched(BASE, 64));
	assert_vof_not_asked();
}

static void base_range_must_be_writable(void **state)
{
	static const uint32_t bad[] = {
		0,				/* no base */
		RAM_SIZE - 0x1000,		/* rtas-size 0x2000 runs past RAM */
		0x8000,				/* inside the firmware */
		FW_OWN_START - 0x10,		/* starts below, reaches into it */
		FW_OWN_END - 0x10,		/* starts in its last bytes */
		0xfffff000u,
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(instantiate(IH_RTAS, bad[i], 2), 0);
		assert_int_equal(ret_cell(0), CI_ERR);
		assert_int_equal(ret_cell(1), RET_POISON);
	}
	assert_true(ram_untouched(RAM_SIZE - 0x1000, 0x1000));
	assert_true(ram_untouched(0, FW_OWN_END + 0x100));
	/* right after the firmware is fine */
	assert_int_equal(instantiate(IH_RTAS, FW_OWN_END, 2), 0);
	assert_int_equal(ret_cell(0), 0);
	assert_memory_equal(ram(FW_OWN_END), expected_rtas_stub, 20);
	assert_vof_not_asked();
}

static void base_zero_is_refused_even_when_writable(void **state)
{
	(void)state;
	/* move the firmware away from 0 so that [0, rtas-size) is client RAM */
	fw_own_start = 0x800000;
	fw_own_end = 0x900000;
	assert_int_equal(instantiate(IH_RTAS, 0, 2), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	assert_true(ram_untouched(0, 64));
	assert_int_equal(instantiate(IH_RTAS, 0x1000, 2), 0);
	assert_int_equal(ret_cell(0), 0);
}

static void needs_one_argument_and_one_result(void **state)
{
	(void)state;
	/* no room for rtas-entry */
	assert_int_equal(instantiate(IH_RTAS, BASE, 1), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	/* no rtas-base */
	assert_int_equal(ci_callv("call-method", 2, 2, ram_str(STR_ADDR, "instantiate-rtas"),
				  IH_RTAS), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	assert_int_equal(ret_cell(1), RET_POISON);
	assert_true(ram_untouched(BASE, 64));
	assert_vof_not_asked();
}

static void other_instances_fall_through_to_the_catch_all(void **state)
{
	static const uint32_t ihs[] = { IH_NVRAM, IH_ROOT, 0xdead };
	const struct vof_rec *r;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(ihs); i++) {
		vof_log_clear();
		vof.rtas_abort = false;
		assert_int_equal(instantiate(ihs[i], BASE, 2), 0);
		/* the forward "*" method handed the client's array to VOF */
		r = vof_last("call-method");
		assert_non_null(r);
		assert_int_equal(r->args_addr, ARGS_ADDR);
		assert_int_equal(r->cells[1], ihs[i]);
		assert_true(vof.rtas_abort);
		assert_int_equal(ret_cell(0), CI_ERR);	/* VOF's answer */
	}
	assert_true(ram_untouched(BASE, 64));
}

static void no_rtas_node_falls_through(void **state)
{
	(void)state;
	vof.no_rtas_node = true;
	assert_int_equal(instantiate(IH_RTAS, BASE, 2), 0);
	assert_int_equal(vof_count("call-method"), 1);
	assert_true(ram_untouched(BASE, 64));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		SETUP(copies_the_stub_and_returns_base),
		SETUP(rtas_size_equal_to_the_stub_fits_at_ram_end),
		SETUP(rtas_size_below_the_stub_throws),
		SETUP(rtas_size_missing_or_malformed_throws),
		SETUP(base_range_must_be_writable),
		SETUP(base_zero_is_refused_even_when_writable),
		SETUP(needs_one_argument_and_one_result),
		SETUP(other_instances_fall_through_to_the_catch_all),
		SETUP(no_rtas_node_falls_through),
	};

	harness_init();
	return cmocka_run_group_tests_name("rtas", tests, NULL, NULL);
}
