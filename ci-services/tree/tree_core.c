/* SPDX-License-Identifier: Apache-2.0 */
/* Native device tree: QEMU's FDT copied into firmware memory, names, phandles and a node index. */

#include <string.h>
#include <strings.h>
#include <libfdt.h>
#include <vofkit/console.h>
#include <vofkit/heap.h>
#include <vofkit/init.h>
#include <vofkit/mem.h>
#include <vofkit/tree.h>
#include <vofkit/util.h>

/*
 * Index entry per node, in depth-first (FDT) order.  Links are indexes + 1
 * so that 0 means "none".  Only `offset` changes when the blob is edited.
 */
struct tree_node {
	int offset;
	uint32_t phandle;
	uint32_t parent, child, sibling;
};

#define TREE_MAX_DEPTH 32

static void *blob;
static size_t blob_size;
static struct tree_node *nodes;
static unsigned int node_count, node_max;
/* phandle -> index + 1, open addressing; size is a power of two */
static uint32_t *ph_hash;
static unsigned int ph_hash_size;

static unsigned int ph_slot(uint32_t ph)
{
	return (ph * 2654435761u) & (ph_hash_size - 1);
}

static void ph_insert(uint32_t ph, unsigned int idx)
{
	unsigned int s = ph_slot(ph);

	while (ph_hash[s])
		s = (s + 1) & (ph_hash_size - 1);
	ph_hash[s] = idx + 1;
}

static struct tree_node *node_of(uint32_t ph)
{
	unsigned int s;

	if (!ph || !ph_hash)
		return NULL;
	for (s = ph_slot(ph); ph_hash[s]; s = (s + 1) & (ph_hash_size - 1)) {
		if (nodes[ph_hash[s] - 1].phandle == ph)
			return &nodes[ph_hash[s] - 1];
	}
	return NULL;
}

/*
 * Linux flattens the tree with nextprop, getproplen and getprop for every
 * property of every node, in order.  Searching a node's properties from
 * the start each time makes that quadratic per node (CPU nodes have ~35
 * properties); remembering where the last returned property sits makes
 * the usual next step O(1).  Any edit of the blob forgets it.
 */
static struct {
	uint32_t phandle;
	int prop_offset;	/* offset of the property last handed out */
	const char *name;	/* its name, inside the blob's strings block */
} prop_cache;

static void prop_cache_forget(void)
{
	prop_cache.phandle = 0;
}

/* Rebuild links and the phandle hash from the blob (structure changed). */
static int tree_reindex(void)
{
	prop_cache_forget();
	unsigned int stack[TREE_MAX_DEPTH + 1];
	unsigned int last_at_depth[TREE_MAX_DEPTH + 1];
	int off, depth = 0;
	unsigned int n = 0;

	memset(ph_hash, 0, ph_hash_size * sizeof(*ph_hash));
	for (off = 0; off >= 0 && depth >= 0 && n < node_max; off = fdt_next_node(blob, off, &depth)) {
		struct tree_node *nd = &nodes[n];

		if (depth > TREE_MAX_DEPTH)
			return -1;
		nd->offset = off;
		nd->phandle = fdt_get_phandle(blob, off);
		nd->child = nd->sibling = 0;
		nd->parent = depth ? stack[depth - 1] + 1 : 0;
		if (depth) {
			struct tree_node *parent = &nodes[stack[depth - 1]];

			if (!parent->child)
				parent->child = n + 1;
			else
				nodes[last_at_depth[depth]].sibling = n + 1;
		}
		stack[depth] = n;
		last_at_depth[depth] = n;
		/* a new child list starts below this node */
		if (depth < TREE_MAX_DEPTH)
			last_at_depth[depth + 1] = 0;
		ph_insert(nd->phandle, n);
		n++;
	}
	if (off >= 0 && depth >= 0)
		return -1;	/* more nodes than the index holds */
	node_count = n;
	return 0;
}

/* Property edits move offsets but not the node order: refresh offsets only. */
static void tree_refresh_offsets(void)
{
	prop_cache_forget();
	int off, depth = 0;
	unsigned int n = 0;

	for (off = 0; off >= 0 && depth >= 0 && n < node_count; off = fdt_next_node(blob, off, &depth))
		nodes[n++].offset = off;
}

