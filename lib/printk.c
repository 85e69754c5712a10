/* SPDX-License-Identifier: Apache-2.0 */
/* The firmware's message formatter (fw_printf) on top of the console device. */

#include <string.h>
#include <vofkit/lib/console.h>
#include <vofkit/lib/log.h>

/*
 * Deliberately small: %s %c %d %u %x %%, with 'l'/'ll' accepted (integers
 * are converted as 64-bit).  No widths: messages put hex after "0x".
 */
void fw_vprintf(const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		char buf[24], *p = buf + sizeof(buf);
		unsigned long long v;
		unsigned int base = 16;
		int longs = 0;

		if (*fmt != '%') {
			const char *end = fmt + strcspn(fmt, "%");

			fw_write(fmt, (size_t)(end - fmt));
			fmt = end - 1;
			continue;
		}
		while (*++fmt == 'l')
			longs++;
		switch (*fmt) {
		case 's':
			p = va_arg(ap, char *);
			fw_write(p, strlen(p));
			continue;
		case 'c':
			buf[0] = (char)va_arg(ap, int);
			fw_write(buf, 1);
			continue;
		case 'd':
			v = longs ? va_arg(ap, unsigned long long) : (unsigned long long)va_arg(ap, int);
			if ((long long)v < 0) {
				fw_write("-", 1);
				v = -v;
			}
			base = 10;
			break;
		case 'u':
			base = 10;
			/* fall through */
		case 'x':
			v = longs ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned int);
			break;
		case '\0':
			return;
		default:
			fw_write(fmt, 1);
			continue;
		}
		do {
			*--p = "0123456789abcdef"[v % base];
			v /= base;
		} while (v);
		fw_write(p, (size_t)(buf + sizeof(buf) - p));
	}
}

char *fw_format_hex(char *out, uint64_t v)
{
	int shift = 60;

	while (shift > 0 && !(v >> shift & 0xf))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		*out++ = "0123456789abcdef"[v >> shift & 0xf];
	*out = '\0';
	return out;
}

char *fw_format_dec(char *out, uint64_t v)
{
	char digits[20];
	int n = 0;

	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*out++ = digits[--n];
	*out = '\0';
	return out;
}

void fw_format_mac(char out[18], const uint8_t mac[6])
{
	unsigned int i;

	for (i = 0; i < 6; i++) {
		out[3 * i] = "0123456789abcdef"[mac[i] >> 4];
		out[3 * i + 1] = "0123456789abcdef"[mac[i] & 15];
		out[3 * i + 2] = i < 5 ? ':' : '\0';
	}
}

void fw_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fw_vprintf(fmt, ap);
	va_end(ap);
}

void fw_puts(const char *s)
{
	fw_write(s, strlen(s));
}

void log_trace_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fw_puts("ci:   ");
	fw_vprintf(fmt, ap);
	fw_puts("\n");
	va_end(ap);
}
