/* SPDX-License-Identifier: Apache-2.0 */
/* The firmware stack's guard word: one value shared by the assembly that arms and checks it and the C report. */
#ifndef ARCH_STACK_GUARD_H
#define ARCH_STACK_GUARD_H

/*
 * Written at __stack_bottom by _start, checked by ci_entry after every CI
 * call and by the exception report.  Not a valid instruction or a likely
 * address, so stray code or pointers are unlikely to hold it by chance.
 */
#define ARCH_STACK_CANARY	0x5afec0deu

/* The pseudo-vector ci_entry reports when it finds the guard word overwritten. */
#define ARCH_VEC_STACK_OVERFLOW	0

#endif /* ARCH_STACK_GUARD_H */
