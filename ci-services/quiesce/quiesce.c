/* SPDX-License-Identifier: Apache-2.0 */
/* The `quiesce` service (native): stop devices and hand the final tree to QEMU with KVMPPC_H_UPDATE_DT. */

#include <arch/hcall.h>
#include <libfdt.h>
#include <vofkit/ci/ci.h>
#include <vofkit/core/init.h>
#include <vofkit/core/mem.h>
#include <vofkit/core/rtas.h>
#include <vofkit/core/tree.h>

/*
 * quiesce ( -- )
 * Linux calls this last, then only `write`s ("Booting Linux via __start").
 *  - Drivers' FW_QUIESCE hooks stop their devices (virtio resets), so the
 *    OS finds them idle and nothing DMAs into memory it reuses.
 *  - RTAS "quiesce" resets the TCE tables and CRQs of the VIO devices, as
 *    SLOF does before the OS takes over.
 *  - KVMPPC_H_UPDATE_DT: QEMU later reads linux,rtas-base (FWNMI,
 *    ibm,nmi-register) and phandles (PHB hot-plug) from its own copy of the
 *    tree; without this it keeps the reset-time tree, which lacks both.
 *    QEMU refuses a tree bigger than twice the last one it built, so the
 *    blob is packed first, then reopened so later setprops still have room.
 */
static enum ci_result ci_quiesce(struct ci_call *c)
{
	void *blob = tree_blob();
	int64_t rc;

	(void)c;
	fw_quiesce_devices();
	rtas_call("quiesce", 0, 0, 0, 0);
	if (!blob || fdt_pack(blob)) {
		ci_trace_note("quiesce: no tree to hand over");
		return CI_DONE;
	}
	rc = hcall(KVMPPC_H_UPDATE_DT, virt_to_phys(blob), 0, 0, 0, 0);
	if (rc != H_SUCCESS)
		ci_trace_note("quiesce: QEMU refused the tree (%lld)", (long long)rc);
	fdt_open_into(blob, blob, (int)tree_blob_size());
	return CI_DONE;
}
CI_SERVICE(quiesce, "quiesce", ci_quiesce, 0, 0);
