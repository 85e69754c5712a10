/* SPDX-License-Identifier: Apache-2.0 */
/* CI dispatcher: validate the argument array, find the service by name, run it. */

#include <string.h>
#include <vofkit/ci/ci.h>
#include <vofkit/core/exception.h>
#include <vofkit/core/mem.h>
#include <vofkit/lib/console.h>
#include <vofkit/lib/log.h>
#include <vofkit/lib/util.h>

/*
 * Bisect the sorted table for the last (highest-priority) registration of
 * `name`; entries of one name are adjacent and ordered by priority.
 */
static const struct ci_service *ci_find_last(const char *name)
{
	const struct ci_service *lo = VK_TABLE_BEGIN(ci_services);
	const struct ci_service *hi = VK_TABLE_END(ci_services);

	/* Find the first entry whose name sorts after `name`. */
	while (lo < hi) {
		const struct ci_service *mid = lo + (hi - lo) / 2;

		if (strcmp(mid->name, name) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo > VK_TABLE_BEGIN(ci_services) && !strcmp(lo[-1].name, name))
		return &lo[-1];
	return NULL;
}

const struct ci_service *ci_find_service(const char *name)
{
	return ci_find_last(name);
}

int ci_copy_string(uint32_t addr, char *buf, unsigned int bufsize)
{
	const char *src;
	size_t len;

	if (!bufsize || !fw_mem_readable(addr, 1))
		return -1;
	/* Never read past the end of RAM while looking for the NUL. */
	if (fw_ram_top - addr < bufsize)
		bufsize = (unsigned int)(fw_ram_top - addr);
	src = phys_to_virt(addr);
	len = strnlen(src, bufsize);
	if (len == bufsize)
		return -1;
	memcpy(buf, src, len + 1);
	return (int)len;
}

static bool ci_counts_ok(const struct ci_service *s, uint32_t nargs, uint32_t nret)
{
	return (s->nargs == CI_ANY || s->nargs == nargs) &&
	       (s->nret == CI_ANY || s->nret == nret);
}

static void ci_trace_call(const struct ci_call *c, const char *what)
{
	uint32_t i;

	fw_printf("ci: %s(", c->name);
	for (i = 0; i < c->nargs; i++)
		fw_printf(i ? ", %x" : "%x", c->args->cells[i]);
	fw_printf(")");
	if (what) {
		fw_printf(" %s\n", what);
		return;
	}
	fw_printf(" ->");
	for (i = 0; i < c->nret; i++)
		fw_printf(" %x", c->args->cells[c->nargs + i]);
	fw_printf("\n");
}

/*
 * A variant built without a service its client needs must fail loudly:
 * say which service was missing (the first few times; a client that keeps
 * probing must not flood the console).
 */
static void report_missing(const char *name)
{
	static unsigned int reported;

	if (reported++ < 8)
		pr_warn("client called missing service %s\n", name);
}

/*
 * Called by arch/ppc64/ci_entry.S.  Returns 0 when the service exists and
 * ran (its own failure travels in the return cells), -1 when the array is
 * unusable or the service is unknown: that is what Linux (`enter_prom() < 0`)
 * and GRUB (`== -1`) test.  An unusable array is never written to.
 */
int64_t ci_dispatch(uint64_t args_addr)
{
	char name[CI_MAX_NAME];
	struct ci_call call;
	const struct ci_service *svc;
	uint32_t nargs, nret;

	if ((args_addr & 3) || !fw_mem_writable(args_addr, sizeof(struct ci_args)))
		return -1;
	call.args = phys_to_virt(args_addr);
	nargs = call.args->nargs;
	nret = call.args->nret;
	if (nargs > CI_MAX_CELLS || nret > CI_MAX_CELLS ||
	    nargs + nret > CI_MAX_CELLS ||
	    !fw_mem_writable(args_addr, sizeof(struct ci_args) + 4 * (nargs + nret)))
		return -1;
	if (ci_copy_string(call.args->service, name, sizeof(name)) < 0)
		return -1;
	call.name = name;
	call.nargs = nargs;
	call.nret = nret;

	svc = ci_find_last(name);
	if (!svc) {
		if (IS_ENABLED(CONFIG_CI_TRACE))
			ci_trace_call(&call, "-> unknown service");
		else if (IS_ENABLED(CONFIG_CI_REPORT_UNKNOWN))
			report_missing(name);
		return -1;
	}
	if (!ci_counts_ok(svc, nargs, nret)) {
		if (IS_ENABLED(CONFIG_CI_TRACE))
			ci_trace_call(&call, "-> wrong number of arguments or returns");
		return -1;
	}

	/* For the exception report: which service ran last (a crash in it,
	 * or a client that crashes after it, names it). */
	if (IS_ENABLED(CONFIG_EXCEPTION_VECTORS))
		fw_last_service = svc->name;

	/* Run the registrations of this name from the highest priority down. */
	for (;;) {
		if (svc->handler(&call) == CI_DONE)
			break;
		if (svc == VK_TABLE_BEGIN(ci_services) || strcmp(svc[-1].name, name)) {
			/* Everyone declined: the service exists but cannot serve this. */
			ci_ret(&call, 0, CI_ERR);
			break;
		}
		svc--;
		if (!ci_counts_ok(svc, nargs, nret)) {
			ci_ret(&call, 0, CI_ERR);
			break;
		}
	}

	if (IS_ENABLED(CONFIG_CI_TRACE))
		ci_trace_call(&call, NULL);
	return 0;
}
