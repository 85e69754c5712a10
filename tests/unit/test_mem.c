/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of lib/mem.c: client-buffer validation against RAM and the firmware region. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <vofkit/core/mem.h>

#define TOP	0x4000000ull	/* 64 MiB */
#define OWN_LO	0x100ull
#define OWN_HI	0x10000ull

/* mem.h declares it for phys_to_virt(); nothing here dereferences RAM. */
uint8_t *host_ram;

static int setup(void **state)
{
	(void)state;
	fw_ram_top = TOP;
	fw_own_start = OWN_LO;
	fw_own_end = OWN_HI;
	return 0;
}

static void readable_inside_and_up_to_the_top(void **state)
{
	(void)state;
	assert_true(fw_mem_readable(0, 0));
	assert_true(fw_mem_readable(0, TOP));
	assert_true(fw_mem_readable(TOP - 1, 1));
	assert_true(fw_mem_readable(TOP, 0));
	/* Reading the firmware itself is allowed. */
	assert_true(fw_mem_readable(OWN_LO, OWN_HI - OWN_LO));
}

static void readable_rejects_past_the_top(void **state)
{
	(void)state;
	assert_false(fw_mem_readable(0, TOP + 1));
	assert_false(fw_mem_readable(TOP - 1, 2));
	assert_false(fw_mem_readable(TOP, 1));
	assert_false(fw_mem_readable(TOP + 1, 0));
	assert_false(fw_mem_readable(1ull << 32, 4));
}

static void readable_rejects_wraparound(void **state)
{
	(void)state;
	/* addr + len wraps to a small value: must not look like "inside". */
	assert_false(fw_mem_readable(0x1000, UINT64_MAX - 0xfff));
	assert_false(fw_mem_readable(0x1000, UINT64_MAX));
	assert_false(fw_mem_readable(UINT64_MAX, 2));
	assert_false(fw_mem_readable(UINT64_MAX, 0));
	assert_false(fw_mem_readable(TOP - 0x10, UINT64_MAX - TOP + 0x20));
}

static void readable_follows_fw_ram_top(void **state)
{
	(void)state;
	fw_ram_top = 0x1000;
	assert_true(fw_mem_readable(0xfff, 1));
	assert_false(fw_mem_readable(0x1000, 1));
	fw_ram_top = 0;
	assert_true(fw_mem_readable(0, 0));
	assert_false(fw_mem_readable(0, 1));
}

static void writable_next_to_the_firmware(void **state)
{
	(void)state;
	/* Ends exactly where the firmware starts / starts where it ends. */
	assert_true(fw_mem_writable(0, OWN_LO));
	assert_true(fw_mem_writable(OWN_LO - 4, 4));
	assert_true(fw_mem_writable(OWN_HI, 4));
	assert_true(fw_mem_writable(OWN_HI, TOP - OWN_HI));
}

static void writable_rejects_any_overlap_with_the_firmware(void **state)
{
	(void)state;
	assert_false(fw_mem_writable(OWN_LO - 4, 5));	/* last byte in */
	assert_false(fw_mem_writable(OWN_HI - 1, 4));	/* first byte in */
	assert_false(fw_mem_writable(OWN_LO, 1));
	assert_false(fw_mem_writable(0x1000, 0x10));	/* fully inside */
	assert_false(fw_mem_writable(0, TOP));		/* covers it */
	assert_false(fw_mem_writable(OWN_LO - 1, OWN_HI - OWN_LO + 2));
}

static void writable_requires_readable(void **state)
{
	(void)state;
	assert_false(fw_mem_writable(TOP - 4, 8));
	assert_false(fw_mem_writable(TOP, 1));
	assert_false(fw_mem_writable(OWN_HI, UINT64_MAX - OWN_HI + 1)); /* wraps to 0 */
	assert_false(fw_mem_writable(UINT64_MAX - 3, 8));
	assert_true(fw_mem_writable(TOP, 0));
}

static void writable_zero_length_is_always_harmless(void **state)
{
	(void)state;
	/* Nothing is written, so even an address inside the firmware passes. */
	assert_true(fw_mem_writable(0x1000, 0));
	assert_true(fw_mem_writable(OWN_LO, 0));
	assert_false(fw_mem_writable(TOP + 4, 0));	/* but not outside RAM */
}

static void writable_with_an_empty_firmware_region(void **state)
{
	(void)state;
	fw_own_start = fw_own_end = 0;
	assert_true(fw_mem_writable(0, TOP));
	assert_true(fw_mem_writable(0x1000, 0x10));
	assert_false(fw_mem_writable(0, TOP + 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(readable_inside_and_up_to_the_top, setup),
		cmocka_unit_test_setup(readable_rejects_past_the_top, setup),
		cmocka_unit_test_setup(readable_rejects_wraparound, setup),
		cmocka_unit_test_setup(readable_follows_fw_ram_top, setup),
		cmocka_unit_test_setup(writable_next_to_the_firmware, setup),
		cmocka_unit_test_setup(writable_rejects_any_overlap_with_the_firmware, setup),
		cmocka_unit_test_setup(writable_requires_readable, setup),
		cmocka_unit_test_setup(writable_zero_length_is_always_harmless, setup),
		cmocka_unit_test_setup(writable_with_an_empty_firmware_region, setup),
	};

	return cmocka_run_group_tests_name("mem", tests, NULL, NULL);
}
