/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the CI dispatcher, the sorted service table, `test` and `call-method`. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <vofkit/ci/ci.h>
#include <vofkit/core/mem.h>
#include "dispatch_log.h"
#include "harness.h"

_Static_assert(sizeof(NAME63) == CI_MAX_NAME, "NAME63 must have 63 characters");

/* ---- Registrations of this file (the others are in dispatch_services.c) ---- */

static enum ci_result svc_first(struct ci_call *c)
{
	tlog("first");
	return CI_DECLINE;
}
CI_SERVICE(aaa_first, "aaa-first", svc_first, CI_ANY, CI_ANY);

static enum ci_result svc_chain5(struct ci_call *c)
{
	tlog("chain5");
	if (ci_arg(c, 0) != 5)
		return CI_DECLINE;
	ci_ret(c, 0, 0x50);
	return CI_DONE;
}
CI_SERVICE(chain5, "chain", svc_chain5, 1, 1);

/* The neighbours of "chain" in the table: they must never be reached from it. */
static enum ci_result svc_chaim(struct ci_call *c)
{
	tlog("chaim");
	ci_ret(c, 0, 0xbad);
	return CI_DONE;
}
CI_SERVICE(chaim, "chaim", svc_chaim, 1, 1);

static enum ci_result svc_chain_x(struct ci_call *c)
{
	tlog("chain-x");
	ci_ret(c, 0, 0xbad);
	return CI_DONE;
}
CI_SERVICE(chain_x, "chain-x", svc_chain_x, 1, 1);

static enum ci_result svc_counts5(struct ci_call *c)
{
	tlog("counts5");
	return CI_DECLINE;
}
CI_SERVICE(counts5, "counts", svc_counts5, 2, 1);

static enum ci_result svc_quiet5(struct ci_call *c)
{
	tlog("quiet5");
	return CI_DECLINE;
}
CI_SERVICE(quiet5, "quiet", svc_quiet5, CI_ANY, CI_ANY);

static enum ci_result svc_none(struct ci_call *c)
{
	tlog("none");
	return CI_DONE;
}
CI_SERVICE(none, "none", svc_none, 0, 0);

static enum ci_result svc_long(struct ci_call *c)
{
	tlog("long");
	ci_ret(c, 0, 63);
	return CI_DONE;
}
CI_SERVICE(long63, NAME63, svc_long, 0, 1);

static enum ci_result svc_last(struct ci_call *c)
{
	tlog("last");
	ci_ret(c, 0, 0x2222);
	return CI_DONE;
}
CI_SERVICE(zzz_last, "zzz-last", svc_last, 0, 1);

static enum ci_result m_echo(struct ci_method_call *m)
{
	unsigned int i;

	tlog("echo-m");
	seen_method.ihandle = m->ihandle;
	seen_method.nin = m->nin;
	seen_method.nout = m->nout;
	seen_method.in0 = m->nin ? m->in[0] : 0;
	for (i = 0; i < m->nin && i < m->nout; i++)
		m->out[i] = m->in[i] * 2;
	return CI_DONE;
}
CI_METHOD(echo_m, "echo-m", m_echo);

static enum ci_result m_multi5(struct ci_method_call *m)
{
	tlog("multi5");
	if (m->ihandle != 0x10 && m->ihandle != 0x20)
		return CI_DECLINE;
	if (m->nout)
		m->out[0] = 5;
	return CI_DONE;
}
CI_METHOD(multi5, "multi", m_multi5);

static enum ci_result m_throw(struct ci_method_call *m)
{
	tlog("throw");
	m->catch_result = 0x1234;
	return CI_DONE;
}
CI_METHOD(throw, "throw", m_throw);

static enum ci_result m_star5(struct ci_method_call *m)
{
	tlog("star5");
	if (m->ihandle != 0x55)
		return CI_DECLINE;
	if (m->nout)
		m->out[0] = 0x55;
	return CI_DONE;
}
CI_METHOD_PRIO(star5, "*", m_star5, 5);

/* ---- Helpers ---- */

static int setup(void **state)
{
	(void)state;
	ram_reset();
	tlog_reset();
	return 0;
}

#define SNAP_LEN 64

