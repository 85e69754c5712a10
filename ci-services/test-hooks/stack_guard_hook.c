/* SPDX-License-Identifier: Apache-2.0 */
/* Test-only CI service that runs the firmware stack down to its bottom, so a test can see the guard trip. */

#include <stdint.h>
#include <vofkit/ci/ci.h>

extern char __stack_bottom[];

/*
 * vofkit-test-stack-overflow ( -- 0 )
 *   Writes a pattern over the unused firmware stack from just below its own
 *   frame down to and including the guard word at __stack_bottom, as a call
 *   nested one frame too deep would, but stops there: a real overflow also
 *   tramples the .bss below, which would make the test depend on what lies
 *   there.  ci_entry then finds the guard word changed and reports it.
 *   Only in builds with CONFIG_CI_TEST_HOOKS (a test variant, never a sample).
 */
static enum ci_result ci_test_stack_overflow(struct ci_call *c)
{
	volatile uint32_t *p = (volatile uint32_t *)((uintptr_t)__builtin_frame_address(0) - 512);

	p = (volatile uint32_t *)((uintptr_t)p & ~(uintptr_t)3);
	while ((uintptr_t)p >= (uintptr_t)__stack_bottom)
		*p-- = 0xdeadbeefu;
	ci_ret(c, 0, 0);
	return CI_DONE;
}
CI_SERVICE(test_stack_overflow, "vofkit-test-stack-overflow", ci_test_stack_overflow, 0, 1);
