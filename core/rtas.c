/* SPDX-License-Identifier: Apache-2.0 */
/* RTAS calls made by the firmware itself (power-off, later PCI config). */

#include <arch/hcall.h>
#include <vofkit/core/mem.h>
#include <vofkit/core/tree.h>
#include <vofkit/core/rtas.h>

#define RTAS_NOT_FOUND	(-3)
#define RTAS_MAX_CELLS	16

int32_t rtas_call(const char *name, unsigned int nargs, const uint32_t *args,
		  unsigned int nret, uint32_t *rets)
{
	/* QEMU's block layout: token, nargs, nret, args[nargs], rets[nret]. */
	uint32_t block[3 + RTAS_MAX_CELLS];
	uint32_t token, rtas;
	unsigned int i;

	if (nargs + nret + 1 > RTAS_MAX_CELLS)
		return RTAS_NOT_FOUND;
	rtas = tree_find("/rtas", NULL);
	if (!rtas || tree_read_exact(rtas, name, &token, 4))
		return RTAS_NOT_FOUND;

	block[0] = token;
	block[1] = nargs;
	block[2] = nret + 1;		/* status + outputs */
	for (i = 0; i < nargs; i++)
		block[3 + i] = args[i];
	block[3 + nargs] = (uint32_t)RTAS_NOT_FOUND;

	hcall(KVMPPC_H_RTAS, virt_to_phys(block), 0, 0, 0, 0);
	for (i = 0; i < nret && rets; i++)
		rets[i] = block[3 + nargs + 1 + i];
	return (int32_t)block[3 + nargs];
}
