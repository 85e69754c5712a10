/* SPDX-License-Identifier: Apache-2.0 */
/* The `test` service: does this firmware implement a service of that name? */

#include <vofkit/ci/ci.h>

/*
 * test ( name -- missing? )
 *   in:  [0] name (real address of a NUL-terminated string)
 *   out: [0] 0 when the service exists, -1 when it does not
 * Answers from the same table the dispatcher uses, so it cannot disagree
 * with what a call would do.  An unreadable name counts as missing.
 */
static enum ci_result ci_test(struct ci_call *c)
{
	char name[CI_MAX_NAME];

	if (ci_copy_string(ci_arg(c, 0), name, sizeof(name)) < 0) {
		ci_ret(c, 0, CI_ERR);
		return CI_DONE;
	}
	ci_ret(c, 0, ci_find_service(name) ? 0 : CI_ERR);
	return CI_DONE;
}
CI_SERVICE(test, "test", ci_test, 1, 1);
