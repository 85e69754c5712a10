/* SPDX-License-Identifier: Apache-2.0 */
/* RTAS shim: the `instantiate-rtas` method of /rtas copies the KVMPPC_H_RTAS stub. */

#include <string.h>
#include <arch/hcall.h>
#include <arch/ppc64.h>
#include <vofkit/ci/ci.h>
#include <vofkit/core/mem.h>
#include <vofkit/ci/instances.h>
#include <vofkit/core/tree.h>

/*
 * call-method "instantiate-rtas" on an ihandle of /rtas
 *   in:  [0] rtas-base (the OS allocated /rtas "rtas-size" bytes there)
 *   out: [0] rtas-entry (= rtas-base)
 * QEMU places no RTAS code in guest memory: the firmware copies the 20-byte
 * hypercall stub.  The rest of rtas-size belongs to QEMU's FWNMI (error log
 * at +0x30, per-CPU save slots at +2048), so the whole range must be valid.
 * In forward mode this must never reach QEMU: VOF aborts the VM with "The
 * firmware should have instantiated RTAS".
 */
static enum ci_result instantiate_rtas(struct ci_method_call *m)
{
	uint32_t rtas = tree_find("/rtas", NULL);
	uint32_t stub_size = (uint32_t)(rtas_stub_end - rtas_stub_start);
	uint32_t base, rtas_size;

	if (!rtas || instance_to_package(m->ihandle) != rtas)
		return CI_DECLINE;
	if (m->nin < 1 || m->nout < 1) {
		ci_trace_note("instantiate-rtas: needs 1 argument and 1 result");
		m->catch_result = CI_ERR;
		return CI_DONE;
	}
	base = m->in[0];
	if (tree_read_exact(rtas, "rtas-size", &rtas_size, 4) || rtas_size < stub_size) {
		ci_trace_note("instantiate-rtas: /rtas rtas-size missing or below %u", stub_size);
		m->catch_result = CI_ERR;
		return CI_DONE;
	}
	if (!base || !fw_mem_writable(base, rtas_size)) {
		ci_trace_note("instantiate-rtas: base %x + rtas-size %x not usable RAM",
			      base, rtas_size);
		m->catch_result = CI_ERR;
		return CI_DONE;
	}
	memcpy(phys_to_virt(base), rtas_stub_start, stub_size);
	arch_sync_icache(phys_to_virt(base), stub_size);
	m->out[0] = base;
	return CI_DONE;
}
CI_METHOD(instantiate_rtas, "instantiate-rtas", instantiate_rtas);
