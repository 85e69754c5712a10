/* SPDX-License-Identifier: Apache-2.0 */
/* Tree services (native pairing): finddevice, getprop(len), nextprop, setprop, peer/child/parent, paths, over core/tree. */

#include <string.h>
#include <vofkit/ci/ci.h>
#include <vofkit/core/mem.h>
#include <vofkit/ci/setprop_policy.h>
#include <vofkit/core/tree.h>
#include <vofkit/lib/limits.h>
#include <vofkit/lib/util.h>

/* A client property value is copied into the tree; keep it sane. */
#define SETPROP_MAX	0x10000
#define PROP_NAME_MAX	OF_PROP_NAME_MAX

/* Copy a client string argument; on failure set return 0 to -1. */
static bool arg_string(struct ci_call *c, unsigned int i, char *buf, unsigned int size)
{
	if (ci_copy_string(ci_arg(c, i), buf, size) >= 0)
		return true;
	ci_trace_note("%s: string argument %u unreadable or longer than %u", c->name, i, size - 1);
	ci_ret(c, 0, CI_ERR);
	return false;
}

/* Copy `len` bytes of `src` to a client buffer if it may be written. */
static bool copy_out(uint32_t addr, const void *src, uint32_t len)
{
	if (!fw_mem_writable(addr, len))
		return false;
	memcpy(phys_to_virt(addr), src, len);
	return true;
}

/*
 * finddevice ( path -- phandle )
 *   in:  [0] device path (absolute, alias, name without unit, ":args" ignored)
 *   out: [0] phandle, or -1 when there is no such node
 */
static enum ci_result ci_finddevice(struct ci_call *c)
{
	char path[OF_PATH_MAX];
	uint32_t ph;

	if (!arg_string(c, 0, path, sizeof(path)))
		return CI_DONE;
	ph = tree_find(path, NULL);
	ci_ret(c, 0, ph ? ph : CI_ERR);
	return CI_DONE;
}
CI_SERVICE(finddevice, "finddevice", ci_finddevice, 1, 1);

/*
 * getprop ( phandle name buf buflen -- size )
 *   in:  [0] phandle, [1] property name, [2] buffer, [3] buffer length
 *   out: [0] the property's full size (min(size, buflen) bytes copied, no
 *        NUL added), or -1 for a bad node, name or buffer
 */
static enum ci_result ci_getprop(struct ci_call *c)
{
	char name[PROP_NAME_MAX + 1];
	const void *val;
	int size;

	if (!arg_string(c, 1, name, sizeof(name)))
		return CI_DONE;
	val = tree_getprop(ci_arg(c, 0), name, &size);
	if (!val || !copy_out(ci_arg(c, 2), val, MIN((uint32_t)size, ci_arg(c, 3)))) {
		ci_ret(c, 0, CI_ERR);
		return CI_DONE;
	}
	ci_ret(c, 0, (uint32_t)size);
	return CI_DONE;
}
CI_SERVICE(getprop, "getprop", ci_getprop, 4, 1);

/*
 * getproplen ( phandle name -- size )
 *   in:  [0] phandle, [1] property name
 *   out: [0] size (0 for an empty property), or -1
 */
static enum ci_result ci_getproplen(struct ci_call *c)
{
	char name[PROP_NAME_MAX + 1];
	int size;

	if (!arg_string(c, 1, name, sizeof(name)))
		return CI_DONE;
	ci_ret(c, 0, tree_getprop(ci_arg(c, 0), name, &size) ? (uint32_t)size : CI_ERR);
	return CI_DONE;
}
CI_SERVICE(getproplen, "getproplen", ci_getproplen, 2, 1);

/*
 * nextprop ( phandle prev buf -- flag )
 *   in:  [0] phandle, [1] previous name ("" or 0 = first), [2] buffer
 *   out: [0] 1 and the name copied (NUL-terminated), 0 after the last,
 *        -1 for a bad node or a prev that is not a property of it
 * Linux passes 64-byte buffers (QEMU's /rtas has a 33-character name).
 */
static enum ci_result ci_nextprop(struct ci_call *c)
{
	char prev[PROP_NAME_MAX + 1] = "";
	const char *next;
	int err;

	if (ci_arg(c, 1) && !arg_string(c, 1, prev, sizeof(prev)))
		return CI_DONE;
	next = tree_nextprop(ci_arg(c, 0), prev, &err);
	if (err) {
		ci_ret(c, 0, CI_ERR);
	} else if (!next) {
		ci_ret(c, 0, 0);
	} else {
		ci_ret(c, 0, copy_out(ci_arg(c, 2), next, (uint32_t)strlen(next) + 1) ? 1 : CI_ERR);
	}
	return CI_DONE;
}
CI_SERVICE(nextprop, "nextprop", ci_nextprop, 3, 1);

/*
 * setprop ( phandle name buf len -- size )
 *   in:  [0] phandle, [1] name, [2] value (may be 0 when len is 0), [3] len
 *   out: [0] len, or -1 (bad node/name/buffer, refused by the setprop
 *        policy, or no room in the tree)
 */