/*
 * Give every node a "name" (QEMU writes none; GRUB and Linux read it) and a
 * phandle (kept where QEMU set one: interrupt-map refers to 0x1111).  New
 * phandles count up from the highest one already in the tree, as QEMU's
 * VOF numbers them: one scan for the maximum, instead of asking for every
 * candidate number whether it is taken (a full-tree scan each, which cost
 * 0.6 s under TCG with 64 vCPUs).  Adding a property to a node moves only
 * what follows it, so the walk stays valid.
 */
static int tree_complete_nodes(void)
{
	uint32_t next_ph = fdt_get_max_phandle(blob) + 1;
	int off, depth = 0, err;

	for (off = 0; off >= 0 && depth >= 0; off = fdt_next_node(blob, off, &depth)) {
		if (!fdt_getprop(blob, off, "name", NULL)) {
			int len;
			const char *full = fdt_get_name(blob, off, &len);
			const char *at = full ? memchr(full, '@', (size_t)len) : NULL;

			if (!full)
				return -1;
			err = fdt_setprop(blob, off, "name", full, at ? (int)(at - full) : len);
			if (!err)
				err = fdt_appendprop(blob, off, "name", "", 1);
			if (err)
				return err;
		}
		if (!fdt_get_phandle(blob, off)) {
			err = fdt_setprop_u32(blob, off, "phandle", next_ph++);
			if (err)
				return err;
		}
	}
	return 0;
}

/* Make sure the index can hold every node of the (grown) blob. */
static int tree_grow_index(void)
{
	unsigned int need = fdt_size_dt_struct(blob) / 8 + 64;
	struct tree_node *bigger;

	if (need <= node_max)
		return 0;
	bigger = fw_heap_alloc(need * sizeof(*bigger), 8);
	if (!bigger)
		return -1;
	nodes = bigger;
	node_max = need;
	if (ph_hash_size < need * 2) {
		unsigned int size = ph_hash_size;
		uint32_t *hash;

		while (size < need * 2)
			size <<= 1;
		hash = fw_heap_alloc(size * sizeof(*hash), 8);
		if (!hash)
			return -1;
		ph_hash = hash;
		ph_hash_size = size;
	}
	return 0;
}

int tree_init(const void *qemu_fdt)
{
	size_t total;

	if (fdt_check_header(qemu_fdt))
		return -1;
	total = fdt_totalsize(qemu_fdt);
	/* room to grow: names, phandles, setprops and the CAS merge */
	blob_size = ALIGN_UP(MAX(total * 2 + 0x10000, (size_t)CONFIG_TREE_MIN_BUFFER), 8);
	blob = fw_heap_alloc(blob_size, 8);
	if (!blob || fdt_open_into(qemu_fdt, blob, (int)blob_size))
		return -2;
	if (tree_complete_nodes())
		return -3;
	/* an upper bound on nodes: every node needs at least 8 bytes of structure */
	node_max = fdt_size_dt_struct(blob) / 8 + 64;
	nodes = fw_heap_alloc(node_max * sizeof(*nodes), 8);
	for (ph_hash_size = 64; ph_hash_size < node_max * 2; ph_hash_size <<= 1)
		;
	ph_hash = fw_heap_alloc(ph_hash_size * sizeof(*ph_hash), 8);
	if (!nodes || !ph_hash)
		return -2;
	return tree_reindex();
}

void *tree_blob(void)
{
	/* whoever takes the raw blob may repack it (quiesce): forget cached offsets */
	prop_cache_forget();
	return blob;
}

size_t tree_blob_size(void)
{
	return blob_size;
}

unsigned int tree_node_count(void)
{
	return node_count;
}

/*
 * Merge a new full tree (QEMU's CAS answer) into the live one: nodes are
 * matched by path; properties present in the new tree replace ours, nodes
 * only in the new tree are added.  Nothing is deleted: the new tree lacks
 * the /chosen boot properties, and our names and phandles must stay, since
 * the client already holds phandles.
 */
static int tree_merge_blob(const void *new_fdt);
static int tree_drop_vanished(const void *new_fdt);

