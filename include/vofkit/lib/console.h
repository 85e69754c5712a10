/* SPDX-License-Identifier: Apache-2.0 */
/* Firmware console output (banner, errors, CI trace) and the console device. */
#ifndef VOFKIT_CONSOLE_H
#define VOFKIT_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A small formatter for the firmware's own messages: %s %c %d %u %x %%,
 * 'l'/'ll' accepted, no field widths.  newlib's printf would pull in stdio,
 * locale and malloc for no gain here.
 */
void fw_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fw_vprintf(const char *fmt, va_list ap);
void fw_puts(const char *s);
void fw_write(const char *buf, size_t len);

/*
 * What the formatter's missing field widths would otherwise make every
 * driver spell out.  fw_format_hex writes v in lower-case hex without
 * leading zeros ("0" for 0), as unit addresses are written in node names
 * ("disk@8000000000000000", "l-lan@71000002"), NUL-terminated; at most
 * 17 bytes; it returns the NUL's address.  fw_format_dec does the same
 * in decimal (alias numbers, partition numbers, sizes in messages): at
 * most 21 bytes.  fw_format_mac writes "52:54:00:12:34:56".
 */
char *fw_format_hex(char *out, uint64_t v);
char *fw_format_dec(char *out, uint64_t v);
void fw_format_mac(char out[18], const uint8_t mac[6]);

/* The device the firmware writes its own messages to; a driver installs itself. */
struct fw_console_ops {
	void (*write)(const char *buf, size_t len);
};
void fw_console_register(const struct fw_console_ops *ops);

/*
 * Console input for the firmware itself (the boot menu), registered apart
 * from the ops so that images without CONFIG_CONSOLE_INPUT carry none of
 * it.  read is non-blocking: up to len bytes typed, 0 when none waits.
 */
typedef size_t (*fw_console_read_fn)(char *buf, size_t len);
void fw_console_register_input(fw_console_read_fn read);

/* What was typed on the firmware's console, without waiting: 0 when nothing. */
size_t fw_read(char *buf, size_t len);

#endif /* VOFKIT_CONSOLE_H */