static enum ci_result ci_setprop(struct ci_call *c)
{
	char name[PROP_NAME_MAX + 1];
	uint32_t ph = ci_arg(c, 0), buf = ci_arg(c, 2), len = ci_arg(c, 3);
	const char *why = "";

	if (!arg_string(c, 1, name, sizeof(name)))
		return CI_DONE;
	/*
	 * Whatever the policy: no empty name ("" means "first" to nextprop, a
	 * walk would loop), at most 63 characters (Linux's nextprop buffer is
	 * 64 bytes), and never the firmware's own "name"/"phandle" (the index
	 * and the handles clients hold depend on them).
	 */
	if (!name[0] || strlen(name) > PROP_NAME_MAX - 1 || !strcmp(name, "name") ||
	    !strcmp(name, "phandle") || !strcmp(name, "linux,phandle")) {
		ci_trace_note("setprop %s refused: reserved or bad property name", name);
		ci_ret(c, 0, CI_ERR);
		return CI_DONE;
	}
	if (!tree_valid(ph) || len > SETPROP_MAX || (len && !fw_mem_readable(buf, len))) {
		ci_trace_note("setprop %s: bad node, buffer or length", name);
		ci_ret(c, 0, CI_ERR);
		return CI_DONE;
	}
	if (!setprop_policy_allows(ph, name, &why)) {
		ci_trace_note("setprop %s refused: %s", name, why);
		ci_ret(c, 0, CI_ERR);
		return CI_DONE;
	}
	if (tree_setprop(ph, name, len ? phys_to_virt(buf) : "", (int)len)) {
		ci_trace_note("setprop %s: no room left in the tree", name);
		ci_ret(c, 0, CI_ERR);
		return CI_DONE;
	}
	ci_ret(c, 0, len);
	return CI_DONE;
}
CI_SERVICE(setprop, "setprop", ci_setprop, 4, 1);

/*
 * peer ( phandle -- sibling )   peer(0) is the root node
 * child ( phandle -- first-child )
 * parent ( phandle -- parent )
 *   out: [0] the node, or 0 for none and for an invalid phandle
 * Linux walks the whole tree with these while flattening it: they are
 * index lookups, never scans.
 */
static enum ci_result ci_peer(struct ci_call *c)
{
	uint32_t ph = ci_arg(c, 0);

	ci_ret(c, 0, ph ? tree_peer(ph) : tree_root());
	return CI_DONE;
}
CI_SERVICE(peer, "peer", ci_peer, 1, 1);

static enum ci_result ci_child(struct ci_call *c)
{
	ci_ret(c, 0, tree_child(ci_arg(c, 0)));
	return CI_DONE;
}
CI_SERVICE(child, "child", ci_child, 1, 1);

static enum ci_result ci_parent(struct ci_call *c)
{
	ci_ret(c, 0, tree_parent(ci_arg(c, 0)));
	return CI_DONE;
}
CI_SERVICE(parent, "parent", ci_parent, 1, 1);

/*
 * Copy a path to a client buffer the IEEE 1275 way: at most buflen bytes,
 * NUL-terminated when there is room (GRUB uses the buffer as a C string),
 * and return the full length without the NUL so the client can retry.
 */
uint32_t ci_copy_path(uint32_t ph, const char *suffix, uint32_t buf, uint32_t buflen)
{
	char path[OF_PATH_MAX + 64];
	int len = tree_path(ph, path, sizeof(path));
	size_t total;

	if (len < 0 || (size_t)len >= OF_PATH_MAX)
		return CI_ERR;
	if (suffix && *suffix) {
		path[len] = ':';
		strncpy(path + len + 1, suffix, sizeof(path) - (size_t)len - 2);
		path[sizeof(path) - 1] = '\0';
	}
	total = strlen(path);
	if (!copy_out(buf, path, (uint32_t)MIN(total + 1, (size_t)buflen)))
		return CI_ERR;
	return (uint32_t)total;
}

/*
 * package-to-path ( phandle buf buflen -- length )
 *   in:  [0] phandle, [1] buffer, [2] buffer length
 *   out: [0] full path length (without NUL), or -1
 */
static enum ci_result ci_package_to_path(struct ci_call *c)
{
	ci_ret(c, 0, ci_copy_path(ci_arg(c, 0), NULL, ci_arg(c, 1), ci_arg(c, 2)));
	return CI_DONE;
}
CI_SERVICE(package_to_path, "package-to-path", ci_package_to_path, 3, 1);

/*
 * canon ( device-specifier buf buflen -- length )
 *   in:  [0] path or alias (with optional :args), [1] buffer, [2] length
 *   out: [0] length of the canonical full path (args kept), or -1
 */
static enum ci_result ci_canon(struct ci_call *c)
{
	char spec[OF_PATH_MAX];
	const char *args;
	uint32_t ph;

	if (!arg_string(c, 0, spec, sizeof(spec)))
		return CI_DONE;
	ph = tree_find(spec, &args);
	ci_ret(c, 0, ph ? ci_copy_path(ph, args, ci_arg(c, 1), ci_arg(c, 2)) : CI_ERR);
	return CI_DONE;
}
CI_SERVICE(canon, "canon", ci_canon, 3, 1);
