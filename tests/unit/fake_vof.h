/* SPDX-License-Identifier: Apache-2.0 */
/* A scripted stand-in for QEMU's VOF behind KVMPPC_H_VOF_CLIENT (unit-test double). */
#ifndef VOFKIT_UNIT_FAKE_VOF_H
#define VOFKIT_UNIT_FAKE_VOF_H

#include <stdbool.h>
#include <stdint.h>
#include <vofkit/ci/ci.h>

/* The fake tree: phandles ... */
#define PH_ROOT		0x1000u
#define PH_CHOSEN	0x1100u
#define PH_RTAS		0x1200u
#define PH_VDEVICE	0x1300u
#define PH_VTY		0x1310u
#define PH_NVRAM	0x1320u
#define PH_MEMORY	0x1400u
/* ... and instances (two of the vty: stdout and a second open). */
#define IH_STDOUT	0x2000u
#define IH_VTY2		0x2001u
#define IH_RTAS		0x2100u
#define IH_NVRAM	0x2200u
#define IH_ROOT		0x2300u

#define VTY_PATH	"/vdevice/vty@71000000"
#define VTY_REG		0x71000000u
#define LONG_PROP	"ibm,query-interrupt-source-number"	/* 33 characters */
#define VOF_NEXTPROP_WRITE 65	/* bytes the fake writes for every nextprop */
#define VOF_MS		4242u	/* what milliseconds returns */
#define AVAIL_LAST	0x3000000u	/* start of /memory@0's last "available" entry */

/* One request as VOF received it. */
struct vof_rec {
	char service[CI_MAX_NAME];
	uint32_t nargs, nret;
	uint32_t cells[CI_MAX_CELLS];	/* arguments as received */
	uint64_t args_addr;		/* r4: where the array was */
};
#define VOF_LOG_MAX	64

struct fake_vof {
	/* Script */
	int64_t status;			/* hcall status of every request */
	bool no_rtas_node;
	bool no_rtas_size;
	uint32_t rtas_size;
	uint32_t rtas_size_len;		/* 4 unless a test breaks it */
	uint32_t mem_size;		/* /memory@0 reg size (low cell) */
	bool claim_fails;
	bool no_available;		/* /memory@0 has no "available" */
	uint32_t avail[16];		/* its value: <0 start 0 size> entries */
	uint32_t avail_len;		/* bytes; the reset's 2 entries end at AVAIL_LAST */
	uint32_t claim_refused_at;	/* an exact claim there fails (0: none) */
	bool has_stdin;			/* /chosen has a "stdin" already */
	bool no_stdout;			/* /chosen has no "stdout" (no console) */
	uint32_t write_result;		/* UINT32_MAX: echo the length */

	/* Observations */
	struct vof_rec log[VOF_LOG_MAX];
	unsigned int nlog;
	bool rtas_abort;	/* instantiate-rtas reached VOF: QEMU would exit */
	bool release_abort;	/* release of VOF's claim at 0: QEMU would abort */
	uint32_t setprop_len;
	char setprop_val[64];
};
extern struct fake_vof vof;

/* Reset the script and the log, and install the fake as hv.vof_client. */
void fake_vof_reset(void);
void vof_log_clear(void);
unsigned int vof_count(const char *service);
/*
 * cmocka setup shared by the forward-pairing executables: fresh RAM, fakes
 * and tree, the console driver registered and the stdout vty discovered
 * (through the real fw_init entries), then empty logs.
 */
int fw_fixture_setup(void **state);
const struct vof_rec *vof_last(const char *service);

#endif
