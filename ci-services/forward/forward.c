/* SPDX-License-Identifier: Apache-2.0 */
/* Forward pairing's services (x-vof=on): CI calls the firmware does not serve go to QEMU's VOF, with fixes. */

#include <string.h>
#include <arch/hcall.h>
#include <vofkit/ci/ci.h>
#include <vofkit/ci/instances.h>
#include <vofkit/core/mem.h>
#include <vofkit/core/vof.h>
#include <vofkit/lib/limits.h>
#include <vofkit/lib/util.h>
#include "forward.h"

/*
 * QEMU's VOF owns the device tree, the instances and the claim map; the
 * client's own argument array is handed to it (core/pairing/forward.c,
 * vof_request).
 */

/* The native pairing's instance table answers this in ci-services/instances. */
uint32_t instance_to_package(uint32_t ihandle)
{
	uint32_t ph = vof_call("instance-to-package", 1, ihandle, 0, 0, 0);

	return ph == VOF_FAIL ? 0 : ph;
}

/*
 * Client calls passed through unchanged.  Counts are VOF's own (it treats a
 * mismatch as an unknown service), checked here first so the client gets
 * the IEEE 1275 answer (r3 = -1) instead of VOF's "-1 in the first return".
 */
enum ci_result forward_as_is(struct ci_call *c)
{
	if (vof_request(c->args) != H_SUCCESS)
		ci_ret(c, 0, CI_ERR);
	return CI_DONE;
}

/*
 * getprop ( phandle name buf buflen -- size )
 * VOF writes min(buflen, size) bytes: the buffer must be writable RAM that
 * is not the firmware (VOF would write anywhere in guest memory).
 */
static enum ci_result forward_getprop(struct ci_call *c)
{
	if (!fw_mem_writable(ci_arg(c, 2), ci_arg(c, 3)))
		return ci_fail(c);
	return forward_as_is(c);
}

/*
 * open ( path -- ihandle )
 * VOF returns -1 on failure; IEEE 1275 and GRUB (which only tests == 0)
 * need 0, or GRUB takes the -1 for a valid instance.
 */
static enum ci_result forward_open(struct ci_call *c)
{
	forward_as_is(c);
	if (c->args->cells[c->nargs] == VOF_FAIL)
		ci_ret(c, 0, CI_INVALID_IHANDLE);
	return CI_DONE;
}

/*
 * Run a *-to-path call with its output going to `buf` (bufsize bytes)
 * instead of the client's buffer (cells: handle, buf, buflen).
 */
static uint32_t forward_bounced(struct ci_call *c, void *buf, uint32_t bufsize)
{
	struct {
		struct ci_args hdr;
		uint32_t cells[CI_MAX_CELLS];
	} a;

	memcpy(&a.hdr, c->args, sizeof(a.hdr) + 4 * (c->nargs + c->nret));
	a.cells[1] = (uint32_t)virt_to_phys(buf);
	a.cells[2] = bufsize;
	a.cells[c->nargs] = VOF_FAIL;
	if (vof_request(&a.hdr) != H_SUCCESS)
		return VOF_FAIL;
	return a.cells[c->nargs];
}

/*
 * package-to-path ( phandle buf buflen -- length )
 * instance-to-path ( ihandle buf buflen -- length )
 * VOF ignores buflen (it writes the whole path) and returns strlen + 1.
 * Here the path lands in a bounce buffer; the client gets at most buflen
 * bytes, NUL-terminated when there is room (GRUB uses it as a C string),
 * and the IEEE 1275 return: the full length without the NUL.
 */
static enum ci_result forward_to_path(struct ci_call *c)
{
	char path[OF_PATH_MAX] = "";
	uint32_t buf = ci_arg(c, 1), buflen = ci_arg(c, 2), rc;
	size_t len;

	if (!fw_mem_writable(buf, buflen))
		return ci_fail(c);
	rc = forward_bounced(c, path, sizeof(path));
	if (rc == VOF_FAIL || rc > sizeof(path))
		return ci_fail(c);
	path[sizeof(path) - 1] = '\0';
	len = strlen(path);
	memcpy(phys_to_virt(buf), path, MIN(len + 1, (size_t)buflen));
	ci_ret(c, 0, (uint32_t)len);
	return CI_DONE;
}

/*
 * nextprop ( phandle prev buf -- flag )
 * VOF writes the next name, up to 64 characters + NUL, whatever the
 * client's buffer (IEEE 1275 says 32 bytes; QEMU's /rtas has a 33-character
 * name): the buffer must be writable for that much, or nothing is written.
 */
static enum ci_result forward_nextprop(struct ci_call *c)
{
	uint32_t prev = ci_arg(c, 1);

	if (!fw_mem_writable(ci_arg(c, 2), CI_MAX_NAME + 1))
		return ci_fail(c);
	/*
	 * prev = 0 means "the first property" (IEEE 1275, and what the native
	 * pairing does); VOF would read a name at physical 0 (this image's first
	 * bytes) instead.  "" means the same to VOF.  The client's cell is put
	 * back: the array is the client's.
	 */
	if (!prev)
		c->args->cells[1] = (uint32_t)virt_to_phys("");
	forward_as_is(c);
	c->args->cells[1] = prev;
	return CI_DONE;
}

#define FORWARD(sym, name, fn, nargs, nret) \
	CI_SERVICE_PRIO(fwd_##sym, name, fn, nargs, nret, CI_PRIO_FALLBACK)

/* The services QEMU 7.2's VOF implements (hw/ppc/vof.c), with its counts. */
FORWARD(finddevice, "finddevice", forward_as_is, 1, 1);
FORWARD(getprop, "getprop", forward_getprop, 4, 1);
FORWARD(getproplen, "getproplen", forward_as_is, 2, 1);
FORWARD(setprop, "setprop", forward_as_is, 4, 1);
FORWARD(nextprop, "nextprop", forward_nextprop, 3, 1);
FORWARD(peer, "peer", forward_as_is, 1, 1);
FORWARD(child, "child", forward_as_is, 1, 1);
FORWARD(parent, "parent", forward_as_is, 1, 1);
FORWARD(open, "open", forward_open, 1, 1);
FORWARD(close, "close", forward_as_is, 1, 0);
FORWARD(instance_to_package, "instance-to-package", forward_as_is, 1, 1);
FORWARD(package_to_path, "package-to-path", forward_to_path, 3, 1);
FORWARD(instance_to_path, "instance-to-path", forward_to_path, 3, 1);
FORWARD(write, "write", forward_as_is, 3, 1);
FORWARD(claim, "claim", forward_as_is, 3, 1);
FORWARD(release, "release", forward_as_is, 2, 0);
FORWARD(interpret, "interpret", forward_as_is, CI_ANY, CI_ANY);
FORWARD(milliseconds, "milliseconds", forward_as_is, 0, 1);
FORWARD(quiesce, "quiesce", forward_as_is, 0, 0);
FORWARD(exit, "exit", forward_as_is, 0, 0);

/*
 * Methods nobody local serves (ibm,client-architecture-support on "/")
 * go to VOF as the client sent them.  VOF itself only knows CAS on "/" and
 * instantiate-rtas on "/rtas" (which the RTAS shim must catch first).
 */
enum ci_result forward_method(struct ci_method_call *m)
{
	forward_as_is(m->call);
	m->catch_result = m->call->nret ? m->call->args->cells[m->call->nargs] : 0;
	return CI_DONE;
}
CI_METHOD_PRIO(forward_any, "*", forward_method, CI_PRIO_FALLBACK);
