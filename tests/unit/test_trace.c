/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the CI trace (CONFIG_CI_TRACE=y) and the fw_printf formatter behind it. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <vofkit/ci/ci.h>
#include <vofkit/lib/console.h>
#include "capture.h"
#include "harness.h"


static enum ci_result svc_add(struct ci_call *c)
{
	ci_ret(c, 0, ci_arg(c, 0) + ci_arg(c, 1));
	return CI_DONE;
}
CI_SERVICE(add, "add", svc_add, 2, 1);

static enum ci_result svc_nothing(struct ci_call *c)
{
	return CI_DECLINE;
}
CI_SERVICE(nothing, "nothing", svc_nothing, 0, 2);

static int setup(void **state)
{
	(void)state;
	ram_reset();
	capture_clear();
	fw_console_register(&capture_console);
	return 0;
}

static void trace_shows_arguments_and_returns_in_hex(void **state)
{
	(void)state;
	assert_int_equal(ci_callv("add", 2, 1, 10, 0xfffffff0u), 0);
	assert_string_equal(capture_out, "ci: add(a, fffffff0) -> fffffffa\n");
}

static void trace_all_declined(void **state)
{
	(void)state;
	assert_int_equal(ci_callv("nothing", 0, 2), 0);
	assert_string_equal(capture_out, "ci: nothing() -> ffffffff 5a5a5a5a\n");
}

static void trace_explains_refusals(void **state)
{
	(void)state;
	assert_int_equal(ci_callv("nope", 1, 1, 0), -1);
	assert_int_equal(ci_callv("add", 1, 1, 0x1f), -1);
	assert_string_equal(capture_out,
		"ci: nope(0) -> unknown service\n"
		"ci: add(1f) -> wrong number of arguments or returns\n");
}

static void trace_prints_nothing_for_unusable_arrays(void **state)
{
	struct ci_args *a;

	(void)state;
	assert_int_equal(ci_dispatch(ARGS_ADDR + 2), -1);
	a = ci_buildv("add", 2, 1, 1, 2);
	a->service = RAM_SIZE;
	assert_int_equal(ci_dispatch(ARGS_ADDR), -1);
	assert_int_equal(capture_len, 0);
}

static void trace_notes_call_method_failures(void **state)
{
	(void)state;
	assert_int_equal(ci_callv("call-method", 2, 1, ram_str(STR_ADDR, "frob"), 0x42), 0);
	assert_string_equal(capture_out,
		"ci:   call-method: no method frob for ihandle 42\n"
		"ci: call-method(202000, 42) -> ffffffff\n");
}

static void printk_formats(void **state)
{
	(void)state;
	fw_printf("%s|%d|%d|%u|%x|%lx|%llu|%%", "str", -42, 0, 4294967295u, 0xbeefu,
		  0x123456789abcul, 18446744073709551615ull);
	assert_string_equal(capture_out, "str|-42|0|4294967295|beef|123456789abc|18446744073709551615|%");
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup(fn, setup)
	const struct CMUnitTest tests[] = {
		T(trace_shows_arguments_and_returns_in_hex),
		T(trace_all_declined),
		T(trace_explains_refusals),
		T(trace_prints_nothing_for_unusable_arrays),
		T(trace_notes_call_method_failures),
		T(printk_formats),
	};
#undef T

	harness_init();
	return cmocka_run_group_tests_name("trace", tests, NULL, NULL);
}
