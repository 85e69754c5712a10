/* SPDX-License-Identifier: Apache-2.0 */
/* A scripted stand-in for QEMU's VOF behind KVMPPC_H_VOF_CLIENT (unit-test double). */

#include <string.h>
#include <arch/hcall.h>
#include <vofkit/ci/ci.h>
#include "fake_vof.h"
#include "fakes.h"
#include "harness.h"

struct fake_vof vof;

#define FAIL	0xffffffffu

struct node {
	uint32_t ph;
	const char *path;
};

static const struct node nodes[] = {
	{ PH_ROOT, "/" },
	{ PH_CHOSEN, "/chosen" },
	{ PH_RTAS, "/rtas" },
	{ PH_VDEVICE, "/vdevice" },
	{ PH_VTY, VTY_PATH },
	{ PH_NVRAM, "/vdevice/nvram@71000001" },
	{ PH_MEMORY, "/memory@0" },
};

struct instance {
	uint32_t ih, ph;
};

static const struct instance instances[] = {
	{ IH_STDOUT, PH_VTY },
	{ IH_VTY2, PH_VTY },
	{ IH_RTAS, PH_RTAS },
	{ IH_NVRAM, PH_NVRAM },
	{ IH_ROOT, PH_ROOT },
};

struct prop {
	const char *name;
	const void *val;
	uint32_t len;
};

/* Property values are host-order cells: the firmware reads them as such. */
static const uint32_t one_cell_2 = 2, stdout_ih = IH_STDOUT, vty_reg = VTY_REG;
static const uint32_t nvram_reg = 0x71000001u, power_off_token = 0x2b;
static uint32_t rtas_size_val[2];
static uint32_t mem_reg[4];
/* VOF's "available" after its claims at reset: the last entry starts at AVAIL_LAST. */
static const uint32_t mem_avail[8] = { 0, 0x2000, 0, 0x6000, 0, AVAIL_LAST, 0, 0x1000000 };
static const uint32_t stdin_ih = IH_VTY2;

/* The idx-th property of node ph, false past the last. */
static bool node_prop(uint32_t ph, unsigned int idx, struct prop *p)
{
	struct prop list[4];
	unsigned int n = 0;

	switch (ph) {
	case PH_ROOT:
		list[n++] = (struct prop){ "#address-cells", &one_cell_2, 4 };
		list[n++] = (struct prop){ LONG_PROP, &one_cell_2, 4 };
		list[n++] = (struct prop){ "model", "qemu,fake", 10 };
		break;
	case PH_CHOSEN:
		if (!vof.no_stdout)
			list[n++] = (struct prop){ "stdout", &stdout_ih, 4 };
		if (vof.has_stdin)
			list[n++] = (struct prop){ "stdin", &stdin_ih, 4 };
		break;
	case PH_RTAS:
		rtas_size_val[0] = vof.rtas_size;
		rtas_size_val[1] = 0;
		if (!vof.no_rtas_size)
			list[n++] = (struct prop){ "rtas-size", rtas_size_val,
						   vof.rtas_size_len };
		list[n++] = (struct prop){ "power-off", &power_off_token, 4 };
		break;
	case PH_VTY:
		list[n++] = (struct prop){ "compatible", "hvterm1", 8 };
		list[n++] = (struct prop){ "reg", &vty_reg, 4 };
		break;
	case PH_NVRAM:
		list[n++] = (struct prop){ "compatible", "qemu,spapr-nvram", 17 };
		list[n++] = (struct prop){ "reg", &nvram_reg, 4 };
		break;
	case PH_MEMORY:
		mem_reg[0] = mem_reg[1] = mem_reg[2] = 0;
		mem_reg[3] = vof.mem_size;
		list[n++] = (struct prop){ "reg", mem_reg, sizeof(mem_reg) };
		if (!vof.no_available)
			list[n++] = (struct prop){ "available", vof.avail, vof.avail_len };
		break;
	default:
		return false;
	}
	if (idx >= n)
		return false;
	*p = list[idx];
	return true;
}

static bool find_prop(uint32_t ph, const char *name, struct prop *p)
{
	unsigned int i;

	for (i = 0; node_prop(ph, i, p); i++)
		if (!strcmp(p->name, name))
			return true;
	return false;
}

