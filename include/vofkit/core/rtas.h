/* SPDX-License-Identifier: Apache-2.0 */
/* Calling RTAS from the firmware through KVMPPC_H_RTAS. */
#ifndef VOFKIT_RTAS_H
#define VOFKIT_RTAS_H

#include <stdint.h>

/*
 * Call the RTAS function whose token is the /rtas property `name` (tokens
 * come from the tree, never hard-coded) with nargs inputs from args[];
 * up to nret outputs (after the status) go to rets[].  Returns the RTAS
 * status, or -3 ("no such function") when /rtas lacks the token.
 */
int32_t rtas_call(const char *name, unsigned int nargs, const uint32_t *args,
		  unsigned int nret, uint32_t *rets);

#endif /* VOFKIT_RTAS_H */
