/* SPDX-License-Identifier: Apache-2.0 */
/* setprop policy "read-only": the tree a client sees is exactly what QEMU and the firmware built. */

#include <vofkit/ci/setprop_policy.h>

bool setprop_policy_allows(uint32_t phandle, const char *name, const char **why)
{
	(void)phandle;
	(void)name;
	*why = "the tree is read-only (CONFIG_SETPROP_POLICY_READONLY)";
	return false;
}
