/* SPDX-License-Identifier: Apache-2.0 */
/* The `exit` service: the client gave up; say so and power the machine off. */

#include <vofkit/ci/ci.h>
#include <vofkit/lib/console.h>
#include <vofkit/core/init.h>

/*
 * exit ( -- )
 *   no arguments, no returns; does not return to the client.
 * QEMU's VOF only pauses the VM on exit, which leaves an automated QEMU
 * hanging; RTAS power-off ends it (with -no-reboot as well).
 */
static enum ci_result ci_exit(struct ci_call *c)
{
	(void)c;
	fw_puts("\nvofkit: client called exit; powering off\n");
	fw_power_off();
}
CI_SERVICE(exit, "exit", ci_exit, 0, 0);
