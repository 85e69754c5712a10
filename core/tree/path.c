/* SPDX-License-Identifier: Apache-2.0 */
/* Native tree: device paths to nodes (aliases, unit addresses, ":args") and nodes back to paths. */

#include <stdbool.h>
#include <string.h>
#include <strings.h>
#include <libfdt.h>
#include <vofkit/core/tree.h>
#include <vofkit/lib/limits.h>
#include <vofkit/lib/util.h>
#include "tree_priv.h"

int tree_path(uint32_t ph, char *buf, size_t buflen)
{
	uint32_t chain[TREE_MAX_DEPTH];
	int depth = 0, i;
	size_t len = 0;
	struct tree_node *nd = tree_node_of(ph);

	if (!nd)
		return -1;
	while (nd->parent && depth < TREE_MAX_DEPTH) {
		chain[depth++] = tree_node_index(nd);
		nd = &tree_nodes[nd->parent - 1];
	}
	if (!depth) {
		if (buflen)
			strncpy(buf, "/", buflen);
		return 1;
	}
	for (i = depth - 1; i >= 0; i--) {
		const char *name = tree_node_name(&tree_nodes[chain[i]]);
		size_t nlen = strlen(name);

		if (len < buflen)
			buf[len] = '/';
		len++;
		if (len < buflen)
			memcpy(buf + len, name, MIN(nlen, buflen - len));
		len += nlen;
	}
	if (len < buflen)
		buf[len] = '\0';
	return (int)len;
}

/* Compare unit addresses: hex digits case-insensitively, leading zeros ignored. */
static bool unit_equal(const char *a, size_t alen, const char *b, size_t blen)
{
	while (alen || blen) {
		size_t fa = 0, fb = 0;

		/* one comma-separated field at a time */
		while (fa < alen && a[fa] != ',')
			fa++;
		while (fb < blen && b[fb] != ',')
			fb++;
		while (fa > 1 && *a == '0') {
			a++, alen--, fa--;
		}
		while (fb > 1 && *b == '0') {
			b++, blen--, fb--;
		}
		if (fa != fb || strncasecmp(a, b, fa))
			return false;
		a += fa, alen -= fa;
		b += fb, blen -= fb;
		if (alen && blen) {
			a++, alen--;
			b++, blen--;
		} else if (alen || blen) {
			return false;
		}
	}
	return true;
}

/* Does node name `full` (name@unit) match path component `comp` of length clen? */
static bool component_matches(const char *full, const char *comp, size_t clen)
{
	const char *c_at = memchr(comp, '@', clen);
	const char *f_at = strchr(full, '@');
	size_t c_name = c_at ? (size_t)(c_at - comp) : clen;
	size_t f_name = f_at ? (size_t)(f_at - full) : strlen(full);

	if (c_name != f_name || strncmp(full, comp, c_name))
		return false;
	if (!c_at)
		return true;	/* no unit given: first node of that name */
	if (!f_at)
		return false;
	return unit_equal(c_at + 1, clen - c_name - 1, f_at + 1, strlen(f_at + 1));
}

/*
 * A child matching a path component.  The exact name is looked up in the
 * child index, so "/cpus/PowerPC,POWER9@3f" costs the same with 1 or 64
 * CPUs; only other spellings ("memory" for "memory@0", "@03F" for "@3f")
 * walk the children.  An exact name wins over the "no unit address given:
 * first node of that name" rule, so "/interrupt-controller" still finds
 * QEMU's XICS node when a CAS merge has added an "interrupt-controller@..."
 * sibling in front of it.
 */
static struct tree_node *find_child(struct tree_node *parent, const char *comp, size_t clen)
{
	struct tree_node *exact = tree_child_named(parent, comp, clen);
	uint32_t link;

	if (exact)
		return exact;
	for (link = parent->child; link; link = tree_nodes[link - 1].sibling) {
		if (component_matches(tree_node_name(&tree_nodes[link - 1]), comp, clen))
			return &tree_nodes[link - 1];
	}
	return NULL;
}

uint32_t tree_find(const char *path, const char **args_out)
{
	char expanded[OF_PATH_MAX];
	const char *p, *args, *orig = path, *val = NULL;
	size_t alen = 0, vlen = 0;
	struct tree_node *node;

	if (!path || !tree_nodes_used)
		return TREE_NO_NODE;
	if (*path != '/') {
		/* alias[/rest][:args]: expand from /aliases */
		struct tree_node *aliases = tree_child_named(&tree_nodes[0], "aliases", 7);
		char alias[OF_ALIAS_MAX];
		int len;

		alen = strcspn(path, "/:");
		if (!alen || alen >= sizeof(alias) || !aliases)
			return TREE_NO_NODE;
		memcpy(alias, path, alen);
		alias[alen] = '\0';
		val = tree_getprop(aliases->phandle, alias, &len);
		if (!val || len < 2 || val[0] != '/')
			return TREE_NO_NODE;
		vlen = strnlen(val, (size_t)len);
		if (vlen + strlen(path + alen) >= sizeof(expanded))
			return TREE_NO_NODE;
		memcpy(expanded, val, vlen);
		strcpy(expanded + vlen, path + alen);
		path = expanded;
	}
	args = strchr(path, ':');
	if (args_out) {
		/*
		 * Point into storage that outlives this call: the caller's
		 * string, or the alias value in the tree, never `expanded`.
		 */
		if (!args)
			*args_out = NULL;
		else if (path != expanded)
			*args_out = args + 1;
		else if ((size_t)(args - expanded) >= vlen)
			*args_out = orig + alen + (size_t)(args - expanded) - vlen + 1;
		else
			*args_out = val + (args - expanded) + 1;
	}
	node = &tree_nodes[0];
	for (p = path; *p && p != args;) {
		size_t clen;

		while (*p == '/')
			p++;
		clen = strcspn(p, "/:");
		if (!clen)
			break;
		node = find_child(node, p, clen);
		if (!node)
			return TREE_NO_NODE;
		p += clen;
	}
	return node->phandle;
}
