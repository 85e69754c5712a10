/* SPDX-License-Identifier: Apache-2.0 */
/* setprop policy "permissive": clients may set any property on any node. */

#include <vofkit/ci/setprop_policy.h>

bool setprop_policy_allows(uint32_t phandle, const char *name, const char **why)
{
	(void)phandle;
	(void)name;
	(void)why;
	return true;
}
