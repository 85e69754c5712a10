/* SPDX-License-Identifier: Apache-2.0 */
/* Instances (native pairing): open/close, ihandle validation, instance-to-package/-path, /chosen stdin/stdout. */

#include <string.h>
#include <vofkit/ci/ci.h>
#include <vofkit/core/init.h>
#include <vofkit/ci/instances.h>
#include <vofkit/core/mem.h>
#include <vofkit/core/tree.h>
#include <vofkit/lib/limits.h>
#include <vofkit/lib/util.h>

/*
 * ihandles are IHANDLE_BASE + slot.  Phandles count up from 1 (QEMU's own
 * is 0x1111), so an ihandle can never be taken for a phandle or the other
 * way round, and 0 / -1 (the values clients test for "invalid") are never
 * handed out.
 */
#define MAX_INSTANCES	64
#define IHANDLE_BASE	0xf0000000u

struct instance {
	uint32_t phandle;	/* 0 = free slot */
	char args[OF_ARGS_MAX];
	void *priv;		/* device module state (disk position, ...) */
};

static struct instance instances[MAX_INSTANCES];

static struct instance *instance_of(uint32_t ihandle)
{
	uint32_t slot = ihandle - IHANDLE_BASE;

	if (ihandle < IHANDLE_BASE || slot >= MAX_INSTANCES || !instances[slot].phandle)
		return NULL;
	return &instances[slot];
}

/*
 * The arguments come from open's path, copied into OF_PATH_MAX bytes, so
 * they always fit whole: a cut file name would open another file.
 */
_Static_assert(OF_ARGS_MAX >= OF_PATH_MAX, "open arguments are never cut");

/* Open an instance of a node; returns the ihandle or 0. */
static uint32_t instance_open(uint32_t phandle, const char *args)
{
	unsigned int i;

	if (!tree_valid(phandle))
		return 0;
	for (i = 0; i < MAX_INSTANCES; i++) {
		if (!instances[i].phandle) {
			instances[i].phandle = phandle;
			instances[i].priv = NULL;
			strncpy(instances[i].args, args ? args : "", OF_ARGS_MAX - 1);
			instances[i].args[OF_ARGS_MAX - 1] = '\0';
			return IHANDLE_BASE + i;
		}
	}
	ci_trace_note("open: all %d instances in use", MAX_INSTANCES);
	return 0;
}

const char *instance_args(uint32_t ihandle)
{
	struct instance *inst = instance_of(ihandle);

	return inst ? inst->args : NULL;
}

void *instance_priv(uint32_t ihandle)
{
	struct instance *inst = instance_of(ihandle);

	return inst ? inst->priv : NULL;
}

void instance_set_priv(uint32_t ihandle, void *priv)
{
	struct instance *inst = instance_of(ihandle);

	if (inst)
		inst->priv = priv;
}

uint32_t instance_to_package(uint32_t ihandle)
{
	struct instance *inst = instance_of(ihandle);

	return inst ? inst->phandle : 0;
}

/*
 * open ( device-specifier -- ihandle )
 *   in:  [0] path or alias, optionally with ":args"
 *   out: [0] ihandle, or 0 on failure (never -1: GRUB only tests for 0)
 */
static enum ci_result ci_open(struct ci_call *c)
{
	char path[OF_PATH_MAX];
	const char *args = NULL;
	uint32_t ph;

	if (ci_copy_string(ci_arg(c, 0), path, sizeof(path)) < 0) {
		ci_ret(c, 0, 0);
		return CI_DONE;
	}
	ph = tree_find(path, &args);
	ci_ret(c, 0, ph ? instance_open(ph, args) : 0);
	return CI_DONE;
}
CI_SERVICE(open, "open", ci_open, 1, 1);

/*
 * close ( ihandle -- )
 * Closing twice or closing garbage is harmless.  Closing /chosen "stdin"
 * (Linux does, before quiesce) leaves stdout alone: they are two instances.
 */
static enum ci_result ci_close(struct ci_call *c)
{
	struct instance *inst = instance_of(ci_arg(c, 0));

	if (inst) {
		inst->phandle = 0;
		inst->priv = NULL;
	} else
		ci_trace_note("close: %x is not an open instance", ci_arg(c, 0));
	return CI_DONE;
}
CI_SERVICE(close, "close", ci_close, 1, 0);

