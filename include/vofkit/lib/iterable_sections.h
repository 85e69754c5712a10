/* SPDX-License-Identifier: Apache-2.0 */
/* Linker-section tables: the one macro every registration (services, methods, init, boot sources, quiesce) uses. */
#ifndef VOFKIT_LIB_ITERABLE_SECTIONS_H
#define VOFKIT_LIB_ITERABLE_SECTIONS_H

/*
 * A table is an output section the linker script builds from input sections
 * named ".<table>.<key>", sorted by key (SORT_BY_NAME), between the symbols
 * __<table>_start and __<table>_end.  Every table is listed once, in
 * cmake/linker-tables.txt, which generates both the firmware's linker
 * script and the host unit tests' one: a table cannot exist in one and not
 * the other.
 *
 * Including a module in the image is compiling its file: nothing refers to
 * an entry by name, so `used` keeps it and KEEP() in the script keeps it
 * through --gc-sections.  Entries are 8-byte aligned so the table is an
 * array of its type.
 *
 * `key` is a string literal; the linker sorts keys as text, so numbers in
 * keys must have a fixed number of digits.
 */
#define VK_TABLE_ENTRY(table, type, sym, key)                                   \
	static const type sym __attribute__((used, aligned(8),                 \
					     section("." #table "." key)))

#define VK_TABLE_DECLARE(table, type) \
	extern const type __##table##_start[], __##table##_end[]

#define VK_TABLE_BEGIN(table) (__##table##_start)
#define VK_TABLE_END(table) (__##table##_end)

/* for (const type *it = first; it < end; it++) over a declared table */
#define VK_TABLE_FOREACH(table, type, it) \
	for (const type *it = VK_TABLE_BEGIN(table); it < VK_TABLE_END(table); it++)

#endif /* VOFKIT_LIB_ITERABLE_SECTIONS_H */