static const struct node *node_by_ph(uint32_t ph)
{
	unsigned int i;

	if (ph == PH_RTAS && vof.no_rtas_node)
		return NULL;
	for (i = 0; i < ARRAY_SIZE(nodes); i++)
		if (nodes[i].ph == ph)
			return &nodes[i];
	return NULL;
}

static const struct node *node_by_path(const char *path)
{
	unsigned int i;

	if (!path)
		return NULL;
	for (i = 0; i < ARRAY_SIZE(nodes); i++)
		if (!strcmp(nodes[i].path, path))
			return node_by_ph(nodes[i].ph);
	return NULL;
}

static uint32_t ih_to_ph(uint32_t ih)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(instances); i++)
		if (instances[i].ih == ih)
			return node_by_ph(instances[i].ph) ? instances[i].ph : FAIL;
	return FAIL;
}

/* VOF writes the whole path whatever the buffer length; returns strlen + 1. */
static uint32_t to_path(uint32_t ph, uint32_t buf)
{
	const struct node *n = node_by_ph(ph);
	size_t len;
	char *dst;

	if (!n)
		return FAIL;
	len = strlen(n->path) + 1;
	dst = guest_ptr(buf, len, GP_BUFFER);
	if (!dst)
		return FAIL;
	memcpy(dst, n->path, len);
	return (uint32_t)len;
}

/* Writes a 65-byte block: the name, its NUL, then junk. */
static uint32_t nextprop(uint32_t ph, uint32_t prev_addr, uint32_t buf)
{
	const char *prev = guest_str(prev_addr);
	unsigned int idx = 0;
	struct prop p;
	char *dst;

	if (!node_by_ph(ph) || !prev)
		return FAIL;
	if (*prev) {
		for (idx = 0; node_prop(ph, idx, &p); idx++)
			if (!strcmp(p.name, prev))
				break;
		if (!node_prop(ph, idx, &p))
			return FAIL;
		idx++;
	}
	if (!node_prop(ph, idx, &p))
		return 0;
	dst = guest_ptr(buf, VOF_NEXTPROP_WRITE, GP_BUFFER);
	if (!dst)
		return FAIL;
	memset(dst, 'X', VOF_NEXTPROP_WRITE);
	memcpy(dst, p.name, strlen(p.name) + 1);
	return 1;
}

static uint32_t getprop(uint32_t ph, uint32_t name_addr, uint32_t buf, uint32_t len)
{
	const char *name = guest_str(name_addr);
	struct prop p;
	void *dst;

	if (!node_by_ph(ph) || !name || !find_prop(ph, name, &p))
		return FAIL;
	if (len > p.len)
		len = p.len;
	if (len) {
		dst = guest_ptr(buf, len, GP_BUFFER);
		if (!dst)
			return FAIL;
		memcpy(dst, p.val, len);
	}
	return p.len;
}

static void call_method(struct ci_args *a, uint32_t *ret)
{
	const char *method = guest_str(a->cells[0]);
	uint32_t ih = a->nargs > 1 ? a->cells[1] : 0;

	if (!a->nret)
		return;
	ret[0] = FAIL;		/* catch-result: a throw */
	if (!method)
		return;
	if (!strcmp(method, "instantiate-rtas")) {
		vof.rtas_abort = true;
		return;
	}
	if (!strcmp(method, "ibm,client-architecture-support") && ih == IH_ROOT) {
		ret[0] = 0;
		if (a->nret > 1)
			ret[1] = 0;
	}
}

