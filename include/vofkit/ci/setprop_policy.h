/* SPDX-License-Identifier: Apache-2.0 */
/* Which client setprop calls the native tree accepts (one policy module is compiled). */
#ifndef VOFKIT_SETPROP_POLICY_H
#define VOFKIT_SETPROP_POLICY_H

#include <stdbool.h>
#include <stdint.h>

/* May a client set property `name` on node `phandle`?  *why explains a refusal. */
bool setprop_policy_allows(uint32_t phandle, const char *name, const char **why);

#endif