/*
 * Merge a new full tree (QEMU's CAS answer) into the live one.  After any
 * edit, successful or not, the index must match the blob again.
 */
int tree_merge(const void *new_fdt)
{
	int rc;

	if (fdt_check_header(new_fdt))
		return -1;
	rc = tree_drop_vanished(new_fdt);
	if (!rc)
		rc = tree_merge_blob(new_fdt);
	if (tree_complete_nodes() || tree_grow_index() || tree_reindex())
		return rc ? rc : -3;
	return rc;
}

/* FNV-1a over a node path, built one component at a time. */
static uint32_t path_hash(uint32_t parent, const char *name, int len)
{
	uint32_t h = (parent ^ '/') * 16777619u;

	while (len-- > 0)
		h = (h ^ (uint8_t)*name++) * 16777619u;
	return h;
}

#define PATH_HASH_ROOT 2166136261u

/*
 * Nodes QEMU dropped in its CAS answer must go: when CAS switches XICS to
 * XIVE, QEMU's new tree has only the XIVE controller, and keeping the old
 * XICS node would leave interrupt-map pointing at a controller that no
 * longer exists.  The firmware's own /aliases stays.  Paths of the new tree
 * are hashed in one pass, so this is linear in the tree size.
 */
static int tree_drop_vanished(const void *new_fdt)
{
	uint32_t hstack[TREE_MAX_DEPTH + 1], *set;
	unsigned int size, n = 0;
	int off, depth = 0, skip_below = -1;
	bool dropped;

	for (off = 0; off >= 0 && depth >= 0; off = fdt_next_node(new_fdt, off, &depth))
		n++;
	for (size = 64; size < n * 2; size <<= 1)
		;
	set = fw_heap_alloc(size * sizeof(*set), 8);
	if (!set)
		return -4;
	depth = 0;
	for (off = 0; off >= 0 && depth >= 0 && depth <= TREE_MAX_DEPTH;
	     off = fdt_next_node(new_fdt, off, &depth)) {
		int len;
		const char *name = fdt_get_name(new_fdt, off, &len);
		unsigned int slot;

		hstack[depth] = depth ? path_hash(hstack[depth - 1], name, len) : PATH_HASH_ROOT;
		for (slot = hstack[depth] & (size - 1); set[slot]; slot = (slot + 1) & (size - 1))
			;
		set[slot] = hstack[depth] | 1;	/* never 0: 0 marks a free slot */
	}
	do {
		dropped = false;
		depth = 0;
		for (off = 0; off >= 0 && depth >= 0 && depth <= TREE_MAX_DEPTH;
		     off = fdt_next_node(blob, off, &depth)) {
			int len;
			const char *name = fdt_get_name(blob, off, &len);
			unsigned int slot;

			if (skip_below >= 0 && depth > skip_below)
				continue;
			skip_below = -1;
			hstack[depth] = depth ? path_hash(hstack[depth - 1], name, len) : PATH_HASH_ROOT;
			if (depth == 1 && len == 7 && !memcmp(name, "aliases", 7)) {
				skip_below = 1;
				continue;
			}
			for (slot = hstack[depth] & (size - 1); set[slot]; slot = (slot + 1) & (size - 1)) {
				if (set[slot] == (hstack[depth] | 1))
					break;
			}
			if (!set[slot]) {
				if (fdt_del_node(blob, off))
					return -5;
				dropped = true;	/* offsets moved: walk again */
				break;
			}
		}
	} while (dropped);
	return 0;
}

/*
 * Copy the answer's properties into the live tree, walking both trees in
 * step (same order): each node is found from its parent's offset, trying
 * the sibling after the last match first.  Properties that did not change
 * (most of them) are not rewritten.  A node that is new keeps the phandle
 * QEMU gave it when that number is free (QEMU's XIVE node is 0x1111, which
 * its interrupt-map cells use); existing nodes keep theirs.
 */
