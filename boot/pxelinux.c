/* SPDX-License-Identifier: Apache-2.0 */
/* PXELINUX configs: the config names a network boot tries, and the parser that picks the entry to boot. */

#include <stdbool.h>
#include <string.h>
#include <strings.h>
#include <vofkit/boot/pxelinux.h>

/*
 * Pure functions (no I/O, no globals): boot/boot_net.c fetches the
 * configs, the host unit test and the fuzzer call these directly.  The
 * config is the server's text, so every field is bounded and nothing is
 * cut: a path cut short would load a different file, an APPEND cut short
 * a different system.
 */

static const char hex_lower[] = "0123456789abcdef";
static const char hex_upper[] = "0123456789ABCDEF";

/* dir + "pxelinux.cfg/" + name into buf, or -1 when it does not fit. */
static int join_config(const char *dir, const char *name, size_t name_len, char *buf,
		       size_t len)
{
	static const char cfg[] = "pxelinux.cfg/";
	size_t dlen = strlen(dir), clen = sizeof(cfg) - 1;

	if (dlen >= len || clen >= len - dlen || name_len >= len - dlen - clen)
		return -1;
	memcpy(buf, dir, dlen);
	memcpy(buf + dlen, cfg, clen);
	memcpy(buf + dlen + clen, name, name_len);
	buf[dlen + clen + name_len] = '\0';
	return 0;
}

int pxelinux_config_name(unsigned int index, const char *dir, const uint8_t mac[6],
			 uint32_t ip, char *buf, size_t len)
{
	char name[3 * 7];
	unsigned int i;

	if (index == 0) {
		/* "01": the ARP hardware type of Ethernet, as PXELINUX writes it */
		name[0] = '0';
		name[1] = '1';
		for (i = 0; i < 6; i++) {
			name[2 + 3 * i] = '-';
			name[3 + 3 * i] = hex_lower[mac[i] >> 4];
			name[4 + 3 * i] = hex_lower[mac[i] & 0xf];
		}
		return join_config(dir, name, 20, buf, len);
	}
	if (index <= 8) {
		/* 10.0.2.15 is "0A00020F"; index 2 drops one digit, ... index 8 keeps one */
		for (i = 0; i < 8; i++)
			name[i] = hex_upper[(ip >> (28 - 4 * i)) & 0xf];
		return join_config(dir, name, 9 - index, buf, len);
	}
	if (index == 9)
		return join_config(dir, "default", 7, buf, len);
	return -1;
}

/* One line of the config, without its end (LF, CRLF) or its leading blanks. */
struct line {
	const char *kw;		/* the keyword */
	size_t kw_len;
	const char *arg;	/* what follows it, trailing blanks dropped */
	size_t arg_len;
};

/* A NUL counts as a blank, so no field ever holds one (a name would end early). */
static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' || c == '\0';
}

/*
 * The next non-empty, non-comment line from *pos; false at the end.  The
 * config is counted text, not a C string.
 */
static bool next_line(const char *text, size_t len, size_t *pos, struct line *ln)
{
	while (*pos < len) {
		size_t start = *pos, end = *pos, p;

		while (end < len && text[end] != '\n')
			end++;
		*pos = end < len ? end + 1 : end;
		while (start < end && is_blank(text[start]))
			start++;
		while (end > start && is_blank(text[end - 1]))
			end--;
		if (start == end || text[start] == '#')
			continue;
		p = start;
		while (p < end && !is_blank(text[p]))
			p++;
		ln->kw = text + start;
		ln->kw_len = p - start;
		while (p < end && is_blank(text[p]))
			p++;
		ln->arg = text + p;
		ln->arg_len = end - p;
		return true;
	}
	return false;
}

static bool kw_is(const struct line *ln, const char *name)
{
	size_t n = strlen(name);

	return ln->kw_len == n && !strncasecmp(ln->kw, name, n);
}

/* Skip a TEXT ... ENDTEXT block (its lines are free text, not keywords). */
static void skip_text_block(const char *text, size_t len, size_t *pos)
{
	struct line ln;

	while (next_line(text, len, pos, &ln))
		if (kw_is(&ln, "endtext"))
			return;
}

static bool same(const char *a, size_t alen, const char *b, size_t blen)
{
	return alen == blen && !memcmp(a, b, alen);
}

/* The first blank-separated word of s[0..n). */
static size_t first_word(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && !is_blank(s[i]))
		i++;
	return i;
}

static int copy_field(char *dst, size_t dst_max, const char *src, size_t n)
{
	if (n >= dst_max)
		return -1;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return 0;
}

/*
 * APPEND text into out->append without its initrd= words (Linux would
 * take them as its own parameter; PXELINUX consumes them), the spacing
 * between the other words kept.  The first initrd= names the initrd
 * unless an INITRD line did (a list "a,b" loads only a here).  "-" alone
 * means no options.
 */
