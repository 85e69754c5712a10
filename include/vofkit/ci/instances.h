/* SPDX-License-Identifier: Apache-2.0 */
/* The native instance table, as device modules see it. */
#ifndef VOFKIT_INSTANCES_H
#define VOFKIT_INSTANCES_H

#include <stdint.h>

/*
 * The node an instance was opened on, or 0 for a bad ihandle.  Served by
 * the native instance table (ci-services/instances) or, in the forward
 * pairing, by QEMU's VOF (ci-services/forward).
 */
uint32_t instance_to_package(uint32_t ihandle);

/* The arguments an instance was opened with ("" when none), or NULL for a bad ihandle. */
const char *instance_args(uint32_t ihandle);

/*
 * One pointer of device state per open instance (a disk's position, its
 * partition).  It is NULL after open and forgotten at close, so a module
 * can tell a fresh instance from one it already set up.
 */
void *instance_priv(uint32_t ihandle);
void instance_set_priv(uint32_t ihandle, void *priv);

#endif
