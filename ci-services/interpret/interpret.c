/* SPDX-License-Identifier: Apache-2.0 */
/* `interpret` for the Forth phrases clients send (no Forth here), and the display no-op `color!`. */

#include <string.h>
#include <vofkit/ci/ci.h>
#include <vofkit/lib/console.h>
#include <vofkit/core/init.h>
#include <vofkit/core/rtas.h>

/* Phrases GRUB and Linux send only to set up a console: accepted, nothing to do. */
static const char *const no_ops[] = {
	"output-device output",
	"cursor-on",
	"cursor-off",
};

/*
 * interpret ( cmd-string arg1 ... argN -- catch-result ret1 ... retM )
 *   in:  [0] the Forth text; further arguments are ignored
 *   out: [0] catch-result: 0 for a phrase handled here, -1 (a throw) for
 *        anything else; the other returns are left alone
 * There is no Forth interpreter.  GRUB's "reset-all" reboots through RTAS
 * system-reboot; "power-off", "shut-down" and "poweroff" power off.
 */
static enum ci_result ci_interpret(struct ci_call *c)
{
	char text[128];
	unsigned int i;

	if (c->nargs < 1 || ci_copy_string(ci_arg(c, 0), text, sizeof(text)) < 0) {
		ci_ret(c, 0, CI_ERR);
		return CI_DONE;
	}
	for (i = 0; i < sizeof(no_ops) / sizeof(no_ops[0]); i++) {
		if (!strcmp(text, no_ops[i])) {
			ci_ret(c, 0, 0);
			return CI_DONE;
		}
	}
	if (!strcmp(text, "reset-all")) {
		fw_puts("\nvofkit: client asked for reset-all; rebooting\n");
		rtas_call("system-reboot", 0, 0, 0, 0);
	} else if (!strcmp(text, "power-off") || !strcmp(text, "shut-down") ||
		   !strcmp(text, "poweroff")) {
		fw_puts("\nvofkit: client asked for power-off\n");
		fw_power_off();
	}
	ci_trace_note("interpret: no Forth interpreter for \"%s\"", text);
	ci_ret(c, 0, CI_ERR);
	return CI_DONE;
}
CI_SERVICE(interpret, "interpret", ci_interpret, CI_ANY, CI_ANY);

/*
 * call-method "color!" ( r g b index -- ) on any instance: a palette entry
 * for a display.  The console here is a serial vty; accepting it keeps
 * Linux's and GRUB's palette loops quiet.
 */
static enum ci_result color_store(struct ci_method_call *m)
{
	(void)m;
	return CI_DONE;
}
CI_METHOD(color_store, "color!", color_store);
