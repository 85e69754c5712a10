/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: the native tree services (ci-services/tree/tree.c over
 * core/tree/), random sequences of CI calls checked against libfdt reading
 * the same tree.
 *
 * Input: byte 0 picks QEMU's tree (tests/unit/dump_trees.sh); then
 * operations, each an opcode byte and its operands:
 *   0 getprop     node, property (one of the node's, or a fuzzed name), buffer length
 *   1 getproplen  node, property
 *   2 nextprop    node: the whole list, compared with the blob's properties
 *   3 setprop     node, property, value: accepted values read back
 *   4 finddevice  node's exact path (must give the node) or a fuzzed path
 *   5 child/peer/parent of a node, compared with libfdt's navigation
 *   6 package-to-path with a buffer length, compared with fdt_get_path
 *   7 any of the above services with a fuzzed phandle and cells
 * Oracles: sanitizers; the answers agree with libfdt on tree_blob(); a
 * buffer is written only up to its length; after the sequence the index
 * agrees with the blob (ft_check_index).
 */

#include <string.h>
#include <libfdt.h>
#include <vofkit/core/tree.h>
#include <vofkit/ci/ci.h>
#include "fuzz.h"

#define STR_ADDR	(FT_CLIENT_ADDR + 0x1000)
#define STR_MAX		0x1000u
#define BUF_ADDR	(FT_CLIENT_ADDR + 0x10000)
#define BUF_SIZE	0x10000u
#define VAL_ADDR	(FT_CLIENT_ADDR + 0x30000)
#define FILL		0xee
#define FAIL		0xffffffffu
#define MAX_NODES	1024

static const uint8_t *in;
static size_t left;
static uint32_t nodes[MAX_NODES];
static unsigned int nnodes;
static int dirty = 1;
static unsigned int cur_tree = ~0u;

static uint8_t u8(void)
{
	if (!left)
		return 0;
	left--;
	return *in++;
}

static uint32_t u32(void)
{
	return (uint32_t)u8() | (uint32_t)u8() << 8 | (uint32_t)u8() << 16 | (uint32_t)u8() << 24;
}

static uint32_t call1(const char *svc, uint32_t nargs, const uint32_t *args)
{
	uint32_t out = 0;

	FUZZ_CHECK(ft_ci(svc, nargs, 1, args, &out) == 0, "%s: the dispatcher refused", svc);
	return out;
}

static uint32_t put_str(const char *s, size_t n)
{
	uint8_t *p = ft_ram(STR_ADDR, STR_MAX);

	if (n > STR_MAX - 1)
		n = STR_MAX - 1;
	memcpy(p, s, n);
	p[n] = 0;
	return STR_ADDR;
}

static const void *blob(void)
{
	return tree_blob();
}

static int node_off(uint32_t ph)
{
	int off = tree_offset(ph);

	FUZZ_CHECK(off >= 0, "node 0x%x has no offset", ph);
	return off;
}

static uint32_t ph_at(int off)
{
	return off >= 0 ? fdt_get_phandle(blob(), off) : 0;
}

static void collect_nodes(void)
{
	int off, depth = 0;

	nnodes = 0;
	for (off = 0; off >= 0 && depth >= 0 && nnodes < MAX_NODES;
	     off = fdt_next_node(blob(), off, &depth))
		nodes[nnodes++] = ph_at(off);
}

static uint32_t pick_node(void)
{
	return nodes[u8() % nnodes];
}

/* A property name: one of the node's (by index), or a fuzzed one. */
static const char *pick_name(uint32_t ph, char *buf, size_t bufsize)
{
	uint8_t sel = u8();
	int poff, i = 0;

	if (sel < 0xe0) {
		fdt_for_each_property_offset(poff, blob(), node_off(ph)) {
			const char *name;

			if (i++ == sel % 32) {
				fdt_getprop_by_offset(blob(), poff, &name, NULL);
				snprintf(buf, bufsize, "%s", name);
				return buf;
			}
		}
	}
	{
		size_t n = u8() % 40, k;

		for (k = 0; k < n && k < bufsize - 1; k++)
			buf[k] = (char)u8();
		buf[k] = 0;
	}
	return buf;
}

static void op_getprop(int just_len)
{
	char name[64];
	uint32_t ph = pick_node();
	uint32_t len = just_len ? 0 : (u8() | (uint32_t)u8() << 8) % (BUF_SIZE / 2);
	const void *v;
	int vlen, off = node_off(ph);
	uint32_t r;
	uint8_t *buf = ft_ram(BUF_ADDR, BUF_SIZE);

	pick_name(ph, name, sizeof(name));
	v = fdt_getprop(blob(), off, name, &vlen);
	memset(buf, FILL, len + 16);
	if (just_len) {
		uint32_t a[2] = { ph, put_str(name, strlen(name)) };

		r = call1("getproplen", 2, a);
	} else {
		uint32_t a[4] = { ph, put_str(name, strlen(name)), BUF_ADDR, len };

		r = call1("getprop", 4, a);
	}
	if (!v) {
		FUZZ_CHECK(r == FAIL, "getprop(0x%x, \"%s\") = %u, libfdt has none", ph, name, r);
	} else {
		uint32_t n = (uint32_t)vlen < len ? (uint32_t)vlen : len, i;

		FUZZ_CHECK(r == (uint32_t)vlen, "getprop(0x%x, \"%s\") = 0x%x, libfdt %d", ph, name, r, vlen);
		FUZZ_CHECK(!memcmp(buf, v, n), "getprop(0x%x, \"%s\"): wrong bytes", ph, name);
		for (i = n; i < len + 16; i++)
			FUZZ_CHECK(buf[i] == FILL, "getprop(0x%x, \"%s\", len %u) wrote byte %u", ph,
				   name, len, i);
	}
}

static void op_nextprop(void)
{
	uint32_t ph = pick_node();
	int off = node_off(ph), poff, count = 0;
	char prev[64] = "";

	/* libfdt's property order is the blob's; nextprop must list the same names in it */
	fdt_for_each_property_offset(poff, blob(), off) {
		const char *name;
		uint32_t a[3], r;
		uint8_t *buf = ft_ram(BUF_ADDR, 64);

		fdt_getprop_by_offset(blob(), poff, &name, NULL);
		a[0] = ph;
		a[1] = put_str(prev, strlen(prev));
		a[2] = BUF_ADDR;
		memset(buf, FILL, 64);
		r = call1("nextprop", 3, a);
		FUZZ_CHECK(r == 1, "nextprop(0x%x, \"%s\") = %d, libfdt has \"%s\"", ph, prev, (int)r,
			   name);
		FUZZ_CHECK(!strcmp((char *)buf, name), "nextprop(0x%x, \"%s\") = \"%.31s\", libfdt \"%s\"",
			   ph, prev, (char *)buf, name);
		snprintf(prev, sizeof(prev), "%s", name);
		if (++count > 4096)
			break;
	}
	{
		uint32_t a[3] = { ph, put_str(prev, strlen(prev)), BUF_ADDR }, r = call1("nextprop", 3, a);

		FUZZ_CHECK(r == 0, "nextprop after the last (\"%s\") of 0x%x = %d", prev, ph, (int)r);
	}
}

static void op_setprop(void)
{
	char name[64];
	uint32_t ph = pick_node();
	uint32_t len = u8() % 64, r, a[4];
	uint8_t *val = ft_ram(VAL_ADDR, 64);
	uint32_t i;

	pick_name(ph, name, sizeof(name));
	for (i = 0; i < len; i++)
		val[i] = u8();
	a[0] = ph;
	a[1] = put_str(name, strlen(name));
	a[2] = VAL_ADDR;
	a[3] = len;
	r = call1("setprop", 4, a);
	dirty = 1;
	if (r == FAIL)
		return;
	FUZZ_CHECK(r == len, "setprop(0x%x, \"%s\", %u) = %u", ph, name, len, r);
	{
		int vlen;
		const void *v = fdt_getprop(blob(), node_off(ph), name, &vlen);

		FUZZ_CHECK(v && vlen == (int)len && !memcmp(v, val, len),
			   "setprop(0x%x, \"%s\") accepted, the blob has %d bytes", ph, name,
			   v ? vlen : -1);
	}
	collect_nodes();	/* a "phandle" setprop may renumber nothing, but offsets moved */
}

static void op_finddevice(void)
{
	char path[1024];
	uint32_t r;

	if (u8() & 1) {
		uint32_t ph = pick_node();

		if (fdt_get_path(blob(), node_off(ph), path, sizeof(path)))
			return;
		r = call1("finddevice", 1, (uint32_t[]){ put_str(path, strlen(path)) });
		FUZZ_CHECK(r == ph, "finddevice(\"%s\") = 0x%x, want 0x%x", path, r, ph);
	} else {
		size_t n = u8() % 64, k;

		for (k = 0; k < n; k++)
			path[k] = (char)u8();
		path[n] = 0;
		r = call1("finddevice", 1, (uint32_t[]){ put_str(path, n) });
		FUZZ_CHECK(r == FAIL || tree_valid(r), "finddevice(\"%s\") = 0x%x", path, r);
	}
}

static void op_nav(void)
{
	uint32_t ph = pick_node(), r, want;
	int off = node_off(ph);
	uint8_t which = u8() % 3;

	if (which == 0) {
		r = call1("child", 1, &ph);
		want = ph_at(fdt_first_subnode(blob(), off));
	} else if (which == 1) {
		r = call1("peer", 1, &ph);
		want = off == 0 ? 0 : ph_at(fdt_next_subnode(blob(), off));
	} else {
		r = call1("parent", 1, &ph);
		want = off == 0 ? 0 : ph_at(fdt_parent_offset(blob(), off));
	}
	FUZZ_CHECK(r == want, "%s(0x%x) = 0x%x, libfdt 0x%x", which == 0 ? "child" : which == 1 ? "peer" : "parent",
		   ph, r, want);
}

static void op_pkg2path(void)
{
	char path[1024];
	uint32_t ph = pick_node(), len = u8() % 200, r, a[3];
	uint8_t *buf = ft_ram(BUF_ADDR, 256);
	uint32_t i, plen;

	if (fdt_get_path(blob(), node_off(ph), path, sizeof(path)))
		return;
	plen = (uint32_t)strlen(path);
	memset(buf, FILL, 256);
	a[0] = ph;
	a[1] = BUF_ADDR;
	a[2] = len;
	r = call1("package-to-path", 3, a);
	FUZZ_CHECK(r == plen, "package-to-path(0x%x) = %d, libfdt \"%s\"", ph, (int)r, path);
	FUZZ_CHECK(!memcmp(buf, path, plen < len ? plen : len), "package-to-path(0x%x) bytes", ph);
	for (i = len + 1; i < 256; i++)
		FUZZ_CHECK(buf[i] == FILL, "package-to-path(0x%x, len %u) wrote byte %u", ph, len, i);
}

/* Services with fuzzed cells: no crash, and a failure or a valid node. */
static void op_wild(void)
{
	static const char *const svcs[] = { "getprop", "getproplen", "nextprop", "setprop",
					    "child", "peer", "parent", "package-to-path",
					    "finddevice", "canon", "instance-to-package" };
	static const uint8_t nargs[] = { 4, 2, 3, 4, 1, 1, 1, 3, 1, 3, 1 };
	unsigned int s = u8() % 11, i;
	uint32_t a[4];

	for (i = 0; i < nargs[s]; i++) {
		uint8_t kind = u8();

		/* mostly plausible cells: a node, the string area, the buffer, a length */
		a[i] = kind < 0x40 ? pick_node() : kind < 0x80 ? STR_ADDR :
		       kind < 0xa0 ? BUF_ADDR : kind < 0xc0 ? (uint32_t)(u8() % 64) : u32();
	}
	{
		size_t n = u8() % 48, k;
		char str[48];

		for (k = 0; k < n; k++)
			str[k] = (char)u8();
		put_str(str, n);
	}
	memset(ft_ram(BUF_ADDR, BUF_SIZE), FILL, BUF_SIZE);
	if (!strcmp(svcs[s], "setprop"))
		dirty = 1;
	(void)call1(svcs[s], nargs[s], a);
	if (!strcmp(svcs[s], "setprop"))
		collect_nodes();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned int ops = 0, t;

	if (size < 1)
		return 0;
	ft_load_dtbs();
	t = data[0] % ft_load_dtbs();
	if (dirty || t != cur_tree) {
		ft_boot(t);
		cur_tree = t;
		dirty = 0;
	}
	collect_nodes();
	in = data + 1;
	left = size - 1;
	while (left && ops++ < 256) {
		switch (u8() % 8) {
		case 0: op_getprop(0); break;
		case 1: op_getprop(1); break;
		case 2: op_nextprop(); break;
		case 3: op_setprop(); break;
		case 4: op_finddevice(); break;
		case 5: op_nav(); break;
		case 6: op_pkg2path(); break;
		case 7: op_wild(); break;
		}
	}
	if (dirty)
		ft_check_index();
	return 0;
}