/* The dispatcher must not write to an array it refuses. */
static void assert_refused_untouched(uint32_t args_addr, const uint8_t *before)
{
	assert_int_equal(ci_dispatch(args_addr), -1);
	assert_memory_equal(ram(args_addr), before, SNAP_LEN);
	assert_string_equal(tlog_buf, "");
}

static size_t n_services(void)
{
	return (size_t)(__ci_services_end - __ci_services_start);
}

/* Reference lookup: a linear scan for the last entry of that name. */
static const struct ci_service *linear_find(const char *name)
{
	const struct ci_service *e, *found = NULL;

	for (e = __ci_services_start; e < __ci_services_end; e++)
		if (!strcmp(e->name, name))
			found = e;
	return found;
}

/* ---- The service table ---- */

static void table_has_every_registration_packed(void **state)
{
	(void)state;
	assert_int_equal(n_services(), N_SERVICES);
	assert_int_equal((size_t)((const char *)__ci_services_end -
				  (const char *)__ci_services_start),
			 N_SERVICES * sizeof(struct ci_service));
	assert_int_equal((size_t)(__ci_methods_end - __ci_methods_start), N_METHODS);
}

static void table_is_in_strcmp_then_priority_order(void **state)
{
	const struct ci_service *e;

	(void)state;
	for (e = __ci_services_start + 1; e < __ci_services_end; e++) {
		int cmp = strcmp(e[-1].name, e->name);

		if (cmp > 0)
			fail_msg("\"%s\" sorted before \"%s\"", e[-1].name, e->name);
		if (cmp == 0)
			assert_true(e[-1].prio < e->prio);
	}
	assert_string_equal(__ci_services_start[0].name, "aaa-first");
	assert_string_equal(__ci_services_start[n_services() - 1].name, "zzz-last");
}

static void table_puts_test_right_before_test_method(void **state)
{
	const struct ci_service *t = ci_find_service("test");

	(void)state;
	assert_non_null(t);
	assert_true(t + 1 < __ci_services_end);
	assert_string_equal(t[1].name, "test-method");
	/* and "chain" (3 priorities) between "chaim" and "chain-x" */
	t = ci_find_service("chain");
	assert_string_equal(t[-3].name, "chaim");
	assert_string_equal(t[1].name, "chain-x");
}

static void find_returns_the_highest_priority(void **state)
{
	const struct ci_service *s;

	(void)state;
	s = ci_find_service("chain");
	assert_non_null(s);
	assert_int_equal(s->prio, 9);
	assert_int_equal(s[-1].prio, 5);
	assert_int_equal(s[-2].prio, 1);
	assert_int_equal(ci_find_service("counts")->prio, 5);
	assert_int_equal(ci_find_service("quiet")->prio, 5);
	assert_int_equal(ci_find_service("two-one")->nargs, 2);
}

static void find_locates_every_registered_name(void **state)
{
	const struct ci_service *e;

	(void)state;
	for (e = __ci_services_start; e < __ci_services_end; e++) {
		const struct ci_service *s = ci_find_service(e->name);

		assert_non_null(s);
		assert_ptr_equal(s, linear_find(e->name));
	}
}

static void find_fails_between_before_and_after(void **state)
{
	static const char *const misses[] = {
		"", "a", "aaa", "aaa-firs", "aaa-firstt", "b", "chai", "chaia",
		"chain-", "chain-y", "chain+9", "chainz", "test-", "tesu",
		"test-methoe", "zzz", "zzz-lasu", "zzzz", "~", "\x7f",
	};
	const struct ci_service *e;
	char probe[CI_MAX_NAME + 2];
	size_t i, len;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(misses); i++)
		if (ci_find_service(misses[i]))
			fail_msg("found unregistered \"%s\"", misses[i]);

	/* Around every name: shorter, longer, last character +-1. */
	for (e = __ci_services_start; e < __ci_services_end; e++) {
		len = strlen(e->name);
		for (i = 0; i < 4; i++) {
			memcpy(probe, e->name, len + 1);
			if (i == 0)
				probe[len - 1] = '\0';
			else if (i == 1)
				strcpy(probe + len, "0");
			else
				probe[len - 1] = (char)(probe[len - 1] + (i == 2 ? 1 : -1));
			assert_ptr_equal(ci_find_service(probe), linear_find(probe));
		}
	}
}

/* ---- The dispatcher ---- */

