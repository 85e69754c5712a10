/* SPDX-License-Identifier: Apache-2.0 */
/* hvterm: the spapr-vty console reached with H_PUT_TERM_CHAR / H_GET_TERM_CHAR. */
#ifndef VOFKIT_DRIVERS_HVTERM_H
#define VOFKIT_DRIVERS_HVTERM_H

#include <stddef.h>
#include <stdint.h>

/*
 * The vty `reg` (its terminal number).  Until the tree names one the driver
 * uses 0, which QEMU maps to the lowest-reg vty (vty_lookup's early-debug
 * hack), so early messages are never lost.
 */
void hvterm_set_default_reg(uint32_t reg);
uint32_t hvterm_default_reg(void);

/* Blocking write of any length to the vty `reg`. Returns 0 or -1. */
int hvterm_write(uint32_t reg, const char *buf, size_t len);
/* Non-blocking read from the default vty: bytes read, 0 if none pending. */
size_t hvterm_read(char *buf, size_t len);

#endif
