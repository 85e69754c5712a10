/* SPDX-License-Identifier: Apache-2.0 */
/*
 * core/tree/index.c as it is, plus a reset for the fuzz targets: its
 * tables live in the heap and are kept while big enough, so a restart that
 * empties the heap (ft_heap_reset) must forget them too.
 */
#include "../../core/tree/index.c"

void ft_index_reset(void)
{
	tree_nodes = NULL;
	nodes_max = 0;
	ph_hash = NULL;
	ph_hash_size = 0;
	prop_hash = NULL;
	prop_hash_size = 0;
	child_hash = NULL;
	child_hash_size = 0;
	props_indexed = 0;
}
