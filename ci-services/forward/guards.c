/* SPDX-License-Identifier: Apache-2.0 */
/* Forward pairing guards (CI_FORWARD_GUARDS): refuse what QEMU's VOF would get wrong or abort on, before it sees it. */

#include <stdbool.h>
#include <vofkit/ci/ci.h>
#include <vofkit/core/init.h>
#include <vofkit/core/mem.h>
#include <vofkit/core/tree.h>
#include <vofkit/core/vof.h>
#include <vofkit/lib/limits.h>
#include <vofkit/lib/util.h>
#include "forward.h"

/*
 * Each guard is registered above the forward module's fallback entries
 * (ci-services/forward/forward.c, CI_PRIO_FALLBACK): it refuses a call VOF
 * must not see and declines the rest, which the forward entry then passes
 * to VOF unchanged.  claim and release are handled here entirely, since
 * the guard must choose where a claim goes and see VOF's answer (claim) or
 * keep VOF from seeing the call at all (release).  The forward sample has
 * the module on: without it a client can end the QEMU process (decision 41).
 */

/*
 * VOF finds a node with fdt_node_offset_by_phandle and, in child, peer,
 * parent and nextprop, goes on with the error code as if it were a node
 * offset: on phandles 0, -1 or 0xdeadbeef they answer from the root instead
 * of failing.  getprop, getproplen, setprop and package-to-path do check.
 * VOF's getproplen of "name" fails only for a phandle it cannot find (it
 * makes "name" up from the node name when the property is absent), so one
 * extra request, with no buffer, tells a real node from a bad handle.
 */
static bool vof_phandle_ok(uint32_t ph)
{
	return vof_call("getproplen", 2, ph, (uint32_t)virt_to_phys("name"), 0, 0) != VOF_FAIL;
}

/*
 * nextprop ( phandle prev buf -- flag )
 *   out: [0] -1 for a bad phandle; otherwise the forward module's answer
 */
static enum ci_result guard_nextprop(struct ci_call *c)
{
	return vof_phandle_ok(ci_arg(c, 0)) ? CI_DECLINE : ci_fail(c);
}

/*
 * child ( phandle -- child )  parent ( phandle -- parent )
 * peer ( phandle -- peer )    peer(0) is the root: the only valid 0
 * A bad phandle answers 0 ("none"), as the native pairing does.
 */
static enum ci_result guard_node(struct ci_call *c)
{
	uint32_t ph = ci_arg(c, 0);

	/* "peer" is the only one of the three with 'e' second */
	if ((ph || c->name[1] != 'e') && !vof_phandle_ok(ph)) {
		ci_ret(c, 0, 0);
		return CI_DONE;
	}
	return CI_DECLINE;
}

/*
 * The client's claims, so that release can be checked.  VOF's release
 * removes any exactly matching entry of its claim list, its own [0,
 * firmware size) included, and then asserts (vof_dt_memory_available) that
 * an entry at 0 is left: a client releasing that range aborts the whole
 * QEMU process.  Releasing the firmware's .bss or QEMU's stack for it would
 * let the client claim and overwrite them.  So only a release that matches
 * one of the client's own claims reaches VOF.  A free slot has size 0 (VOF
 * refuses size-0 claims).  Linux's prom_init makes a handful of claims,
 * GRUB a few dozen (heap, modules, kernel, initrd); a claim beyond
 * FORWARD_CLAIMS fails, as when memory runs out.  In .bss: 8 bytes each.
 */
#define FORWARD_CLAIMS 64
static struct claim {
	uint32_t base, size;
} claims[FORWARD_CLAIMS];

static struct claim *claim_find(uint32_t base, uint32_t size)
{
	struct claim *k;

	for (k = claims; k < claims + FORWARD_CLAIMS; k++)
		if (k->base == base && k->size == size)
			return k;
	return NULL;
}

