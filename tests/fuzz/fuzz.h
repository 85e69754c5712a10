/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by the libFuzzer targets: an oracle that aborts with a message (libFuzzer saves the input). */
#ifndef VOFKIT_FUZZ_H
#define VOFKIT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define FUZZ_CHECK(cond, ...)                                                   \
	do {                                                                    \
		if (!(cond)) {                                                  \
			fprintf(stderr, "FUZZ ORACLE FAILED %s:%d: %s: ", __FILE__, \
				__LINE__, #cond);                               \
			fprintf(stderr, __VA_ARGS__);                           \
			fprintf(stderr, "\n");                                  \
			abort();                                                \
		}                                                               \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* fuzz_tree_boot.c: QEMU's trees and the native firmware started on one. */
#define FT_SIM_RAM_SIZE	0x10000000u	/* 256 MiB */
#define FT_DTB_ADDR	0x9000000u	/* QEMU's tree, where r3 points at reset */
#define FT_NEW_DTB_ADDR	0x9400000u	/* a CAS answer to merge */
#define FT_DTB_MAX	0x400000u
#define FT_CLIENT_ADDR	0x8000000u	/* client memory: arguments, strings, buffers */
#define FT_CLIENT_END	0x8200000u

extern uint8_t vk_tree_ram[];
unsigned int ft_load_dtbs(void);		/* number of trees, aborts when none */
const void *ft_dtb(unsigned int i, size_t *len);
const char *ft_dtb_name(unsigned int i);
void ft_boot(unsigned int i);			/* reset onto tree i; aborts if init fails */
void *ft_ram(uint64_t pa, size_t len);		/* aborts outside the simulated RAM */
/* Does node `off` of fdt have more than one property called `name`? (garbage trees do) */
int ft_dup_prop(const void *fdt, int off, const char *name);
void ft_heap_reset(void);		/* fuzz_heap.c */
void ft_index_reset(void);		/* fuzz_index.c */
/* The tree's index agrees with its blob (aborts otherwise). */
void ft_check_index(void);
/* A CI call through ci_dispatch with the array in client memory; out gets the return cells. */
int64_t ft_ci(const char *svc, uint32_t nargs, uint32_t nret, const uint32_t *in, uint32_t *out);

#endif
