/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: a fake device tree of nodes found by path with a few properties each, behind the tree API's property calls. */
#ifndef VK_UNIT_PATH_TREE_H
#define VK_UNIT_PATH_TREE_H

/*
 * Include after <cmocka.h> and <vofkit/core/tree.h>, with PATH_TREE_NODES
 * and PATH_TREE_PROPS defined.  Phandles are 1-based node indexes.  It
 * serves tree_setprop, tree_getprop, tree_read_prop, tree_path and
 * tree_valid; each test adds the lookups it needs (tree_find with or
 * without aliases, tree_parent).
 */

struct fake_prop {
	char name[64];
	char *val;		/* malloc'd; the tests' processes are short-lived */
	int len;
};

struct fake_node {
	char path[256];
	struct fake_prop props[PATH_TREE_PROPS];
	int nprops;
};

static struct fake_node nodes[PATH_TREE_NODES];
static unsigned int nnodes;

static inline uint32_t add_node(const char *path)
{
	assert_true(nnodes < PATH_TREE_NODES);
	memset(&nodes[nnodes], 0, sizeof(nodes[0]));
	strcpy(nodes[nnodes].path, path);
	return ++nnodes;
}

static inline struct fake_node *node(uint32_t ph)
{
	return ph && ph <= nnodes ? &nodes[ph - 1] : NULL;
}

static inline struct fake_prop *prop(uint32_t ph, const char *name)
{
	struct fake_node *n = node(ph);
	int i;

	for (i = 0; n && i < n->nprops; i++)
		if (!strcmp(n->props[i].name, name))
			return &n->props[i];
	return NULL;
}

int tree_setprop(uint32_t ph, const char *name, const void *val, int len)
{
	struct fake_node *n = node(ph);
	struct fake_prop *p = prop(ph, name);

	if (!n || len < 0)
		return -1;
	if (!p) {
		assert_true(n->nprops < PATH_TREE_PROPS);
		p = &n->props[n->nprops++];
		strcpy(p->name, name);
	}
	p->val = realloc(p->val, (size_t)len + 1);
	assert_non_null(p->val);
	memcpy(p->val, val, (size_t)len);
	p->len = len;
	return 0;
}

const void *tree_getprop(uint32_t ph, const char *name, int *len)
{
	struct fake_prop *p = prop(ph, name);

	if (!p)
		return NULL;
	if (len)
		*len = p->len;
	return p->val;
}

int tree_read_prop(uint32_t ph, const char *name, void *buf, size_t len)
{
	struct fake_prop *p = prop(ph, name);

	if (!p)
		return -1;
	memcpy(buf, p->val, len < (size_t)p->len ? len : (size_t)p->len);
	return p->len;
}

int tree_path(uint32_t ph, char *buf, size_t buflen)
{
	struct fake_node *n = node(ph);

	if (!n)
		return -1;
	snprintf(buf, buflen, "%s", n->path);
	return (int)strlen(n->path);
}

int tree_valid(uint32_t ph)
{
	return node(ph) != NULL;
}

#endif