/*
 * setprop ( phandle name buf len -- size )
 * VOF's tree has a fixed size (2 MiB in QEMU 7.2) and VOF takes any new
 * property name with up to 2 KiB of value: about 1,000 of them fill it, and
 * the next claim, whose new "available" entry then finds no room, makes
 * QEMU exit (FDT_ERR_NOSPACE), as after quiesce.  So what the client's
 * setprops add to the tree is counted, and one that would take the total
 * past SETPROP_GROWTH_MAX is refused: a new property adds its value, header
 * and name (at most 80 bytes more), an existing one the change of its
 * length, which shrinking takes back.  Linux and GRUB add a few dozen bytes.
 */
#define SETPROP_GROWTH_MAX	(512 << 10)
static int64_t setprop_growth;

static enum ci_result guard_setprop(struct ci_call *c)
{
	uint32_t *cell = c->args->cells;	/* counts checked: ph name buf len size */
	uint32_t old = vof_call("getproplen", 2, cell[0], cell[1], 0, 0);
	int64_t grow = old == VOF_FAIL ? (int64_t)cell[3] + 80 : (int64_t)cell[3] - old;

	if (setprop_growth + grow > SETPROP_GROWTH_MAX) {
		ci_trace_note("setprop: VOF's tree would fill up: refused");
		return ci_fail(c);
	}
	forward_as_is(c);
	if (cell[4] == cell[3])
		setprop_growth += grow;
	return CI_DONE;
}

/*
 * Set by the client's quiesce, which VOF answers with fdt_pack (vof_quiesce):
 * its tree has no free space from then on, and the next claim, whose new
 * "available" entry needs 16 more bytes, makes QEMU exit (FDT_ERR_NOSPACE
 * in vof_dt_memory_available).  A release shrinks "available", a setprop
 * that does not fit fails cleanly in VOF and open does not touch the tree,
 * so only claims are refused after quiesce (Linux's prom_init makes none).
 * A CAS after quiesce gives VOF a fresh tree; the refusal stays anyway.
 */
static bool vof_quiesced;

/* quiesce ( -- )  noted here, then forwarded */
static enum ci_result guard_quiesce(struct ci_call *c)
{
	(void)c;
	vof_quiesced = true;
	return CI_DECLINE;
}

/*
 * An exact claim, as VOF gets every claim from here.  VOF does not check
 * RAM: an exact claim anywhere below 4 GiB succeeds, and one at or above
 * 2 GiB aborts QEMU (VOF_CLAIM_LIMIT).  So a claim must end inside
 * /memory@0 and at or below 2 GiB.
 */
static uint32_t claim_exact(uint64_t at, uint32_t size)
{
	if (at + size > MIN(fw_ram_top, (uint64_t)VOF_CLAIM_LIMIT))
		return VOF_FAIL;
	return vof_call("claim", 3, (uint32_t)at, size, 0, 0);
}

/*
 * VOF's /memory@0 "available", which it rewrites after every claim and
 * release: <addr-hi addr-lo size-hi size-lo> after each claimed range, in
 * address order (zero-size entries between adjacent claims included).  Room
 * for every claim of the table and VOF's own (image, .bss, stack, kernel,
 * initrd); a longer property is read in part, which hides only the highest
 * ranges.  In .bss.
 */
static uint32_t avail[4 * (FORWARD_CLAIMS + 16)];

/*
 * An aligned claim goes to the lowest aligned fit in VOF's free ranges, as
 * an exact claim.  VOF's own choice is ALIGN_UP(claimed_base, align), where
 * claimed_base is the end of the highest claim ever made: it never reuses
 * released memory, fails for good once a claim ends high in RAM, and can
 * land at or above 2 GiB.  A refused candidate moves on to the next range.
 */
static uint32_t claim_aligned(uint32_t size, uint32_t align)
{
	int len = tree_read_prop(tree_find("/memory@0", NULL), "available", avail, sizeof(avail));
	int i;

	for (i = 0; i + 4 <= MIN(len, (int)sizeof(avail)) / 4; i += 4) {
		uint64_t start = (uint64_t)avail[i] << 32 | avail[i + 1];
		uint64_t end = start + ((uint64_t)avail[i + 2] << 32 | avail[i + 3]);
		uint64_t at = (start + align - 1) / align * align;
		uint32_t got;

		if (at + size <= end && (got = claim_exact(at, size)) != VOF_FAIL)
			return got;
	}
	return VOF_FAIL;
}

