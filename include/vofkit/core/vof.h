/* SPDX-License-Identifier: Apache-2.0 */
/* Requests to QEMU's built-in VOF (forward pairing, x-vof=on) through KVMPPC_H_VOF_CLIENT. */
#ifndef VOFKIT_CORE_VOF_H
#define VOFKIT_CORE_VOF_H

#include <stdint.h>

/* What VOF answers for "failed" / "not found" in a return cell. */
#define VOF_FAIL 0xffffffffu

/*
 * Claims must lie below 2 GiB: VOF sorts its claim list with a comparator
 * that returns the 64-bit difference of two starts as an int, so a claim
 * starting at or above 2 GiB sorts before the one at 0 and the assertion
 * in vof_dt_memory_available aborts QEMU (memory@0 reaches that far from
 * -m 3G on).
 */
#define VOF_CLAIM_LIMIT 0x80000000u

/*
 * Hand an IEEE 1275 argument array (service, nargs, nret, cells...) to VOF,
 * which writes the returns in place.  Returns the hcall status: H_SUCCESS
 * (0), or H_PARAMETER when VOF could not parse the array.
 */
int64_t vof_request(void *args);

/*
 * A firmware-internal request with up to four argument cells and one
 * return; VOF_FAIL when the request itself failed.
 */
uint32_t vof_call(const char *service, unsigned int nargs, uint32_t a0, uint32_t a1,
		  uint32_t a2, uint32_t a3);

#endif /* VOFKIT_CORE_VOF_H */