static void dispatch_runs_the_service_and_returns_zero(void **state)
{
	(void)state;
	assert_int_equal(ci_callv("echo", 3, 2, 1, 2, 3), 0);
	assert_int_equal(ret_cell(0), 6);
	assert_int_equal(ret_cell(1), 3);
	assert_int_equal(tail_cell(), TAIL_POISON);
	assert_string_equal(tlog_buf, "echo ");
}

static void dispatch_accepts_exactly_ten_cells(void **state)
{
	unsigned int i;

	(void)state;
	assert_int_equal(ci_callv("echo", 4, 6, 1, 1, 1, 1), 0);
	assert_int_equal(ret_cell(0), 4);
	assert_int_equal(ret_cell(1), 4);
	assert_int_equal(ret_cell(2), 6);
	for (i = 3; i < 6; i++)
		assert_int_equal(ret_cell(i), 0xe0 + i);
	assert_int_equal(tail_cell(), TAIL_POISON);
}

static void dispatch_refuses_more_than_ten_cells(void **state)
{
	static const uint32_t counts[][2] = {
		{ 5, 6 }, { 11, 0 }, { 0, 11 }, { 10, 1 },
		/* would wrap nargs + nret to a small number */
		{ 2, 0xffffffffu }, { 0xfffffffeu, 3 }, { 0x80000000u, 0x80000000u },
	};
	uint8_t before[SNAP_LEN];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(counts); i++) {
		struct ci_args *a = ci_buildv("echo", 0, 0);

		a->nargs = counts[i][0];
		a->nret = counts[i][1];
		memcpy(before, a, SNAP_LEN);
		assert_refused_untouched(ARGS_ADDR, before);
	}
}

static void dispatch_refuses_unknown_service(void **state)
{
	uint8_t before[SNAP_LEN];

	(void)state;
	memcpy(before, ci_buildv("no-such-service", 1, 1, 42), SNAP_LEN);
	assert_refused_untouched(ARGS_ADDR, before);
	/* a prefix of a registered name is not that name */
	memcpy(before, ci_buildv("ech", 1, 1, 42), SNAP_LEN);
	assert_refused_untouched(ARGS_ADDR, before);
}

static void dispatch_refuses_wrong_counts(void **state)
{
	uint8_t before[SNAP_LEN];

	(void)state;
	memcpy(before, ci_buildv("two-one", 1, 1, 7), SNAP_LEN);
	assert_refused_untouched(ARGS_ADDR, before);
	memcpy(before, ci_buildv("two-one", 2, 2, 7, 8), SNAP_LEN);
	assert_refused_untouched(ARGS_ADDR, before);
	memcpy(before, ci_buildv("two-one", 2, 0, 7, 8), SNAP_LEN);
	assert_refused_untouched(ARGS_ADDR, before);
	/* the right counts work */
	assert_int_equal(ci_callv("two-one", 2, 1, 7, 8), 0);
	assert_int_equal(ret_cell(0), 15);
}

static void dispatch_refuses_misaligned_array(void **state)
{
	uint8_t before[SNAP_LEN];
	uint32_t in[1] = { 1 };
	unsigned int off;

	(void)state;
	ram_str(NAME_ADDR, "echo");
	for (off = 1; off < 4; off++) {
		ci_build(ARGS_ADDR + 0x100 + off, NAME_ADDR, 1, 1, in);
		memcpy(before, ram(ARGS_ADDR + 0x100 + off), SNAP_LEN);
		assert_refused_untouched(ARGS_ADDR + 0x100 + off, before);
	}
}

