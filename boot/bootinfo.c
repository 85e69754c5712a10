/* SPDX-License-Identifier: Apache-2.0 */
/* The CHRP boot script of \ppc\bootinfo.txt: which file to boot, from which partition, with which arguments. */

#include <stdbool.h>
#include <string.h>
#include <vofkit/boot/bootinfo.h>

/*
 * A CHRP bootinfo.txt is XML-like text: <chrp-boot> holds a description,
 * an OS name, an icon and <boot-script>, a Forth phrase that IEEE 1275
 * firmware would run.  Every CD that boots on Power writes the same phrase,
 * "boot &device;:\path\file" (GRUB's and the Debian installer's), or with
 * a partition ("&device;:1,\file", "&device;:&partition;,\file"), so the
 * phrase is parsed rather than interpreted, as SLOF does.  The entities
 * name the device and partition bootinfo.txt was read from.  Anything
 * after the file is the boot arguments.
 */

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static char fold(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Does [s, end) start with `word` (ASCII case-insensitive)? */
static bool starts_with(const char *s, const char *end, const char *word)
{
	size_t n = strlen(word), i;

	if ((size_t)(end - s) < n)
		return false;
	for (i = 0; i < n; i++) {
		if (fold(s[i]) != word[i])
			return false;
	}
	return true;
}

/* The first `word` in [s, end), or NULL. */
static const char *find(const char *s, const char *end, const char *word)
{
	for (; s < end; s++) {
		if (starts_with(s, end, word))
			return s;
	}
	return NULL;
}

static const char *skip_space(const char *s, const char *end)
{
	while (s < end && is_space(*s))
		s++;
	return s;
}

static const char *token_end(const char *s, const char *end)
{
	while (s < end && !is_space(*s))
		s++;
	return s;
}

/* "&device;:" has been read: [partition][,]path, up to the end of the token. */
static int parse_target(const char *s, const char *end, unsigned int own_partition,
			struct bootinfo *out, const char **why)
{
	const char *t;

	out->partition = 0;
	if (starts_with(s, end, "&partition;")) {
		out->partition = own_partition;
		s += strlen("&partition;");
	} else {
		while (s < end && *s >= '0' && *s <= '9') {
			out->partition = out->partition * 10 + (unsigned int)(*s++ - '0');
			if (out->partition > 255) {
				*why = "the boot script's partition number is too large";
				return -1;
			}
		}
	}
	if (s < end && *s == ',')
		s++;
	if (s == end || *s == ',') {
		*why = "the boot script names no file";
		return -1;
	}
	if ((size_t)(end - s) >= BOOTINFO_PATH_MAX) {
		*why = "the boot script's file path is too long";
		return -1;
	}
	for (t = s; t < end; t++) {
		if ((unsigned char)*t < 0x20) {
			*why = "the boot script's file path holds a control character";
			return -1;
		}
	}
	memcpy(out->path, s, (size_t)(end - s));
	out->path[end - s] = '\0';
	return 0;
}

int bootinfo_parse(const char *text, size_t len, unsigned int own_partition,
		   struct bootinfo *out, const char **why)
{
	const char *end = text + len, *script, *close, *s, *t;
	size_t n = 0;

	script = find(text, end, "<boot-script>");
	if (!script) {
		*why = "no <boot-script> element";
		return -1;
	}
	script += strlen("<boot-script>");
	close = find(script, end, "</boot-script>");
	if (!close) {
		*why = "the <boot-script> element is not closed";
		return -1;
	}
	if (close - script > BOOTINFO_SCRIPT_MAX) {
		*why = "the boot script is longer than 1024 bytes";
		return -1;
	}
	/* the word "boot", then the device it names */
	for (s = skip_space(script, close); s < close; s = skip_space(t, close)) {
		t = token_end(s, close);
		if (t - s == 4 && starts_with(s, t, "boot"))
			break;
	}
	if (s >= close) {
		*why = "the boot script has no boot command";
		return -1;
	}
	s = skip_space(t, close);
	t = token_end(s, close);
	if (!starts_with(s, t, "&device;:")) {
		*why = "the boot script boots something other than &device;";
		return -1;
	}
	if (parse_target(s + strlen("&device;:"), t, own_partition, out, why))
		return -1;
	/* the arguments: the rest, line breaks and other control characters as spaces, trimmed */
	s = skip_space(t, close);
	t = close;
	while (t > s && is_space(t[-1]))
		t--;
	if ((size_t)(t - s) >= BOOTINFO_ARGS_MAX) {
		*why = "the boot script's arguments are too long";
		return -1;
	}
	for (; s < t; s++)
		out->args[n++] = (unsigned char)*s < 0x20 ? ' ' : *s;
	out->args[n] = '\0';
	return 0;
}
