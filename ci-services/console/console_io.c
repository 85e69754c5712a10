/* SPDX-License-Identifier: Apache-2.0 */
/* Console `write` on the stdout vty instance, and discovery of that vty. */

#include <string.h>
#include <vofkit/ci/ci.h>
#include <vofkit/lib/console.h>
#include <vofkit/ci/console_service.h>
#include <vofkit/drivers/hvterm.h>
#include <vofkit/core/init.h>
#include <vofkit/core/mem.h>
#include <vofkit/ci/instances.h>
#include <vofkit/core/tree.h>

/* The console instance (/chosen "stdout") and its package. */
static uint32_t stdout_ihandle, stdout_package;

/*
 * Only the stdout instance and other instances of the same vty package are
 * served here: that is all Linux and GRUB write to.  Anything else goes to
 * the pairing (VOF, or the native instance layer).
 */
bool console_is_stdout_instance(uint32_t ihandle)
{
	if (!stdout_package || ihandle == 0 || ihandle == CI_ERR)
		return false;
	return ihandle == stdout_ihandle ||
	       instance_to_package(ihandle) == stdout_package;
}

/*
 * The console is the package of /chosen "stdout" when it is a spapr-vty
 * ("compatible" is exactly "hvterm1", as QEMU writes it): QEMU's VOF opens it on
 * stdout-path, and the native tree module does the same.  Without one the
 * driver keeps reg 0, QEMU's alias for the lowest-reg vty.
 */
static int console_discover(void)
{
	uint32_t chosen = tree_find("/chosen", NULL);
	uint32_t ih, pkg, reg;
	char compat[8];

	if (!chosen || tree_read_exact(chosen, "stdout", &ih, 4))
		return 0;
	pkg = instance_to_package(ih);
	if (!pkg ||
	    tree_read_exact(pkg, "compatible", compat, sizeof(compat)) ||
	    memcmp(compat, "hvterm1", sizeof(compat)) ||
	    tree_read_exact(pkg, "reg", &reg, 4))
		return 0;
	stdout_ihandle = ih;
	stdout_package = pkg;
	hvterm_set_default_reg(reg);
	return 0;
}
FW_INIT(console_discover, FW_INIT_CONSOLE, "the client console");

/*
 * write ( ihandle addr len -- actual )
 *   in:  [0] ihandle, [1] buffer (real address), [2] length
 *   out: [0] bytes written, or -1
 * QEMU's VOF prints nothing for `write`, which is why Linux's prom_init
 * messages are lost with stock vof.bin.  Writes keep working after
 * close(stdin) and after quiesce: nothing here depends on either.
 */
static enum ci_result console_write(struct ci_call *c)
{
	uint32_t buf = ci_arg(c, 1), len = ci_arg(c, 2);

	if (!console_is_stdout_instance(ci_arg(c, 0)))
		return CI_DECLINE;
	if (!fw_mem_readable(buf, len) ||
	    hvterm_write(hvterm_default_reg(), phys_to_virt(buf), len)) {
		ci_ret(c, 0, CI_ERR);
		return CI_DONE;
	}
	ci_ret(c, 0, len);
	return CI_DONE;
}
CI_SERVICE(console_write, "write", console_write, 3, 1);