static int tree_merge_blob(const void *new_fdt)
{
	int ours[TREE_MAX_DEPTH + 1], last[TREE_MAX_DEPTH + 1];
	int noff, depth = 0;

	for (noff = 0; noff >= 0 && depth >= 0; noff = fdt_next_node(new_fdt, noff, &depth)) {
		int off, poff, len;
		bool added = false;

		if (depth > TREE_MAX_DEPTH)
			return -1;
		if (!depth) {
			off = 0;
		} else {
			const char *name = fdt_get_name(new_fdt, noff, &len);
			int guess = last[depth] >= 0 ? fdt_next_subnode(blob, last[depth]) : -1;
			int glen;
			const char *gname = guess >= 0 ? fdt_get_name(blob, guess, &glen) : NULL;

			if (gname && glen == len && !memcmp(gname, name, (size_t)len))
				off = guess;
			else
				off = fdt_subnode_offset_namelen(blob, ours[depth - 1], name, len);
			if (off < 0) {
				off = fdt_add_subnode_namelen(blob, ours[depth - 1], name, len);
				if (off < 0)
					return off;
				added = true;
			}
		}
		ours[depth] = off;
		last[depth] = added ? -1 : off;
		if (depth < TREE_MAX_DEPTH)
			last[depth + 1] = -1;
		fdt_for_each_property_offset(poff, new_fdt, noff) {
			const char *name;
			int oldlen;
			const void *val = fdt_getprop_by_offset(new_fdt, poff, &name, &len);
			const void *old;

			if (!val)
				continue;
			if (!strcmp(name, "phandle") || !strcmp(name, "linux,phandle")) {
				if (!added || len != 4 ||
				    fdt_node_offset_by_phandle(blob, fdt32_ld(val)) >= 0)
					continue;
			}
			old = fdt_getprop(blob, off, name, &oldlen);
			if (old && oldlen == len && !memcmp(old, val, (size_t)len))
				continue;
			if (fdt_setprop(blob, off, name, val, len))
				return -2;
		}
	}
	return 0;
}

int tree_valid(uint32_t ph)
{
	return node_of(ph) != NULL;
}

int tree_offset(uint32_t ph)
{
	struct tree_node *nd = node_of(ph);

	return nd ? nd->offset : -1;
}

uint32_t tree_root(void)
{
	return node_count ? nodes[0].phandle : TREE_NO_NODE;
}

static uint32_t link_phandle(uint32_t link)
{
	return link ? nodes[link - 1].phandle : TREE_NO_NODE;
}

uint32_t tree_child(uint32_t ph)
{
	struct tree_node *nd = node_of(ph);

	return nd ? link_phandle(nd->child) : TREE_NO_NODE;
}

uint32_t tree_peer(uint32_t ph)
{
	struct tree_node *nd = node_of(ph);

	return nd ? link_phandle(nd->sibling) : TREE_NO_NODE;
}

uint32_t tree_parent(uint32_t ph)
{
	struct tree_node *nd = node_of(ph);

	return nd ? link_phandle(nd->parent) : TREE_NO_NODE;
}

const void *tree_getprop(uint32_t ph, const char *name, int *len)
{
	struct tree_node *nd = node_of(ph);

	if (!nd)
		return NULL;
	if (prop_cache.phandle == ph && !strcmp(prop_cache.name, name))
		return fdt_getprop_by_offset(blob, prop_cache.prop_offset, NULL, len);
	return fdt_getprop(blob, nd->offset, name, len);
}

int tree_setprop(uint32_t ph, const char *name, const void *val, int len)
{
	struct tree_node *nd = node_of(ph);

	if (!nd || len < 0 || fdt_setprop(blob, nd->offset, name, val, len))
		return -1;
	tree_refresh_offsets();
	return 0;
}

const char *tree_nextprop(uint32_t ph, const char *prev, int *error)
{
	struct tree_node *nd = node_of(ph);
	bool take_next = !prev || !*prev;
	int poff;

	*error = 0;
	if (!nd) {
		*error = -1;
		return NULL;
	}
	if (!take_next && prop_cache.phandle == ph && !strcmp(prop_cache.name, prev)) {
		const char *name;

		poff = fdt_next_property_offset(blob, prop_cache.prop_offset);
		if (poff < 0 || !fdt_getprop_by_offset(blob, poff, &name, NULL)) {
			prop_cache_forget();
			return NULL;
		}
		prop_cache.prop_offset = poff;
		prop_cache.name = name;
		return name;
	}
	fdt_for_each_property_offset(poff, blob, nd->offset) {
		const char *name;

		if (!fdt_getprop_by_offset(blob, poff, &name, NULL))
			break;
		if (take_next) {
			prop_cache.phandle = ph;
			prop_cache.prop_offset = poff;
			prop_cache.name = name;
			return name;
		}
		take_next = !strcmp(name, prev);
	}
	if (!take_next)
		*error = -1;	/* prev is not a property of this node */
	return NULL;
}