static void dispatch_refuses_array_outside_ram(void **state)
{
	struct ci_args *a;
	uint8_t before[16];

	(void)state;
	ram_str(NAME_ADDR, "none");
	assert_int_equal(ci_dispatch(RAM_SIZE), -1);
	assert_int_equal(ci_dispatch(1ull << 32), -1);
	assert_int_equal(ci_dispatch((1ull << 32) + ARGS_ADDR), -1);	/* no truncation */
	assert_int_equal(ci_dispatch(UINT64_MAX & ~3ull), -1);

	/* Only 8 of the 12 header bytes are in RAM. */
	a = ram(RAM_SIZE - 8);
	a->service = NAME_ADDR;
	a->nargs = 0;
	memcpy(before, a, 8);
	assert_int_equal(ci_dispatch(RAM_SIZE - 8), -1);
	assert_memory_equal(ram(RAM_SIZE - 8), before, 8);

	/* The header fits but the return cell would be past the end. */
	a = ram(RAM_SIZE - 16);
	a->service = ram_str(NAME_ADDR, "echo");
	a->nargs = 1;
	a->nret = 1;
	a->cells[0] = 5;
	memcpy(before, a, 16);
	assert_int_equal(ci_dispatch(RAM_SIZE - 16), -1);
	assert_memory_equal(ram(RAM_SIZE - 16), before, 16);
	assert_string_equal(tlog_buf, "");

	/* The same array one cell lower is fine. */
	a = ram(RAM_SIZE - 20);
	a->service = NAME_ADDR;
	a->nargs = 1;
	a->nret = 1;
	a->cells[0] = 5;
	assert_int_equal(ci_dispatch(RAM_SIZE - 20), 0);
	assert_int_equal(a->cells[1], 5);
}

static void dispatch_refuses_array_overlapping_firmware(void **state)
{
	uint8_t before[SNAP_LEN];
	uint32_t in[1] = { 1 };

	(void)state;
	ram_str(NAME_ADDR, "echo");
	/* entirely inside */
	ci_build(0x1000, NAME_ADDR, 1, 1, in);
	memcpy(before, ram(0x1000), SNAP_LEN);
	assert_refused_untouched(0x1000, before);
	/* header below the firmware, cells reaching into it */
	ci_build(FW_OWN_START - 12, NAME_ADDR, 1, 0, in);
	memcpy(before, ram(FW_OWN_START - 12), SNAP_LEN);
	assert_refused_untouched(FW_OWN_START - 12, before);
	/* header starting in its last word */
	ci_build(FW_OWN_END - 4, NAME_ADDR, 1, 1, in);
	memcpy(before, ram(FW_OWN_END - 4), SNAP_LEN);
	assert_refused_untouched(FW_OWN_END - 4, before);
}

static void dispatch_accepts_array_adjacent_to_firmware(void **state)
{
	uint32_t in[1] = { 3 };
	struct ci_args *a;

	(void)state;
	ram_str(NAME_ADDR, "none");
	ci_build(FW_OWN_START - 12, NAME_ADDR, 0, 0, NULL);	/* ends at the start */
	assert_int_equal(ci_dispatch(FW_OWN_START - 12), 0);
	ram_str(NAME_ADDR, "echo");
	a = ci_build(FW_OWN_END, NAME_ADDR, 1, 1, in);		/* starts at the end */
	assert_int_equal(ci_dispatch(FW_OWN_END), 0);
	assert_int_equal(a->cells[1], 3);
	assert_string_equal(tlog_buf, "none echo ");
}

static void dispatch_refuses_unreadable_service_name(void **state)
{
	uint8_t before[SNAP_LEN];
	struct ci_args *a;

	(void)state;
	a = ci_buildv("echo", 1, 1, 1);
	a->service = RAM_SIZE;
	memcpy(before, a, SNAP_LEN);
	assert_refused_untouched(ARGS_ADDR, before);
	a->service = 0xfffffff0u;
	memcpy(before, a, SNAP_LEN);
	assert_refused_untouched(ARGS_ADDR, before);
}

static void dispatch_reads_name_from_firmware_memory(void **state)
{
	struct ci_args *a;

	(void)state;
	/* A name only has to be readable: the firmware region is. */
	a = ci_buildv("none", 0, 0);
	a->service = ram_str(0x1000, "none");
	assert_int_equal(ci_dispatch(ARGS_ADDR), 0);
	assert_string_equal(tlog_buf, "none ");
}

static void dispatch_name_limit_is_63_characters(void **state)
{
	uint8_t before[SNAP_LEN];
	char name[CI_MAX_NAME + 1];
	struct ci_args *a;

	(void)state;
	assert_int_equal(ci_callv(NAME63, 0, 1), 0);
	assert_int_equal(ret_cell(0), 63);
	assert_string_equal(tlog_buf, "long ");
	tlog_reset();

	/* 64 characters then NUL: too long even though it is terminated */
	memcpy(name, NAME63 "9", CI_MAX_NAME + 1);
	memcpy(before, ci_buildv(name, 0, 1), SNAP_LEN);
	assert_refused_untouched(ARGS_ADDR, before);

	/* no NUL at all within 64 bytes */
	a = ci_buildv("none", 0, 0);
	memset(ram(STR_ADDR), 'n', 2 * CI_MAX_NAME);
	a->service = STR_ADDR;
	memcpy(before, a, SNAP_LEN);
	assert_refused_untouched(ARGS_ADDR, before);
}

