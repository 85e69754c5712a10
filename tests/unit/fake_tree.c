/* SPDX-License-Identifier: Apache-2.0 */
/* A minimal stand-in for the native tree (tree.h): a root and /memory@0, plus a memreserve blob. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>
#include <vofkit/core/tree.h>
#include "fake_tree.h"

#define PROPS_MAX	8
#define PROP_LEN_MAX	1024

struct fake_prop {
	char name[32];
	uint8_t val[PROP_LEN_MAX];
	int len;
};

struct fake_node {
	struct fake_prop props[PROPS_MAX];
	int nprops;
};

static struct fake_node nodes[2];	/* FAKE_ROOT, FAKE_MEMORY */
static bool have_memory;
static int setprop_failures;
static unsigned int setprops;
/* A real FDT header and memreserve block, so the module can use libfdt on it. */
static uint64_t blob[512];

static struct fake_node *node(uint32_t ph)
{
	if (ph == FAKE_ROOT || (ph == FAKE_MEMORY && have_memory))
		return &nodes[ph - 1];
	return NULL;
}

static struct fake_prop *find(struct fake_node *n, const char *name)
{
	int i;

	for (i = 0; i < n->nprops; i++)
		if (!strcmp(n->props[i].name, name))
			return &n->props[i];
	return NULL;
}

static int set(uint32_t ph, const char *name, const void *val, int len)
{
	struct fake_node *n = node(ph);
	struct fake_prop *p;

	if (!n || len < 0 || len > PROP_LEN_MAX || strlen(name) >= sizeof(p->name))
		return -1;
	p = find(n, name);
	if (!p) {
		if (n->nprops == PROPS_MAX)
			return -1;
		p = &n->props[n->nprops++];
		strcpy(p->name, name);
	}
	memcpy(p->val, val, len);
	p->len = len;
	return 0;
}

void fake_tree_set_cells(uint32_t ph, const char *name, const uint32_t *cells, int n)
{
	uint32_t be[PROP_LEN_MAX / 4];
	int i;

	for (i = 0; i < n; i++)
		be[i] = cpu_to_fdt32(cells[i]);
	if (set(ph, name, be, 4 * n)) {
		fprintf(stderr, "fake_tree: cannot set %s\n", name);
		abort();
	}
}

void fake_tree_set_cell(uint32_t ph, const char *name, uint32_t v)
{
	fake_tree_set_cells(ph, name, &v, 1);
}

void fake_tree_del(uint32_t ph, const char *name)
{
	struct fake_node *n = node(ph);
	struct fake_prop *p = n ? find(n, name) : NULL;

	if (p)
		*p = n->props[--n->nprops];
}

void fake_tree_drop_memory(void)
{
	have_memory = false;
}

void fake_tree_memreserve(const uint64_t (*rsv)[2], int n)
{
	int i, rc;

	rc = fdt_create(blob, sizeof(blob));
	for (i = 0; !rc && i < n; i++)
		rc = fdt_add_reservemap_entry(blob, rsv[i][0], rsv[i][1]);
	if (!rc)
		rc = fdt_finish_reservemap(blob);
	if (!rc)
		rc = fdt_begin_node(blob, "");
	if (!rc)
		rc = fdt_end_node(blob);
	if (!rc)
		rc = fdt_finish(blob);
	if (rc) {
		fprintf(stderr, "fake_tree: building the blob: %s\n", fdt_strerror(rc));
		abort();
	}
}

void fake_tree_reset(uint64_t ram_size)
{
	const uint32_t reg[4] = { 0, 0, (uint32_t)(ram_size >> 32), (uint32_t)ram_size };

	memset(nodes, 0, sizeof(nodes));
	have_memory = true;
	setprop_failures = 0;
	fake_tree_set_cell(FAKE_ROOT, "#address-cells", 2);
	fake_tree_set_cell(FAKE_ROOT, "#size-cells", 2);
	fake_tree_set_cells(FAKE_MEMORY, "reg", reg, 4);
	fake_tree_memreserve(NULL, 0);
	setprops = 0;
}

void fake_tree_fail_setprops(int n)
{
	setprop_failures = n;
}

unsigned int fake_tree_setprop_count(void)
{
	return setprops;
}

/* tree.h, as far as the claim module uses it. */

void *tree_blob(void)
{
	return blob;
}

uint32_t tree_root(void)
{
	return FAKE_ROOT;
}

uint32_t tree_find(const char *path, const char **args_out)
{
	if (args_out)
		*args_out = NULL;
	if (!strcmp(path, "/"))
		return FAKE_ROOT;
	if (!strcmp(path, "/memory@0") && have_memory)
		return FAKE_MEMORY;
	return TREE_NO_NODE;
}

const void *tree_getprop(uint32_t ph, const char *name, int *len)
{
	struct fake_node *n = node(ph);
	struct fake_prop *p = n ? find(n, name) : NULL;

	if (!p)
		return NULL;
	if (len)
		*len = p->len;
	return p->val;
}

int tree_setprop(uint32_t ph, const char *name, const void *val, int len)
{
	if (setprop_failures > 0) {
		setprop_failures--;
		return -1;
	}
	if (set(ph, name, val, len))
		return -1;
	setprops++;
	return 0;
}
