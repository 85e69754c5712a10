/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: the PXELINUX config parser and config names (boot/pxelinux.c).
 *
 * Input: a config as a TFTP server would send it.  Its first bytes also
 * make a boot-file directory, a MAC and an address for the config names.
 * Oracles: sanitizers (nothing read past the input's length: the parser
 * gets a copy in a buffer of exactly that size, with ASan's redzone right
 * after it); a parse is deterministic; an accepted entry has a non-empty
 * kernel without blanks that occurs in the input, fields NUL-terminated
 * inside their buffers, and no "initrd=" word left in the APPEND line;
 * every config name fits, starts with the directory and has
 * "pxelinux.cfg/" right after it.
 */

#include <stdlib.h>
#include <string.h>
#include <vofkit/boot/pxelinux.h>
#include "fuzz.h"

static struct pxe_entry a, b;

static void check_field(const char *f, size_t max, const char *what)
{
	FUZZ_CHECK(memchr(f, '\0', max) != NULL, "%s not NUL-terminated", what);
}

static int in_input(const uint8_t *data, size_t size, const char *s)
{
	size_t n = strlen(s), i;

	for (i = 0; n <= size && i <= size - n; i++)
		if (!memcmp(data + i, s, n))
			return 1;
	return 0;
}

static void check_names(const uint8_t *data, size_t size)
{
	char dir[40], name[PXE_PATH_MAX];
	uint8_t mac[6] = { 0 };
	uint32_t ip = 0;
	size_t dlen = size ? data[0] % sizeof(dir) : 0, i;
	unsigned int k;

	for (i = 0; i < dlen; i++)
		dir[i] = (char)(1 + (i + 1 < size ? data[i + 1] % 127 : 'a'));
	dir[dlen] = '\0';
	memcpy(mac, data, size < 6 ? size : 6);
	memcpy(&ip, data, size < 4 ? size : 4);
	for (k = 0; k <= PXE_CONFIG_NAMES; k++) {
		size_t len = size > 8 ? data[8] % sizeof(name) + 1 : sizeof(name);
		int rc = pxelinux_config_name(k, dir, mac, ip, name, len);

		if (k == PXE_CONFIG_NAMES) {
			FUZZ_CHECK(rc == -1, "index %u accepted", k);
			continue;
		}
		if (rc)
			continue;
		FUZZ_CHECK(strlen(name) < len, "name %u overruns %zu bytes", k, len);
		FUZZ_CHECK(!strncmp(name, dir, dlen) && !strncmp(name + dlen, "pxelinux.cfg/", 13),
			   "name %u is %s", k, name);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size ? size : 1);
	const char *why_a = NULL, *why_b = NULL;
	int ra, rb;

	memcpy(text, data, size);
	ra = pxelinux_parse(text, size, &a, &why_a);
	rb = pxelinux_parse(text, size, &b, &why_b);
	FUZZ_CHECK(ra == rb && (ra || !memcmp(&a, &b, sizeof(a))), "two parses differ");
	if (ra) {
		FUZZ_CHECK(why_a != NULL && why_a == why_b, "failure without the same reason");
	} else {
		check_field(a.label, sizeof(a.label), "label");
		check_field(a.kernel, sizeof(a.kernel), "kernel");
		check_field(a.initrd, sizeof(a.initrd), "initrd");
		check_field(a.append, sizeof(a.append), "append");
		FUZZ_CHECK(a.kernel[0], "empty kernel accepted");
		FUZZ_CHECK(!strpbrk(a.kernel, " \t\r\n"), "kernel %s holds a blank", a.kernel);
		FUZZ_CHECK(in_input(data, size, a.kernel), "kernel %s not in the input", a.kernel);
		FUZZ_CHECK(strncmp(a.append, "initrd=", 7) && !strstr(a.append, " initrd=") &&
			   !strstr(a.append, "\tinitrd="), "initrd= left in APPEND: %s", a.append);
	}
	free(text);
	check_names(data, size);
	return 0;
}