static void dispatch_name_at_the_end_of_ram(void **state)
{
	uint8_t before[SNAP_LEN];
	struct ci_args *a;

	(void)state;
	/* "none" plus NUL in the last 5 bytes of RAM */
	a = ci_buildv("none", 0, 0);
	a->service = ram_str(RAM_SIZE - 5, "none");
	assert_int_equal(ci_dispatch(ARGS_ADDR), 0);
	assert_string_equal(tlog_buf, "none ");

	/* "none" without its NUL: the search must stop at the end of RAM */
	memcpy(ram(RAM_SIZE - 4), "none", 4);
	a->service = RAM_SIZE - 4;
	memcpy(before, a, SNAP_LEN);
	tlog_reset();
	assert_refused_untouched(ARGS_ADDR, before);
}

static void dispatch_declines_to_lower_priorities(void **state)
{
	(void)state;
	assert_int_equal(ci_callv("chain", 1, 1, 9), 0);
	assert_int_equal(ret_cell(0), 0x90);
	assert_string_equal(tlog_buf, "chain9 ");

	tlog_reset();
	assert_int_equal(ci_callv("chain", 1, 1, 5), 0);
	assert_int_equal(ret_cell(0), 0x50);
	assert_string_equal(tlog_buf, "chain9 chain5 ");

	tlog_reset();
	assert_int_equal(ci_callv("chain", 1, 1, 1), 0);
	assert_int_equal(ret_cell(0), 0x10);
	assert_string_equal(tlog_buf, "chain9 chain5 chain1 ");
}