/*
 * instance-to-package ( ihandle -- phandle )
 *   out: [0] the instance's node, or -1 for a bad ihandle
 */
static enum ci_result ci_instance_to_package(struct ci_call *c)
{
	uint32_t ph = instance_to_package(ci_arg(c, 0));

	ci_ret(c, 0, ph ? ph : CI_ERR);
	return CI_DONE;
}
CI_SERVICE(instance_to_package, "instance-to-package", ci_instance_to_package, 1, 1);

/*
 * instance-to-path ( ihandle buf buflen -- length )
 *   out: [0] full length of the node's path plus ":args" if it was opened
 *        with arguments (NUL-terminated when it fits), or -1
 */
static enum ci_result ci_instance_to_path(struct ci_call *c)
{
	struct instance *inst = instance_of(ci_arg(c, 0));

	ci_ret(c, 0, inst ? ci_copy_path(inst->phandle, inst->args, ci_arg(c, 1),
						ci_arg(c, 2))
			  : CI_ERR);
	return CI_DONE;
}
CI_SERVICE(instance_to_path, "instance-to-path", ci_instance_to_path, 3, 1);

/*
 * read / write ( ihandle addr len -- actual )   seek ( ihandle hi lo -- status )
 * The instance layer's fallback after the device modules (console, later
 * disks) declined: a valid instance without such a method, or a bad
 * ihandle, gets -1.
 */
static enum ci_result ci_no_such_method(struct ci_call *c)
{
	ci_trace_note("%s: instance %x has no %s method", c->name, ci_arg(c, 0), c->name);
	ci_ret(c, 0, CI_ERR);
	return CI_DONE;
}
CI_SERVICE_PRIO(read_fallback, "read", ci_no_such_method, 3, 1, CI_PRIO_FALLBACK);
CI_SERVICE_PRIO(write_fallback, "write", ci_no_such_method, 3, 1, CI_PRIO_FALLBACK);
CI_SERVICE_PRIO(seek_fallback, "seek", ci_no_such_method, 3, 1, CI_PRIO_FALLBACK);

/* The first /vdevice child that is a spapr-vty ("hvterm1"). */
static uint32_t first_vty(void)
{
	uint32_t vdev = tree_find("/vdevice", NULL), n;

	for (n = vdev ? tree_child(vdev) : 0; n; n = tree_peer(n)) {
		int len;
		const char *compat = tree_getprop(n, "compatible", &len);

		if (compat && len == sizeof("hvterm1") && !memcmp(compat, "hvterm1", (size_t)len))
			return n;
	}
	return TREE_NO_NODE;
}

/*
 * QEMU's tree has stdout-path but no stdin/stdout instances; Linux's
 * prom_init panics without /chosen "stdout" and GRUB reads keys from
 * "stdin".  Both are opened on stdout-path (absent with a VGA display:
 * then the first vty), as separate instances so closing stdin keeps
 * stdout intact.  /aliases gets "hvterm" as in SLOF.
 */
static int chosen_stdio_init(void)
{
	uint32_t chosen = tree_find("/chosen", NULL), vty = 0, ih;
	const char *path;
	char vty_path[OF_PATH_MAX];
	int len;

	if (!chosen)
		return -1;
	path = tree_getprop(chosen, "stdout-path", &len);
	if (path && len > 1 && !path[len - 1])
		vty = tree_find(path, NULL);
	if (!vty)
		vty = first_vty();
	if (!vty)
		return 0;	/* no console: the firmware keeps writing to reg 0 */
	ih = instance_open(vty, NULL);
	tree_setprop(chosen, "stdout", &ih, 4);
	ih = instance_open(vty, NULL);
	tree_setprop(chosen, "stdin", &ih, 4);
	if (tree_path(vty, vty_path, sizeof(vty_path)) < (int)sizeof(vty_path)) {
		uint32_t aliases = tree_find("/aliases", NULL);

		if (aliases)
			tree_setprop(aliases, "hvterm", vty_path, (int)strlen(vty_path) + 1);
	}
	return 0;
}
FW_INIT(chosen_stdio_init, FW_INIT_STDIO, "/chosen stdin and stdout");
