/* SPDX-License-Identifier: Apache-2.0 */
/* The QEMU-side adapter in one place: every hypercall this firmware makes. */
#ifndef ARCH_HCALL_H
#define ARCH_HCALL_H

#include <stdint.h>

/*
 * `sc 1` with r3 = opcode, r4..r12 = arguments; status back in r3 and
 * outputs overwrite r4, r5, ... (QEMU passes the handler &gpr[4]).  The
 * numbers are QEMU 7.2's (include/hw/ppc/spapr.h); docs/architecture.md
 * says which pairing uses which.
 */

/* PAPR hypercalls implemented by QEMU's spapr machine */
#define H_GET_TERM_CHAR		0x54	/* r4=reg -> r4=count, r5,r6=bytes */
#define H_PUT_TERM_CHAR		0x58	/* r4=reg, r5=len(<=16), r6,r7=bytes */
#define H_LOGICAL_CI_LOAD	0x3c	/* r4=size, r5=addr -> r4=value (PCI MMIO) */
#define H_LOGICAL_CI_STORE	0x40	/* r4=size, r5=addr, r6=value */
#define H_PUT_TCE		0x20	/* r4=LIOBN, r5=IOBA, r6=phys|perm */
#define H_REG_CRQ		0xfc	/* r4=unit, r5=queue IOBA, r6=length */
#define H_FREE_CRQ		0x100	/* r4=unit */
#define H_SEND_CRQ		0x108	/* r4=unit, r5,r6=the 16-byte entry */
#define H_ENABLE_CRQ		0x2b0	/* r4=unit */
#define H_REGISTER_LOGICAL_LAN	0x114	/* r4=unit, r5=buffer list, r6=rx queue BD, r7=filter list, r8=MAC */
#define H_FREE_LOGICAL_LAN	0x118	/* r4=unit */
#define H_ADD_LOGICAL_LAN_BUFFER 0x11c	/* r4=unit, r5=BD */
#define H_SEND_LOGICAL_LAN	0x120	/* r4=unit, r5..r10=BDs, r11=continue token */

/* QEMU/KVM private hypercalls (KVMPPC_HCALL_BASE = 0xf000) */
#define KVMPPC_H_RTAS		0xf000	/* r4=RTAS argument block */
#define KVMPPC_H_CAS		0xf002	/* native: client-architecture-support */
#define KVMPPC_H_UPDATE_DT	0xf003	/* native: hand the final tree to QEMU */
#define KVMPPC_H_VOF_CLIENT	0xf005	/* forward: r4=CI argument array */

/* Status codes */
#define H_SUCCESS		0
#define H_HARDWARE		(-1)
#define H_FUNCTION		(-2)
#define H_PRIVILEGE		(-3)
#define H_PARAMETER		(-4)
#define H_NOT_FOUND		(-7)
#define H_DROPPED		(-12)
#define H_RESOURCE		(-16)

/*
 * Raw hypercall: up to 7 inputs; `out`, when non-NULL, receives r4..r7
 * after the call (4 values).  Returns r3.
 */
int64_t hcall(uint64_t opcode, uint64_t a0, uint64_t a1, uint64_t a2,
	      uint64_t a3, uint64_t out[4]);

/*
 * Hypercall with all nine argument registers r4..r12 taken from args
 * (unused ones 0); for calls such as H_SEND_LOGICAL_LAN whose arguments
 * go past r7.  Returns r3; outputs are not returned.
 */
int64_t hcall_long(uint64_t opcode, const uint64_t args[9]);

/*
 * The 20-byte RTAS entry an OS calls after `instantiate-rtas` (assembled in
 * arch/ppc64/hcall.S): `mr r4,r3; li r3,0; ori r3,r3,0xf000; sc 1; blr`.
 * QEMU puts no RTAS code in guest memory, so the firmware copies this.
 */
extern const uint8_t rtas_stub_start[], rtas_stub_end[];

#endif /* ARCH_HCALL_H */