int tree_path(uint32_t ph, char *buf, size_t buflen)
{
	uint32_t chain[TREE_MAX_DEPTH];
	int depth = 0, i;
	size_t len = 0;
	struct tree_node *nd = node_of(ph);

	if (!nd)
		return -1;
	while (nd->parent && depth < TREE_MAX_DEPTH) {
		chain[depth++] = (uint32_t)(nd - nodes);
		nd = &nodes[nd->parent - 1];
	}
	if (!depth) {
		if (buflen)
			strncpy(buf, "/", buflen);
		return 1;
	}
	for (i = depth - 1; i >= 0; i--) {
		int nlen;
		const char *name = fdt_get_name(blob, nodes[chain[i]].offset, &nlen);

		if (len < buflen)
			buf[len] = '/';
		len++;
		if (len < buflen)
			memcpy(buf + len, name, MIN((size_t)nlen, buflen - len));
		len += (size_t)nlen;
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
 * A child matching a path component.  An exact name wins over the
 * "no unit address given: first node of that name" rule, so "/interrupt-
 * controller" still finds QEMU's XICS node when a CAS merge has added an
 * "interrupt-controller@..." sibling in front of it.
 */
static uint32_t find_child(uint32_t ph, const char *comp, size_t clen)
{
	uint32_t c, first = TREE_NO_NODE;

	for (c = tree_child(ph); c; c = tree_peer(c)) {
		int nlen;
		const char *name = fdt_get_name(blob, tree_offset(c), &nlen);

		if (!name || !component_matches(name, comp, clen))
			continue;
		if ((size_t)nlen == clen && !strncmp(name, comp, clen))
			return c;
		if (!first)
			first = c;
	}
	return first;
}

uint32_t tree_find(const char *path, const char **args_out)
{
	char expanded[256];
	const char *p, *args, *orig = path, *val = NULL;
	size_t alen = 0, vlen = 0;
	uint32_t node;

	if (!path || !node_count)
		return TREE_NO_NODE;
	if (*path != '/') {
		/* alias[/rest][:args]: expand from /aliases */
		uint32_t aliases = tree_find("/aliases", NULL);
		char alias[64];
		int len;

		alen = strcspn(path, "/:");
		if (!alen || alen >= sizeof(alias) || !aliases)
			return TREE_NO_NODE;
		memcpy(alias, path, alen);
		alias[alen] = '\0';
		val = tree_getprop(aliases, alias, &len);
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
	node = tree_root();
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
	return node;
}

/*
 * Native platform init: QEMU passes its flattened tree in r3 (at
 * MIN(RMA, 2 GiB) - 2 MiB, not reserved); it is copied before anything can
 * reuse that memory.  The RMA (memory@0's size) bounds every real-mode
 * address a client may give.
 */
static int tree_platform_init(void)
{
	uint32_t mem;
	int len, rc = tree_init(phys_to_virt(fw_entry_r3));
	const uint32_t *reg;

	if (rc) {
		fw_printf("vofkit: no usable device tree from QEMU at 0x%llx (%d)\n",
			  (unsigned long long)fw_entry_r3, rc);
		return rc;
	}
	mem = tree_find("/memory@0", NULL);
	reg = mem ? tree_getprop(mem, "reg", &len) : NULL;
	if (reg && len == 16)
		fw_ram_top = ((uint64_t)reg[2] << 32) | reg[3];
	/* QEMU writes no /aliases; clients (GRUB) look names up there */
	if (!tree_find("/aliases", NULL) &&
	    (fdt_add_subnode(blob, 0, "aliases") < 0 || tree_complete_nodes() ||
	     tree_grow_index() || tree_reindex()))
		return -4;
	return 0;
}
FW_INIT(tree_platform_init, FW_INIT_PLATFORM);