static void dispatch_all_declined_sets_minus_one(void **state)
{
	(void)state;
	/* r3 = 0 (the service exists), first return = -1; neighbours not run */
	assert_int_equal(ci_callv("chain", 1, 1, 7), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	assert_int_equal(tail_cell(), TAIL_POISON);
	assert_string_equal(tlog_buf, "chain9 chain5 chain1 ");

	/* the first entry of the table declining */
	tlog_reset();
	assert_int_equal(ci_callv("aaa-first", 1, 2, 0), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	assert_int_equal(ret_cell(1), RET_POISON);
	assert_string_equal(tlog_buf, "first ");
}

static void dispatch_all_declined_without_returns_writes_nothing(void **state)
{
	(void)state;
	assert_int_equal(ci_callv("quiet", 2, 0, 1, 2), 0);
	assert_int_equal(tail_cell(), TAIL_POISON);
	assert_string_equal(tlog_buf, "quiet5 quiet1 ");
}

static void dispatch_decline_stops_at_a_lower_registration_with_other_counts(void **state)
{
	(void)state;
	/* counts@5 takes (2,1) and declines; counts@1 takes (1,1): not run */
	assert_int_equal(ci_callv("counts", 2, 1, 1, 2), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	assert_string_equal(tlog_buf, "counts5 ");

	/* the highest registration's counts decide whether the call exists */
	tlog_reset();
	assert_int_equal(ci_callv("counts", 1, 1, 1), -1);
	assert_int_equal(ret_cell(0), RET_POISON);
	assert_string_equal(tlog_buf, "");
}

static void dispatch_drops_returns_beyond_nret(void **state)
{
	(void)state;
	assert_int_equal(ci_callv("echo", 2, 0, 1, 2), 0);
	assert_int_equal(tail_cell(), TAIL_POISON);
	assert_string_equal(tlog_buf, "echo ");
}

/* ---- test ---- */

static void test_service_finds_registered_names(void **state)
{
	static const char *const names[] = {
		"test", "call-method", "chain", "test-method", "aaa-first",
		"zzz-last", NAME63,
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		assert_int_equal(ci_callv("test", 1, 1, ram_str(STR_ADDR, names[i])), 0);
		assert_int_equal(ret_cell(0), 0);
	}
}

static void test_service_reports_missing_names(void **state)
{
	static const char *const names[] = { "", "tes", "test-", "nope", "chain+9", "zzzz" };
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		assert_int_equal(ci_callv("test", 1, 1, ram_str(STR_ADDR, names[i])), 0);
		assert_int_equal(ret_cell(0), CI_ERR);
	}
}

static void test_service_unreadable_name_is_missing(void **state)
{
	(void)state;
	assert_int_equal(ci_callv("test", 1, 1, RAM_SIZE), 0);
	assert_int_equal(ret_cell(0), CI_ERR);

	memset(ram(STR_ADDR), 't', CI_MAX_NAME);	/* no NUL within 64 bytes */
	assert_int_equal(ci_callv("test", 1, 1, STR_ADDR), 0);
	assert_int_equal(ret_cell(0), CI_ERR);

	/* test's own counts are checked */
	assert_int_equal(ci_callv("test", 1, 0, ram_str(STR_ADDR, "test")), -1);
	assert_int_equal(ci_callv("test", 2, 1, ram_str(STR_ADDR, "test"), 0), -1);
}

/* ---- call-method ---- */

static void call_method_needs_two_arguments(void **state)
{
	(void)state;
	assert_int_equal(ci_callv("call-method", 1, 2, ram_str(STR_ADDR, "echo-m")), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	assert_int_equal(ret_cell(1), RET_POISON);
	assert_int_equal(ci_callv("call-method", 0, 1), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	assert_string_equal(tlog_buf, "");
}

static void call_method_passes_arguments_and_results(void **state)
{
	(void)state;
	assert_int_equal(ci_callv("call-method", 5, 3, ram_str(STR_ADDR, "echo-m"),
				  0x42, 3, 4, 5), 0);
	assert_int_equal(ret_cell(0), 0);	/* catch-result */
	assert_int_equal(ret_cell(1), 6);
	assert_int_equal(ret_cell(2), 8);
	assert_int_equal(tail_cell(), TAIL_POISON);
	assert_int_equal(seen_method.ihandle, 0x42);
	assert_int_equal(seen_method.nin, 3);
	assert_int_equal(seen_method.nout, 2);
	assert_int_equal(seen_method.in0, 3);
	assert_string_equal(tlog_buf, "echo-m ");	/* no catch-all asked */
}

static void call_method_with_no_returns_writes_nothing(void **state)
{
	(void)state;
	assert_int_equal(ci_callv("call-method", 3, 0, ram_str(STR_ADDR, "echo-m"),
				  0x42, 7), 0);
	assert_int_equal(tail_cell(), TAIL_POISON);
	assert_int_equal(seen_method.nin, 1);
	assert_int_equal(seen_method.nout, 0);
	assert_string_equal(tlog_buf, "echo-m ");

	/* a missing method with N_returns = 0 is silent too */
	tlog_reset();
	assert_int_equal(ci_callv("call-method", 2, 0, ram_str(STR_ADDR, "nope"), 1), 0);
	assert_int_equal(tail_cell(), TAIL_POISON);
}

static void call_method_missing_method_throws(void **state)
{
	(void)state;
	assert_int_equal(ci_callv("call-method", 2, 3, ram_str(STR_ADDR, "nope"), 0x1), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	assert_int_equal(ret_cell(1), RET_POISON);
	assert_int_equal(ret_cell(2), RET_POISON);
	/* both catch-alls were asked, highest first */
	assert_string_equal(tlog_buf, "star5 star1 ");
}

static void call_method_unreadable_method_name_throws(void **state)
{
	(void)state;
	assert_int_equal(ci_callv("call-method", 2, 2, RAM_SIZE + 0x100, 0x10), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	assert_int_equal(ret_cell(1), RET_POISON);
	memset(ram(STR_ADDR), 'm', CI_MAX_NAME);
	assert_int_equal(ci_callv("call-method", 2, 2, STR_ADDR, 0x10), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	assert_string_equal(tlog_buf, "");
}

static void call_method_runs_priorities_then_catch_alls(void **state)
{
	(void)state;
	assert_int_equal(ci_callv("call-method", 2, 2, ram_str(STR_ADDR, "multi"), 0x10), 0);
	assert_int_equal(ret_cell(0), 0);
	assert_int_equal(ret_cell(1), 9);
	assert_string_equal(tlog_buf, "multi9 ");

	tlog_reset();
	assert_int_equal(ci_callv("call-method", 2, 2, ram_str(STR_ADDR, "multi"), 0x20), 0);
	assert_int_equal(ret_cell(1), 5);
	assert_string_equal(tlog_buf, "multi9 multi5 ");

	/* named methods decline: the "*" catch-alls, highest first */
	tlog_reset();
	assert_int_equal(ci_callv("call-method", 2, 2, ram_str(STR_ADDR, "multi"), 0x77), 0);
	assert_int_equal(ret_cell(0), 0);
	assert_int_equal(ret_cell(1), 0x77);
	assert_string_equal(tlog_buf, "multi9 multi5 star5 star1 ");
}

static void call_method_wildcard_serves_unknown_methods(void **state)
{
	(void)state;
	assert_int_equal(ci_callv("call-method", 2, 2, ram_str(STR_ADDR, "frob"), 0x55), 0);
	assert_int_equal(ret_cell(0), 0);
	assert_int_equal(ret_cell(1), 0x55);
	assert_string_equal(tlog_buf, "star5 ");
}

static void call_method_reports_the_method_catch_result(void **state)
{
	(void)state;
	assert_int_equal(ci_callv("call-method", 2, 2, ram_str(STR_ADDR, "throw"), 1), 0);
	assert_int_equal(ret_cell(0), 0x1234);
	assert_int_equal(ret_cell(1), RET_POISON);
}

static void run_method_declines_when_nobody_serves(void **state)
{
	struct ci_method_call m = { .method = "nope", .ihandle = 0x99 };
	const struct ci_method *e;

	(void)state;
	assert_int_equal(ci_run_method(&m), CI_DECLINE);
	assert_string_equal(tlog_buf, "star5 star1 ");
	m.method = "echo-m";
	assert_int_equal(ci_run_method(&m), CI_DONE);
	/* the method table is sorted by priority, lowest first */
	for (e = __ci_methods_start + 1; e < __ci_methods_end; e++)
		assert_true(e[-1].prio <= e->prio);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup(fn, setup)
	const struct CMUnitTest tests[] = {
		T(table_has_every_registration_packed),
		T(table_is_in_strcmp_then_priority_order),
		T(table_puts_test_right_before_test_method),
		T(find_returns_the_highest_priority),
		T(find_locates_every_registered_name),
		T(find_fails_between_before_and_after),
		T(dispatch_runs_the_service_and_returns_zero),
		T(dispatch_accepts_exactly_ten_cells),
		T(dispatch_refuses_more_than_ten_cells),
		T(dispatch_refuses_unknown_service),
		T(dispatch_refuses_wrong_counts),
		T(dispatch_refuses_misaligned_array),
		T(dispatch_refuses_array_outside_ram),
		T(dispatch_refuses_array_overlapping_firmware),
		T(dispatch_accepts_array_adjacent_to_firmware),
		T(dispatch_refuses_unreadable_service_name),
		T(dispatch_reads_name_from_firmware_memory),
		T(dispatch_name_limit_is_63_characters),
		T(dispatch_name_at_the_end_of_ram),
		T(dispatch_declines_to_lower_priorities),
		T(dispatch_all_declined_sets_minus_one),
		T(dispatch_all_declined_without_returns_writes_nothing),
		T(dispatch_decline_stops_at_a_lower_registration_with_other_counts),
		T(dispatch_drops_returns_beyond_nret),
		T(test_service_finds_registered_names),
		T(test_service_reports_missing_names),
		T(test_service_unreadable_name_is_missing),
		T(call_method_needs_two_arguments),
		T(call_method_passes_arguments_and_results),
		T(call_method_with_no_returns_writes_nothing),
		T(call_method_missing_method_throws),
		T(call_method_unreadable_method_name_throws),
		T(call_method_runs_priorities_then_catch_alls),
		T(call_method_wildcard_serves_unknown_methods),
		T(call_method_reports_the_method_catch_result),
		T(run_method_declines_when_nobody_serves),
	};
#undef T

	harness_init();
	return cmocka_run_group_tests_name("dispatch", tests, NULL, NULL);
}
