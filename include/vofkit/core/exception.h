/* SPDX-License-Identifier: Apache-2.0 */
/* The crash report behind the exception vectors, and the CI state it names. */
#ifndef VOFKIT_CORE_EXCEPTION_H
#define VOFKIT_CORE_EXCEPTION_H

#include <stdint.h>

/*
 * Name of the last CI service the dispatcher ran (a string in the service
 * table, so it stays valid), or NULL before the first call.  Set by
 * ci-services/core/dispatch.c; read by the report, which may not call up
 * into the CI layer.
 */
extern const char *fw_last_service;

/*
 * Called by arch/ppc64/vectors.S on the exception stack for a fatal vector
 * (or vector 0: ci_entry found the stack guard overwritten).  Prints one
 * report, then goes on with the next boot source on a fresh firmware
 * stack, or powers off.  Never returns.
 */
void fw_exception(uint64_t vector, uint64_t srr0, uint64_t srr1, uint64_t dar,
		  uint64_t dsisr, uint64_t r1, uint64_t lr) __attribute__((noreturn));

#endif /* VOFKIT_CORE_EXCEPTION_H */
