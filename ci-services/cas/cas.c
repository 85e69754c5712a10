/* SPDX-License-Identifier: Apache-2.0 */
/* CAS: the root node's ibm,client-architecture-support method, through KVMPPC_H_CAS, merged into the tree. */

#include <stdint.h>
#include <string.h>
#include <arch/hcall.h>
#include <libfdt.h>
#include <vofkit/ci/ci.h>
#include <vofkit/core/mem.h>
#include <vofkit/ci/instances.h>
#include <vofkit/core/tree.h>
#include <vofkit/lib/util.h>

/*
 * QEMU builds its answer (a 4-byte header, then a packed full tree) into the
 * buffer and exits if it does not fit: give it FDT_MAX_SIZE (2 MiB) + 4 as
 * SLOF does.  The buffer sits just below MIN(RMA, 2 GiB), where QEMU put the
 * reset-time tree that the firmware has already copied; CAS comes early in
 * prom_init, before Linux allocates anything up there, and the memory is
 * free again as soon as the answer is merged.
 */
#define CAS_BUFFER_SIZE	(0x200000u + 4)

/*
 * call-method "ibm,client-architecture-support" on an ihandle of "/"
 *   in:  [0] address of the ibm,architecture.vec table
 *   out: [0] 0 when QEMU accepted and the new tree is merged, else non-zero
 * The answer is a full tree, not a diff, and lacks /chosen's boot
 * properties and the memreserve map: it is merged, never substituted.
 */
static enum ci_result cas_method(struct ci_method_call *m)
{
	uint64_t top = MIN(fw_ram_top, 0x80000000ull);
	uint64_t buf = ALIGN_DOWN(top - CAS_BUFFER_SIZE - 0x1000, 0x1000);
	const uint32_t *header;
	uint32_t total;
	int64_t rc;

	if (instance_to_package(m->ihandle) != tree_root())
		return CI_DECLINE;
	if (m->nin < 1 || m->nout < 1 || !fw_mem_readable(m->in[0], 8) ||
	    !fw_mem_writable(buf, CAS_BUFFER_SIZE)) {
		ci_trace_note("cas: bad vector or no room for the answer");
		m->catch_result = CI_ERR;
		return CI_DONE;
	}
	rc = hcall(KVMPPC_H_CAS, m->in[0], buf, CAS_BUFFER_SIZE, 0, 0);
	if (rc != H_SUCCESS) {
		ci_trace_note("cas: QEMU refused the vector (%lld)", (long long)rc);
		m->out[0] = (uint32_t)rc;
		return CI_DONE;
	}
	/* version 1, written in QEMU's host byte order (0x01000000 on x86) */
	header = phys_to_virt(buf);
	if (*header != 1 && *header != 0x01000000u) {
		ci_trace_note("cas: unknown answer header %x", *header);
		m->out[0] = CI_ERR;
		return CI_DONE;
	}
	/* libfdt wants 8-byte aligned trees; QEMU's starts 4 bytes in.  Move only the tree. */
	total = fdt_totalsize(phys_to_virt(buf + 4));
	if (total > CAS_BUFFER_SIZE - 4) {
		ci_trace_note("cas: answer larger than its buffer (%u)", total);
		m->out[0] = CI_ERR;
		return CI_DONE;
	}
	memmove(phys_to_virt(buf), phys_to_virt(buf + 4), total);
	rc = tree_merge(phys_to_virt(buf));
	if (rc) {
		ci_trace_note("cas: merging QEMU's tree failed (%lld)", (long long)rc);
		m->out[0] = CI_ERR;
		return CI_DONE;
	}
	m->out[0] = 0;
	return CI_DONE;
}
CI_METHOD(client_architecture_support, "ibm,client-architecture-support", cas_method);
