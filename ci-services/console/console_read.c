/* SPDX-License-Identifier: Apache-2.0 */
/* Console `read` on the stdout vty instance: non-blocking hvterm input. */

#include <vofkit/ci/ci.h>
#include <vofkit/ci/console_service.h>
#include <vofkit/drivers/hvterm.h>
#include <vofkit/core/mem.h>

/*
 * read ( ihandle addr len -- actual )
 *   in:  [0] ihandle, [1] buffer, [2] length
 *   out: [0] bytes read; -2 when nothing is pending (never blocks, as SLOF)
 * GRUB polls the console this way; it treats anything <= 0 as "no key".
 */
static enum ci_result console_read(struct ci_call *c)
{
	uint32_t buf = ci_arg(c, 1), len = ci_arg(c, 2);
	size_t n;

	if (!console_is_stdout_instance(ci_arg(c, 0)))
		return CI_DECLINE;
	if (!fw_mem_writable(buf, len)) {
		ci_ret(c, 0, CI_ERR);
		return CI_DONE;
	}
	n = len ? hvterm_read(phys_to_virt(buf), len) : 0;
	ci_ret(c, 0, n ? (uint32_t)n : (len ? (uint32_t)-2 : 0));
	return CI_DONE;
}
CI_SERVICE(console_read, "read", console_read, 3, 1);
