/* SPDX-License-Identifier: Apache-2.0 */
/* Levelled firmware messages with a per-file prefix (pr_fmt), filtered at compile time by CONFIG_LOG_LEVEL. */
#ifndef VOFKIT_LIB_LOG_H
#define VOFKIT_LIB_LOG_H

#include <vofkit/lib/console.h>
#include <vofkit/lib/util.h>

/*
 * A file names its subsystem once, before its first #include:
 *     #define pr_fmt(fmt) "boot: " fmt
 * and every message it prints reads "vofkit: boot: ...".  Messages are for
 * the user: they say what happened in the user's terms (a device path, a
 * partition number, what to do), never a C identifier.
 *
 * Levels (CONFIG_LOG_LEVEL, default 3): a message above the configured level
 * is removed at compile time with its string, which keeps small images small.
 */
#define LOG_LEVEL_ERR	1	/* the firmware cannot do what it was asked */
#define LOG_LEVEL_WARN	2	/* something is skipped or degraded; the boot goes on */
#define LOG_LEVEL_INFO	3	/* what the firmware does: banner, boot decisions */
#define LOG_LEVEL_DEBUG	4	/* details for developers */

#ifndef CONFIG_LOG_LEVEL
#define CONFIG_LOG_LEVEL LOG_LEVEL_INFO
#endif

#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif

#define prlog(level, fmt, ...)                                                  \
	do {                                                                    \
		if ((level) <= CONFIG_LOG_LEVEL)                                \
			fw_printf("vofkit: " pr_fmt(fmt), ##__VA_ARGS__);       \
	} while (0)

#define pr_err(fmt, ...)	prlog(LOG_LEVEL_ERR, fmt, ##__VA_ARGS__)
#define pr_warn(fmt, ...)	prlog(LOG_LEVEL_WARN, fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...)	prlog(LOG_LEVEL_INFO, fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...)	prlog(LOG_LEVEL_DEBUG, fmt, ##__VA_ARGS__)

/* The rest of an info line started with pr_info (no prefix). */
#define pr_cont(fmt, ...)                                                       \
	do {                                                                    \
		if (LOG_LEVEL_INFO <= CONFIG_LOG_LEVEL)                         \
			fw_printf(fmt, ##__VA_ARGS__);                          \
	} while (0)

/*
 * The CI trace (CONFIG_CI_TRACE): one "ci:   ..." line per refused call and
 * why, for debugging clients.  Without CI_TRACE the call and its strings
 * vanish at compile time (the forward image budget is tight).
 */
void log_trace_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define log_trace(...)                                          \
	do {                                                    \
		if (IS_ENABLED(CONFIG_CI_TRACE))                \
			log_trace_printf(__VA_ARGS__);          \
	} while (0)

#endif /* VOFKIT_LIB_LOG_H */
