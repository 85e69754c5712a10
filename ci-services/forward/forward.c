/* SPDX-License-Identifier: Apache-2.0 */
/* Forward pairing (x-vof=on): CI calls the firmware does not serve go to QEMU's VOF. */

#include <string.h>
#include <arch/hcall.h>
#include <vofkit/ci.h>
#include <vofkit/console.h>
#include <vofkit/init.h>
#include <vofkit/mem.h>
#include <vofkit/of.h>
#include <vofkit/util.h>

/*
 * QEMU's VOF owns the device tree, the instances and the claim map.  A
 * request is the client's own argument array, handed over with
 * KVMPPC_H_VOF_CLIENT (r4 = its real address); VOF writes the returns in
 * place.  H_PARAMETER means VOF could not parse the array.
 */
static int64_t vof_request(struct ci_args *args)
{
	return hcall(KVMPPC_H_VOF_CLIENT, virt_to_phys(args), 0, 0, 0, 0);
}

/*
 * A firmware-internal request with one return: the argument cells are
 * given as up to four values (unused ones are ignored by nargs).
 */
static uint32_t vof_call(const char *service, unsigned int nargs, uint32_t a0,
			 uint32_t a1, uint32_t a2, uint32_t a3)
{
	struct {
		struct ci_args hdr;
		uint32_t cells[5];
	} a = { { (uint32_t)virt_to_phys(service), nargs, 1 },
		{ a0, a1, a2, a3, OF_FAIL } };

	a.cells[nargs] = OF_FAIL;
	if (vof_request(&a.hdr) != H_SUCCESS)
		return OF_FAIL;
	return a.cells[nargs];
}

static uint32_t phys32(const void *p)
{
	return (uint32_t)virt_to_phys(p);
}

uint32_t of_finddevice(const char *path)
{
	return vof_call("finddevice", 1, phys32(path), 0, 0, 0);
}

uint32_t of_getprop(uint32_t phandle, const char *name, void *buf, uint32_t len)
{
	return vof_call("getprop", 4, phandle, phys32(name), phys32(buf), len);
}

uint32_t of_getproplen(uint32_t phandle, const char *name)
{
	return vof_call("getproplen", 2, phandle, phys32(name), 0, 0);
}

uint32_t of_setprop(uint32_t phandle, const char *name, const void *buf, uint32_t len)
{
	return vof_call("setprop", 4, phandle, phys32(name), phys32(buf), len);
}

uint32_t of_instance_to_package(uint32_t ihandle)
{
	return vof_call("instance-to-package", 1, ihandle, 0, 0, 0);
}

uint32_t of_claim(uint32_t addr, uint32_t size, uint32_t align)
{
	return vof_call("claim", 3, addr, size, align, 0);
}

/*
 * Client calls passed through unchanged.  Counts are VOF's own (it treats a
 * mismatch as an unknown service), checked here first so the client gets
 * the IEEE 1275 answer (r3 = -1) instead of VOF's "-1 in the first return".
 */
static enum ci_result forward_as_is(struct ci_call *c)
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
	if (!fw_mem_writable(ci_arg(c, 2), ci_arg(c, 3))) {
		ci_ret(c, 0, CI_ERR);
		return CI_DONE;
	}
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
	if (c->args->cells[c->nargs] == OF_FAIL)
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
	a.cells[c->nargs] = OF_FAIL;
	if (vof_request(&a.hdr) != H_SUCCESS)
		return OF_FAIL;
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
	char path[256] = "";
	uint32_t buf = ci_arg(c, 1), buflen = ci_arg(c, 2), rc;
	size_t len;

	if (!fw_mem_writable(buf, buflen)) {
		ci_ret(c, 0, CI_ERR);
		return CI_DONE;
	}
	rc = forward_bounced(c, path, sizeof(path));
	if (rc == OF_FAIL || rc > sizeof(path)) {
		ci_ret(c, 0, CI_ERR);
		return CI_DONE;
	}
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
	if (!fw_mem_writable(ci_arg(c, 2), CI_MAX_NAME + 1)) {
		ci_ret(c, 0, CI_ERR);
		return CI_DONE;
	}
	return forward_as_is(c);
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
static enum ci_result forward_method(struct ci_method_call *m)
{
	forward_as_is(m->call);
	m->catch_result = m->call->nret ? m->call->args->cells[m->call->nargs] : 0;
	return CI_DONE;
}
CI_METHOD_PRIO(forward_any, "*", forward_method, CI_PRIO_FALLBACK);

/*
 * QEMU claimed only the image file ([0, fw_size)) and a 32 KiB stack at the
 * next 32 KiB boundary.  The .bss (with the firmware stack) sits between
 * them and must be claimed before a client's claim can land on it.
 */
extern char __image_end[], __fw_end[];

static int forward_platform_init(void)
{
	uint32_t start = (uint32_t)virt_to_phys(__image_end);
	uint32_t size = (uint32_t)(virt_to_phys(__fw_end) - start);
	uint32_t mem, reg[4];

	if (of_claim(start, size, 0) != start) {
		fw_printf("vofkit: cannot claim firmware memory %x+%x from VOF\n", start, size);
		return -1;
	}
	/* /memory@0 "reg" = <addr-hi addr-lo size-hi size-lo> (2+2 cells) */
	mem = of_finddevice("/memory@0");
	if (mem != OF_FAIL && !of_getprop_exact(mem, "reg", reg, sizeof(reg)))
		fw_ram_top = ((uint64_t)reg[2] << 32) | reg[3];
	return 0;
}
FW_INIT(forward_platform_init, FW_INIT_PLATFORM);

/* The client keeps the 32 KiB stack QEMU set up for us (r1 = top - 0x20). */
uint64_t fw_client_stack_top(void)
{
	return fw_entry_r1 + 0x20;
}
