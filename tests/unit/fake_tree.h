/* SPDX-License-Identifier: Apache-2.0 */
/* A minimal stand-in for the native tree (tree.h): a root and /memory@0, plus a memreserve blob. */
#ifndef VOFKIT_UNIT_FAKE_TREE_H
#define VOFKIT_UNIT_FAKE_TREE_H

#include <stdbool.h>
#include <stdint.h>

#define FAKE_ROOT	1u
#define FAKE_MEMORY	2u	/* /memory@0 */

/*
 * Root "#address-cells" = "#size-cells" = 2 and /memory@0 "reg" =
 * <0 0 hi(ram) lo(ram)>, as QEMU writes them; no memreserve entries.
 * Property values are stored as given: big-endian cells, as in an FDT.
 */
void fake_tree_reset(uint64_t ram_size);

/* Set a property to one big-endian cell, to raw bytes, or remove it. */
void fake_tree_set_cell(uint32_t ph, const char *name, uint32_t v);
void fake_tree_set_cells(uint32_t ph, const char *name, const uint32_t *cells, int n);
void fake_tree_del(uint32_t ph, const char *name);
/* Make tree_find("/memory@0") fail. */
void fake_tree_drop_memory(void);

/* Rebuild tree_blob() with these memreserve entries ({addr, size} pairs). */
void fake_tree_memreserve(const uint64_t (*rsv)[2], int n);

/* The next `n` tree_setprop() calls fail (no room in the tree). */
void fake_tree_fail_setprops(int n);
/* Successful tree_setprop() calls since the last reset. */
unsigned int fake_tree_setprop_count(void);

#endif