/*
 * claim ( virt size align -- base )
 * Every claim the client gets is recorded for release.
 */
static enum ci_result guard_claim(struct ci_call *c)
{
	uint32_t size = ci_arg(c, 1), align = ci_arg(c, 2), got = VOF_FAIL;
	struct claim *k = claim_find(0, 0);

	if (vof_quiesced)
		ci_trace_note("claim after quiesce: refused (VOF's tree is packed)");
	else if (k && size)
		got = align ? claim_aligned(size, align) : claim_exact(ci_arg(c, 0), size);
	if (got != VOF_FAIL) {
		k->base = got;
		k->size = size;
	}
	ci_ret(c, 0, got);
	return CI_DONE;
}

/*
 * release ( virt size -- )
 * Only an exact match of one of the client's claims goes to VOF (which
 * wants an exact match too); anything else is dropped.  release has no
 * failure return: a refusal shows only in the CI trace.
 */
static enum ci_result guard_release(struct ci_call *c)
{
	struct claim *k = claim_find(c->args->cells[0], c->args->cells[1]);

	if (!k || !k->size) {
		ci_trace_note("release of memory the client did not claim: refused");
		return CI_DONE;
	}
	k->size = k->base = 0;
	forward_as_is(c);
	return CI_DONE;
}

/*
 * /chosen "stdin": QEMU's VOF opens only "stdout"
 * (spapr_vof_client_dt_finalize); clients look for both, and Linux's
 * prom_init closes stdin before quiesce.  stdin is a second instance of
 * the stdout device, so closing it leaves stdout open in VOF.  Without a
 * console (no "stdout") there is nothing to give; an existing stdin is
 * kept.
 */
static int guard_stdin_init(void)
{
	char path[OF_PATH_MAX];	/* VOF writes up to 256 bytes whatever the length */
	uint32_t chosen = tree_find("/chosen", NULL), ih;

	if (tree_read_prop(chosen, "stdin", &ih, 4) < 0 &&
	    !tree_read_exact(chosen, "stdout", &ih, 4) &&
	    vof_call("instance-to-path", 3, ih, (uint32_t)virt_to_phys(path), sizeof(path), 0) <=
	    sizeof(path)) {
		ih = vof_call("open", 1, (uint32_t)virt_to_phys(path), 0, 0, 0);
		if (ih != VOF_FAIL)
			tree_setprop(chosen, "stdin", &ih, 4);
	}
	return 0;
}
FW_INIT(guard_stdin_init, FW_INIT_STDIO, "/chosen stdin");

/*
 * ibm,client-architecture-support: QEMU builds VOF a new tree
 * (spapr_vof_client_architecture_support), with a new stdout instance and
 * no stdin.  Linux calls CAS before it looks for stdin, so stdin is put
 * back after the call.
 */
static enum ci_result guard_cas(struct ci_method_call *m)
{
	forward_method(m);
	guard_stdin_init();
	return CI_DONE;
}
CI_METHOD(guard_cas, "ibm,client-architecture-support", guard_cas);

#define GUARD(sym, name, fn, nargs, nret) CI_SERVICE(guard_##sym, name, fn, nargs, nret)

/* With VOF's own argument counts, as the forward entries they stand in front of. */
GUARD(nextprop, "nextprop", guard_nextprop, 3, 1);
GUARD(peer, "peer", guard_node, 1, 1);
GUARD(child, "child", guard_node, 1, 1);
GUARD(parent, "parent", guard_node, 1, 1);
GUARD(claim, "claim", guard_claim, 3, 1);
GUARD(release, "release", guard_release, 2, 0);
GUARD(quiesce, "quiesce", guard_quiesce, 0, 0);
GUARD(setprop, "setprop", guard_setprop, 4, 1);
