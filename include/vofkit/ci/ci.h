/* SPDX-License-Identifier: Apache-2.0 */
/* Client-interface (IEEE 1275) service and method registration, and call helpers. */
#ifndef VOFKIT_CI_H
#define VOFKIT_CI_H

#include <stdint.h>
#include <stdbool.h>
#include <vofkit/lib/iterable_sections.h>
#include <vofkit/lib/log.h>
#include <vofkit/lib/util.h>

/*
 * The argument array a client passes in r3 (IEEE 1275 §6.3.1): every cell is
 * a 32-bit big-endian value, which on this big-endian firmware is a plain
 * uint32_t.  cells[] holds nargs arguments followed by nret returns.
 */
struct ci_args {
	uint32_t service;	/* real address of the NUL-terminated name */
	uint32_t nargs;
	uint32_t nret;
	uint32_t cells[];
};

/* Linux's struct prom_args has args[10]; OpenBIOS and VOF refuse more. */
#define CI_MAX_CELLS		10
/* Longest service or method name accepted (VOF uses the same bound). */
#define CI_MAX_NAME		64

/* Cell values with a meaning fixed by IEEE 1275 and its clients. */
#define CI_ERR			0xffffffffu	/* -1: "failed" / "not found" */
#define CI_INVALID_IHANDLE	0u		/* what open returns on failure */

/* One call in flight, as a handler sees it. */
struct ci_call {
	struct ci_args *args;
	const char *name;	/* service name, already validated */
	uint32_t nargs;
	uint32_t nret;
};

static inline uint32_t ci_arg(const struct ci_call *c, unsigned int i)
{
	return i < c->nargs ? c->args->cells[i] : 0;
}

/* Returns beyond nret are dropped: clients size the array for what they asked. */
static inline void ci_ret(struct ci_call *c, unsigned int i, uint32_t v)
{
	if (i < c->nret)
		c->args->cells[c->nargs + i] = v;
}

/*
 * What a handler tells the dispatcher.  CI_DECLINE passes the call on to the
 * next registration of the same name with a lower priority: the console's
 * `write` handles console instances and declines the others, which the
 * pairing (forward to QEMU's VOF, or the native instance layer) then takes.
 */
enum ci_result {
	CI_DONE = 0,
	CI_DECLINE = 1,
};

typedef enum ci_result (*ci_handler_fn)(struct ci_call *c);

/* The IEEE 1275 failure answer: -1 in the first return cell; the call is done. */
static inline enum ci_result ci_fail(struct ci_call *c)
{
	ci_ret(c, 0, CI_ERR);
	return CI_DONE;
}

/* nargs/nret value meaning "the handler checks the counts itself". */
#define CI_ANY			0xff

/* Registration priorities: higher runs first among equal names. */
#define CI_PRIO_FALLBACK	1	/* the pairing's catch-all (forward, instances) */
#define CI_PRIO_NORMAL		5	/* an ordinary service module */

struct ci_service {
	const char *name;
	ci_handler_fn handler;
	uint8_t nargs;
	uint8_t nret;
	uint8_t prio;
};

/*
 * Register a service.  The section name carries the service name and priority
 * so the linker script can SORT_BY_NAME the table: the dispatcher then finds
 * a name by binary search instead of comparing against every service.  The
 * separator '+' sorts below every character a service name uses ('-',
 * digits, letters), so the linker's order is exactly strcmp order: "test"
 * comes before "test-method".  Names must not use characters below '+'
 * (such as '*' or '!'), nor ',' (GCC writes the section name unquoted into
 * a .section directive, where a comma ends it: the build fails), and
 * priorities are one digit (sorted as text).  Methods ("ibm,...") are
 * keyed by priority only, so their names may hold commas.
 */
#define CI_SERVICE_PRIO(sym, svc_name, fn, n_args, n_ret, priority) \
	CI_SERVICE_PRIO_(sym, svc_name, fn, n_args, n_ret, priority)
#define CI_SERVICE_PRIO_(sym, svc_name, fn, n_args, n_ret, priority)            \
	_Static_assert((priority) >= 0 && (priority) <= 9,                      \
		       "CI priorities are one digit: the linker sorts them as text"); \
	VK_TABLE_ENTRY(ci_services, struct ci_service, ci_service_##sym,        \
		       svc_name "+" #priority) = {                              \
		.name = svc_name, .handler = fn, .nargs = n_args,               \
		.nret = n_ret, .prio = priority,                                \
	}

#define CI_SERVICE(sym, svc_name, fn, n_args, n_ret) \
	CI_SERVICE_PRIO(sym, svc_name, fn, n_args, n_ret, CI_PRIO_NORMAL)

/*
 * Package methods reached through `call-method` (ihandle, method name, args).
 * A method handler receives the call-method stack already split:
 *   in[0..nin)   = the method's own arguments (call-method's arg3...),
 *   out[0..nout) = the method's results after the catch-result.
 * It returns CI_DECLINE when the instance is not one it serves.
 */
struct ci_method_call {
	struct ci_call *call;
	const char *method;
	uint32_t ihandle;
	const uint32_t *in;
	unsigned int nin;
	uint32_t *out;
	unsigned int nout;
	uint32_t catch_result;	/* 0 = success; set non-zero to report a throw */
};

typedef enum ci_result (*ci_method_fn)(struct ci_method_call *m);

struct ci_method {
	const char *name;	/* "*" matches every method (the pairing's fallback) */
	ci_method_fn handler;
	uint8_t prio;
};

#define CI_METHOD_PRIO(sym, method_name, fn, priority) \
	CI_METHOD_PRIO_(sym, method_name, fn, priority)
#define CI_METHOD_PRIO_(sym, method_name, fn, priority)                         \
	_Static_assert((priority) >= 0 && (priority) <= 9,                      \
		       "CI priorities are one digit: the linker sorts them as text"); \
	VK_TABLE_ENTRY(ci_methods, struct ci_method, ci_method_##sym, #priority) = { \
		.name = method_name, .handler = fn, .prio = priority,           \
	}

#define CI_METHOD(sym, method_name, fn) CI_METHOD_PRIO(sym, method_name, fn, CI_PRIO_NORMAL)

/* Provided by the linker script (or the host-test section script). */
VK_TABLE_DECLARE(ci_services, struct ci_service);
VK_TABLE_DECLARE(ci_methods, struct ci_method);

/* Entry point of the dispatcher, called by the arch trampoline with r3. */
int64_t ci_dispatch(uint64_t args_addr);

/* Look a service up by name; returns the highest-priority registration. */
const struct ci_service *ci_find_service(const char *name);

/* Run a method the way `call-method` does (also used by native services). */
enum ci_result ci_run_method(struct ci_method_call *m);

/* Why a call was refused, for the CI trace (CONFIG_CI_TRACE; see <vofkit/lib/log.h>). */
#define ci_trace_note(...) log_trace(__VA_ARGS__)

/*
 * Copy a client string (real address) into buf, bounded.  Returns its length,
 * or -1 when it is not in RAM or not NUL-terminated within bufsize bytes.
 */
int ci_copy_string(uint32_t addr, char *buf, unsigned int bufsize);

/*
 * Write a node's path (+ ":suffix" when given) to a client buffer the
 * IEEE 1275 way (native tree services): at most buflen bytes, NUL-terminated
 * when there is room; returns the full length without the NUL, or CI_ERR.
 */
uint32_t ci_copy_path(uint32_t phandle, const char *suffix, uint32_t buf, uint32_t buflen);

#endif /* VOFKIT_CI_H */
