/* SPDX-License-Identifier: Apache-2.0 */
/* The `call-method` service: run a package method on an open instance. */

#include <string.h>
#include <vofkit/ci/ci.h>

/*
 * Methods of one name run from the highest priority down until one does
 * not decline; then the "*" catch-alls (the pairing's fallback) get a turn.
 * The table is short (a handful of methods), so it is walked linearly.
 */
enum ci_result ci_run_method(struct ci_method_call *m)
{
	const struct ci_method *e;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		for (e = VK_TABLE_END(ci_methods); e-- > VK_TABLE_BEGIN(ci_methods);) {
			bool wildcard = !strcmp(e->name, "*");

			if (wildcard != (pass == 1))
				continue;
			if (!wildcard && strcmp(e->name, m->method))
				continue;
			if (e->handler(m) == CI_DONE)
				return CI_DONE;
		}
	}
	return CI_DECLINE;
}

/*
 * call-method ( method-name ihandle arg1 ... argN -- catch-result ret1 ... retM )
 *   in:  [0] method name, [1] ihandle, [2..nargs) the method's arguments
 *   out: [0] catch-result (0 = the method ran), [1..nret) the method's results
 * N_args >= 2 and N_returns >= 0: with N_returns = 0 nothing is written, as
 * in SLOF.  A missing method or an instance nobody serves is a throw (-1);
 * the other returns are then left alone.
 */
static enum ci_result ci_call_method(struct ci_call *c)
{
	struct ci_method_call m;
	char method[CI_MAX_NAME];

	if (c->nargs < 2) {
		ci_ret(c, 0, CI_ERR);
		return CI_DONE;
	}
	if (ci_copy_string(ci_arg(c, 0), method, sizeof(method)) < 0) {
		ci_trace_note("call-method: unreadable method name");
		ci_ret(c, 0, CI_ERR);
		return CI_DONE;
	}
	m.call = c;
	m.method = method;
	m.ihandle = ci_arg(c, 1);
	m.in = &c->args->cells[2];
	m.nin = c->nargs - 2;
	m.out = &c->args->cells[c->nargs + 1];
	m.nout = c->nret ? c->nret - 1 : 0;
	m.catch_result = 0;

	if (ci_run_method(&m) == CI_DECLINE) {
		ci_trace_note("call-method: no method %s for ihandle %x", method, m.ihandle);
		ci_ret(c, 0, CI_ERR);
		return CI_DONE;
	}
	ci_ret(c, 0, m.catch_result);
	return CI_DONE;
}
CI_SERVICE(call_method, "call-method", ci_call_method, CI_ANY, CI_ANY);
