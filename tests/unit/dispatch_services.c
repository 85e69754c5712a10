/* SPDX-License-Identifier: Apache-2.0 */
/* Test services and methods registered from a second object file (cross-file sorting). */

#include <string.h>
#include <vofkit/ci/ci.h>
#include "dispatch_log.h"

char tlog_buf[512];
struct seen_method seen_method;

void tlog(const char *tag)
{
	strncat(tlog_buf, tag, sizeof(tlog_buf) - strlen(tlog_buf) - 2);
	strcat(tlog_buf, " ");
}

void tlog_reset(void)
{
	tlog_buf[0] = '\0';
	memset(&seen_method, 0, sizeof(seen_method));
}

/* echo: ret[0] = sum of the arguments, ret[1] = nargs, ret[2] = nret, ret[i] = 0xe0 + i. */
static enum ci_result svc_echo(struct ci_call *c)
{
	uint32_t i, sum = 0;

	tlog("echo");
	for (i = 0; i < c->nargs; i++)
		sum += ci_arg(c, i);
	for (i = 0; i < c->nret; i++)
		ci_ret(c, i, i == 0 ? sum : i == 1 ? c->nargs : i == 2 ? c->nret : 0xe0 + i);
	return CI_DONE;
}
CI_SERVICE(echo, "echo", svc_echo, CI_ANY, CI_ANY);

static enum ci_result svc_two_one(struct ci_call *c)
{
	tlog("two-one");
	ci_ret(c, 0, ci_arg(c, 0) + ci_arg(c, 1));
	return CI_DONE;
}
CI_SERVICE(two_one, "two-one", svc_two_one, 2, 1);

/* "chain": each priority serves only the calls whose arg 0 is its priority. */
static enum ci_result svc_chain9(struct ci_call *c)
{
	tlog("chain9");
	if (ci_arg(c, 0) != 9)
		return CI_DECLINE;
	ci_ret(c, 0, 0x90);
	return CI_DONE;
}
CI_SERVICE_PRIO(chain9, "chain", svc_chain9, 1, 1, 9);

static enum ci_result svc_chain1(struct ci_call *c)
{
	tlog("chain1");
	if (ci_arg(c, 0) != 1)
		return CI_DECLINE;
	ci_ret(c, 0, 0x10);
	return CI_DONE;
}
CI_SERVICE_PRIO(chain1, "chain", svc_chain1, 1, 1, CI_PRIO_FALLBACK);

/* "counts" at priority 1 takes 1 argument; the priority-5 one takes 2. */
static enum ci_result svc_counts1(struct ci_call *c)
{
	tlog("counts1");
	ci_ret(c, 0, 0x11);
	return CI_DONE;
}
CI_SERVICE_PRIO(counts1, "counts", svc_counts1, 1, 1, 1);

static enum ci_result svc_quiet1(struct ci_call *c)
{
	tlog("quiet1");
	return CI_DECLINE;
}
CI_SERVICE_PRIO(quiet1, "quiet", svc_quiet1, CI_ANY, CI_ANY, 1);

static enum ci_result svc_test_method(struct ci_call *c)
{
	tlog("test-method");
	ci_ret(c, 0, 0x7e57);
	return CI_DONE;
}
CI_SERVICE(test_method, "test-method", svc_test_method, 1, 1);

/* Method "multi" at priority 9 serves ihandle 0x10 only. */
static enum ci_result m_multi9(struct ci_method_call *m)
{
	tlog("multi9");
	if (m->ihandle != 0x10)
		return CI_DECLINE;
	if (m->nout)
		m->out[0] = 9;
	return CI_DONE;
}
CI_METHOD_PRIO(multi9, "multi", m_multi9, 9);

/* The lowest catch-all serves ihandle 0x77 only. */
static enum ci_result m_star1(struct ci_method_call *m)
{
	tlog("star1");
	if (m->ihandle != 0x77)
		return CI_DECLINE;
	if (m->nout)
		m->out[0] = 0x77;
	return CI_DONE;
}
CI_METHOD_PRIO(star1, "*", m_star1, CI_PRIO_FALLBACK);