static int64_t vof_client(struct ci_args *a, uint64_t args_addr)
{
	const char *svc = guest_str(a->service);
	uint32_t *in = a->cells, *ret;
	uint32_t r = FAIL;
	struct vof_rec *rec;
	const char *s;
	unsigned int i;

	if (!svc || a->nargs > CI_MAX_CELLS || a->nret > CI_MAX_CELLS ||
	    a->nargs + a->nret > CI_MAX_CELLS)
		return H_PARAMETER;
	if (vof.nlog < VOF_LOG_MAX) {
		rec = &vof.log[vof.nlog++];
		strncpy(rec->service, svc, sizeof(rec->service) - 1);
		rec->nargs = a->nargs;
		rec->nret = a->nret;
		for (i = 0; i < a->nargs; i++)
			rec->cells[i] = in[i];
		rec->args_addr = args_addr;
	}
	if (vof.status != H_SUCCESS)
		return vof.status;
	ret = &a->cells[a->nargs];

	if (!strcmp(svc, "call-method")) {
		call_method(a, ret);
		return H_SUCCESS;
	}
	if (!strcmp(svc, "finddevice")) {
		const struct node *n = node_by_path(guest_str(in[0]));

		r = n ? n->ph : FAIL;
	} else if (!strcmp(svc, "getprop")) {
		r = getprop(in[0], in[1], in[2], in[3]);
	} else if (!strcmp(svc, "getproplen")) {
		struct prop p;

		s = guest_str(in[1]);
		r = node_by_ph(in[0]) && s && find_prop(in[0], s, &p) ? p.len : FAIL;
		/* VOF makes "name" up from the node name for every node it finds */
		if (node_by_ph(in[0]) && s && !strcmp(s, "name"))
			r = 1;
	} else if (!strcmp(svc, "setprop")) {
		const void *src = guest_ptr(in[2], in[3], GP_BUFFER);

		vof.setprop_len = in[3];
		if (src && in[3] <= sizeof(vof.setprop_val))
			memcpy(vof.setprop_val, src, in[3]);
		r = node_by_ph(in[0]) ? in[3] : FAIL;	/* VOF finds the node first */
	} else if (!strcmp(svc, "nextprop")) {
		r = nextprop(in[0], in[1], in[2]);
	} else if (!strcmp(svc, "open")) {
		s = guest_str(in[0]);
		if (s && !strcmp(s, "/rtas") && !vof.no_rtas_node)
			r = IH_RTAS;
		else if (s && !strcmp(s, VTY_PATH))
			r = IH_VTY2;
		else if (s && !strcmp(s, "/"))
			r = IH_ROOT;
	} else if (!strcmp(svc, "instance-to-package")) {
		r = ih_to_ph(in[0]);
	} else if (!strcmp(svc, "package-to-path")) {
		r = to_path(in[0], in[1]);
	} else if (!strcmp(svc, "instance-to-path")) {
		r = to_path(ih_to_ph(in[0]), in[1]);
	} else if (!strcmp(svc, "write")) {
		r = vof.write_result == FAIL ? in[2] : vof.write_result;
	} else if (!strcmp(svc, "claim")) {
		/* like VOF: no RAM check.  The firmware places aligned claims itself. */
		r = vof.claim_fails || in[2] || (in[0] && in[0] == vof.claim_refused_at) ? FAIL :
		    in[0];
	} else if (!strcmp(svc, "release")) {
		/* QEMU's VOF asserts, and QEMU aborts, once its claim at 0 is gone */
		if (in[0] == 0)
			vof.release_abort = true;
		r = 0;
	} else if (!strcmp(svc, "milliseconds")) {
		r = VOF_MS;
	} else if (!strcmp(svc, "parent") || !strcmp(svc, "peer") ||
		   !strcmp(svc, "child")) {
		/* VOF walks on from a bad phandle as from the root */
		r = node_by_ph(in[0]) ? 0 : PH_ROOT;
	}
	/* close, release, quiesce, exit: nothing to return */
	if (a->nret)
		ret[0] = r;
	return H_SUCCESS;
}

void vof_log_clear(void)
{
	vof.nlog = 0;
	memset(vof.log, 0, sizeof(vof.log));
}

void fake_vof_reset(void)
{
	memset(&vof, 0, sizeof(vof));
	vof.status = H_SUCCESS;
	vof.rtas_size = 0x2000;
	vof.rtas_size_len = 4;
	vof.mem_size = 0x8000000;
	memcpy(vof.avail, mem_avail, sizeof(mem_avail));
	vof.avail_len = sizeof(mem_avail);
	vof.write_result = FAIL;
	hv.vof_client = vof_client;
}

unsigned int vof_count(const char *service)
{
	unsigned int i, n = 0;

	for (i = 0; i < vof.nlog; i++)
		n += !strcmp(vof.log[i].service, service);
	return n;
}

const struct vof_rec *vof_last(const char *service)
{
	unsigned int i;

	for (i = vof.nlog; i-- > 0;)
		if (!strcmp(vof.log[i].service, service))
			return &vof.log[i];
	return NULL;
}

int fw_fixture_setup(void **state)
{
	(void)state;
	ram_reset();
	fakes_reset();
	fake_vof_reset();
	if (run_init("the console") || run_init("the client console"))
		return -1;
	hcall_log_clear();
	vof_log_clear();
	return 0;
}
