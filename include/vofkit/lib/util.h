/* SPDX-License-Identifier: Apache-2.0 */
/* Small compile-time helpers (Kconfig tests, sizes, alignment). */
#ifndef VOFKIT_UTIL_H
#define VOFKIT_UTIL_H

/*
 * IS_ENABLED(CONFIG_X) is 1 when autoconf.h defines CONFIG_X to 1 and 0
 * when it is undefined, usable in plain C `if` so both branches are always
 * compiled (and type-checked) and the dead one is removed by the compiler.
 */
#define VK_ARG_PLACEHOLDER_1 0,
#define VK_TAKE_SECOND(ignored, val, ...) val
#define VK_IS_ENABLED3(arg1_or_junk) VK_TAKE_SECOND(arg1_or_junk 1, 0, ~)
#define VK_IS_ENABLED2(val) VK_IS_ENABLED3(VK_ARG_PLACEHOLDER_##val)
#define IS_ENABLED(option) VK_IS_ENABLED2(option)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

#endif /* VOFKIT_UTIL_H */