static int take_append(const char *s, size_t n, struct pxe_entry *out, bool have_initrd,
		       const char **why)
{
	size_t i = 0, o = 0;

	if (n == 1 && s[0] == '-')
		n = 0;
	while (i < n) {
		size_t sep = i, w, wlen;

		while (i < n && is_blank(s[i]))
			i++;
		w = i;
		wlen = first_word(s + w, n - w);
		i = w + wlen;
		if (!wlen)
			break;
		if (wlen >= 7 && !memcmp(s + w, "initrd=", 7)) {
			size_t v = w + 7, vlen = 0;

			while (v + vlen < i && s[v + vlen] != ',')
				vlen++;
			if (!have_initrd) {
				if (copy_field(out->initrd, sizeof(out->initrd), s + v, vlen)) {
					*why = "initrd= path longer than 255 characters";
					return -1;
				}
				have_initrd = true;
			}
			continue;
		}
		if (o == 0)
			sep = w;	/* the first word kept gets no blank before it */
		if (i - sep >= sizeof(out->append) - o) {
			*why = "APPEND longer than 2047 characters";
			return -1;
		}
		memcpy(out->append + o, s + sep, i - sep);
		o += i - sep;
	}
	out->append[o] = '\0';
	return 0;
}

/* What one pass over the config found for one label (or the global section). */
struct section {
	const char *kernel, *initrd, *append;
	size_t kernel_len, initrd_len, append_len;
};

static void note(struct section *sec, const struct line *ln)
{
	if (kw_is(ln, "kernel") || kw_is(ln, "linux")) {
		sec->kernel = ln->arg;
		sec->kernel_len = first_word(ln->arg, ln->arg_len);
	} else if (kw_is(ln, "initrd")) {
		sec->initrd = ln->arg;
		sec->initrd_len = first_word(ln->arg, ln->arg_len);
	} else if (kw_is(ln, "append")) {
		sec->append = ln->arg;
		sec->append_len = ln->arg_len;
	}
}

int pxelinux_parse(const char *text, size_t len, struct pxe_entry *out, const char **why)
{
	const char *dflt = NULL, *first_label = NULL;
	size_t dflt_len = 0, first_label_len = 0, pos = 0;
	struct section global = { 0 }, chosen = { 0 };
	const char *want = NULL;
	size_t want_len = 0;
	bool in_chosen = false, seen_label = false, global_section = true;
	struct line ln;

	memset(out, 0, sizeof(*out));
	/* pass 1: DEFAULT (the last one counts), and whether a LABEL bears its name */
	while (next_line(text, len, &pos, &ln)) {
		if (kw_is(&ln, "text")) {
			skip_text_block(text, len, &pos);
		} else if (kw_is(&ln, "default")) {
			dflt = ln.arg;
			dflt_len = ln.arg_len;
		} else if (kw_is(&ln, "label") && ln.arg_len && !first_label) {
			first_label = ln.arg;
			first_label_len = ln.arg_len;
		}
	}
	if (dflt && dflt_len) {
		pos = 0;
		while (next_line(text, len, &pos, &ln)) {
			if (kw_is(&ln, "text"))
				skip_text_block(text, len, &pos);
			else if (kw_is(&ln, "label") && same(ln.arg, ln.arg_len, dflt, dflt_len)) {
				want = dflt;
				want_len = dflt_len;
				break;
			}
		}
	}
	if (!want && first_label) {
		want = first_label;
		want_len = first_label_len;
	}
	/* pass 2: the chosen label's lines, and the global section's (before any LABEL) */
	pos = 0;
	while (next_line(text, len, &pos, &ln)) {
		if (kw_is(&ln, "text")) {
			skip_text_block(text, len, &pos);
		} else if (kw_is(&ln, "label")) {
			global_section = false;
			/* a repeated label name: its first occurrence is the entry */
			in_chosen = want && !seen_label && same(ln.arg, ln.arg_len, want, want_len);
			if (in_chosen)
				seen_label = true;
		} else if (global_section) {
			note(&global, &ln);
		} else if (in_chosen) {
			note(&chosen, &ln);
		}
	}
	if (want) {
		if (copy_field(out->label, sizeof(out->label), want, want_len)) {
			*why = "LABEL name longer than 63 characters";
			return -1;
		}
	} else if (dflt && dflt_len) {
		/* "DEFAULT vmlinux console=hvc0": no label, the kernel and its options */
		size_t k = first_word(dflt, dflt_len), a = k;

		while (a < dflt_len && is_blank(dflt[a]))
			a++;
		chosen.kernel = dflt;
		chosen.kernel_len = k;
		if (a < dflt_len) {
			chosen.append = dflt + a;
			chosen.append_len = dflt_len - a;
		}
	} else {
		*why = "no LABEL and no DEFAULT";
		return -1;
	}
	if (!chosen.kernel || !chosen.kernel_len) {
		*why = "no KERNEL or LINUX line for the entry";
		return -1;
	}
	if (copy_field(out->kernel, sizeof(out->kernel), chosen.kernel, chosen.kernel_len)) {
		*why = "KERNEL path longer than 255 characters";
		return -1;
	}
	if (chosen.initrd && chosen.initrd_len &&
	    copy_field(out->initrd, sizeof(out->initrd), chosen.initrd, chosen.initrd_len)) {
		*why = "INITRD path longer than 255 characters";
		return -1;
	}
	if (!chosen.append) {
		chosen.append = global.append;
		chosen.append_len = global.append_len;
	}
	if (chosen.append &&
	    take_append(chosen.append, chosen.append_len, out, out->initrd[0] != '\0', why))
		return -1;
	return 0;
}
