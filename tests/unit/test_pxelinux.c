/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for boot/pxelinux.c: the config names in PXELINUX's order and the config parser. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <vofkit/boot/pxelinux.h>

static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0xab, 0xcd, 0xef };

static void test_names_order(void **state)
{
	static const char *const want[PXE_CONFIG_NAMES] = {
		"pxelinux.cfg/01-52-54-00-ab-cd-ef",
		"pxelinux.cfg/0A00020F", "pxelinux.cfg/0A00020", "pxelinux.cfg/0A0002",
		"pxelinux.cfg/0A000", "pxelinux.cfg/0A00", "pxelinux.cfg/0A0",
		"pxelinux.cfg/0A", "pxelinux.cfg/0",
		"pxelinux.cfg/default",
	};
	char buf[PXE_PATH_MAX];
	unsigned int i;

	(void)state;
	for (i = 0; i < PXE_CONFIG_NAMES; i++) {
		assert_int_equal(pxelinux_config_name(i, "", mac, 0x0a00020f, buf, sizeof(buf)), 0);
		assert_string_equal(buf, want[i]);
	}
	assert_int_equal(pxelinux_config_name(PXE_CONFIG_NAMES, "", mac, 0x0a00020f, buf,
					      sizeof(buf)), -1);
}

/* Upper-case hex for the address, lower-case for the MAC, every digit of both. */
static void test_names_digits(void **state)
{
	const uint8_t m[6] = { 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x10 };
	char buf[PXE_PATH_MAX];

	(void)state;
	assert_int_equal(pxelinux_config_name(0, "", m, 0, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "pxelinux.cfg/01-fe-dc-ba-98-76-10");
	assert_int_equal(pxelinux_config_name(1, "", m, 0xc0a8fe01, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "pxelinux.cfg/C0A8FE01");
	assert_int_equal(pxelinux_config_name(1, "", m, 0x89abcdef, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "pxelinux.cfg/89ABCDEF");
}

/* A boot file ending in '/' is the directory every name sits in. */
static void test_names_dir(void **state)
{
	char buf[PXE_PATH_MAX], small[48];

	(void)state;
	assert_int_equal(pxelinux_config_name(0, "pxe/", mac, 0x0a00020f, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "pxe/pxelinux.cfg/01-52-54-00-ab-cd-ef");
	assert_int_equal(pxelinux_config_name(9, "a/b/", mac, 0x0a00020f, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "a/b/pxelinux.cfg/default");
	/* 34 bytes with its NUL: taken in 34, refused in 33, never cut */
	assert_int_equal(pxelinux_config_name(0, "", mac, 0, small, 34), 0);
	assert_int_equal(strlen(small), 33);
	assert_int_equal(pxelinux_config_name(0, "", mac, 0, small, 33), -1);
	assert_int_equal(pxelinux_config_name(9, "0123456789012345678/", mac, 0, small, 41), 0);
	assert_int_equal(pxelinux_config_name(9, "0123456789012345678/", mac, 0, small, 40), -1);
}

static int parse(const char *cfg, struct pxe_entry *e, const char **why)
{
	*why = NULL;
	return pxelinux_parse(cfg, strlen(cfg), e, why);
}

static struct pxe_entry e;

static void test_parse_basic(void **state)
{
	const char *why;

	(void)state;
	assert_int_equal(parse("DEFAULT linux\n"
			       "LABEL linux\n"
			       "  KERNEL vmlinux\n"
			       "  INITRD initramfs.cpio.gz\n"
			       "  APPEND console=hvc0 quiet\n", &e, &why), 0);
	assert_string_equal(e.label, "linux");
	assert_string_equal(e.kernel, "vmlinux");
	assert_string_equal(e.initrd, "initramfs.cpio.gz");
	assert_string_equal(e.append, "console=hvc0 quiet");
}

/* Keywords in any case, CRLF, tabs, comments, blank lines, ignored keywords. */
static void test_parse_forms(void **state)
{
	const char *why;

	(void)state;
	assert_int_equal(parse("# comment\r\n"
			       "\r\n"
			       "PROMPT 0\r\nTIMEOUT 50\r\nSAY hello kernel x\r\n"
			       "MENU TITLE boot\r\n"
			       "dEfAuLt second\r\n"
			       "label first\r\n\tlinux wrong\r\n"
			       "Label second\r\n"
			       "\tMENU LABEL The second\r\n"
			       "\tLinux  /boot/vmlinux  \r\n"
			       "\t  # a comment inside\r\n"
			       "\tinitrd /boot/initrd.img\r\n"
			       "\tAppend\tconsole=hvc0  a=1 \r\n"
			       "LABEL third\r\n KERNEL wrong3\r\n", &e, &why), 0);
	assert_string_equal(e.label, "second");
	assert_string_equal(e.kernel, "/boot/vmlinux");
	assert_string_equal(e.initrd, "/boot/initrd.img");
	/* inner spacing kept, trailing blanks and the CR gone */
	assert_string_equal(e.append, "console=hvc0  a=1");
}

/* No DEFAULT, or one naming no label: the first LABEL. */
static void test_parse_first_label(void **state)
{
	const char *why;

	(void)state;
	assert_int_equal(parse("LABEL a\nKERNEL ka\nLABEL b\nKERNEL kb\n", &e, &why), 0);
	assert_string_equal(e.label, "a");
	assert_string_equal(e.kernel, "ka");
	assert_int_equal(parse("DEFAULT nosuch\nLABEL a\nKERNEL ka\nLABEL b\nKERNEL kb\n",
			       &e, &why), 0);
	assert_string_equal(e.kernel, "ka");
	/* DEFAULT after the labels counts the same; the last DEFAULT wins */
	assert_int_equal(parse("DEFAULT a\nLABEL a\nKERNEL ka\nLABEL b\nKERNEL kb\nDEFAULT b\n",
			       &e, &why), 0);
	assert_string_equal(e.kernel, "kb");
	/* a label name repeated: the first one is the entry */
	assert_int_equal(parse("DEFAULT b\nLABEL b\nKERNEL k1\nLABEL b\nKERNEL k2\n", &e, &why), 0);
	assert_string_equal(e.kernel, "k1");
}

/* "DEFAULT vmlinux args": a kernel with its options and no LABEL. */
static void test_parse_default_kernel(void **state)
{
	const char *why;

	(void)state;
	assert_int_equal(parse("DEFAULT vmlinux console=hvc0 initrd=rd.gz root=/dev/ram0\n",
			       &e, &why), 0);
	assert_string_equal(e.label, "");
	assert_string_equal(e.kernel, "vmlinux");
	assert_string_equal(e.initrd, "rd.gz");
	assert_string_equal(e.append, "console=hvc0 root=/dev/ram0");
	assert_int_equal(parse("APPEND quiet\nDEFAULT vmlinux\n", &e, &why), 0);
	assert_string_equal(e.kernel, "vmlinux");
	assert_string_equal(e.append, "quiet");
}

/* initrd= inside APPEND: taken out of the command line, first of a list, INITRD wins. */
static void test_parse_initrd_in_append(void **state)
{
	const char *why;

	(void)state;
	assert_int_equal(parse("LABEL l\nKERNEL k\nAPPEND initrd=a.gz console=hvc0\n", &e, &why), 0);
	assert_string_equal(e.initrd, "a.gz");
	assert_string_equal(e.append, "console=hvc0");
	assert_int_equal(parse("LABEL l\nKERNEL k\nAPPEND x=1  initrd=a.gz,b.gz  y=2\n", &e, &why),
			 0);
	assert_string_equal(e.initrd, "a.gz");
	assert_string_equal(e.append, "x=1  y=2");
	assert_int_equal(parse("LABEL l\nKERNEL k\nINITRD i.gz\nAPPEND initrd=a.gz q\n", &e, &why),
			 0);
	assert_string_equal(e.initrd, "i.gz");
	assert_string_equal(e.append, "q");
	/* a word that merely contains initrd= is the kernel's */
	assert_int_equal(parse("LABEL l\nKERNEL k\nAPPEND noinitrd=1 xinitrd=2\n", &e, &why), 0);
	assert_string_equal(e.initrd, "");
	assert_string_equal(e.append, "noinitrd=1 xinitrd=2");
}

/* Global APPEND for labels without their own; "APPEND -" is none. */
static void test_parse_global_append(void **state)
{
	const char *why;

	(void)state;
	assert_int_equal(parse("APPEND console=hvc0\nLABEL l\nKERNEL k\n", &e, &why), 0);
	assert_string_equal(e.append, "console=hvc0");
	assert_int_equal(parse("APPEND console=hvc0\nLABEL l\nKERNEL k\nAPPEND -\n", &e, &why), 0);
	assert_string_equal(e.append, "");
	assert_int_equal(parse("APPEND g\nLABEL l\nKERNEL k\nAPPEND own\n", &e, &why), 0);
	assert_string_equal(e.append, "own");
	/* another label's APPEND is not global */
	assert_int_equal(parse("DEFAULT l2\nLABEL l1\nKERNEL k\nAPPEND one\nLABEL l2\nKERNEL k2\n",
			       &e, &why), 0);
	assert_string_equal(e.append, "");
}

/* TEXT HELP ... ENDTEXT lines are not keywords. */
static void test_parse_text_block(void **state)
{
	const char *why;

	(void)state;
	assert_int_equal(parse("LABEL l\nKERNEL right\nTEXT HELP\nKERNEL wrong\nLABEL x\n"
			       "ENDTEXT\nAPPEND a\n", &e, &why), 0);
	assert_string_equal(e.kernel, "right");
	assert_string_equal(e.append, "a");
}

static void test_parse_errors(void **state)
{
	char big[4096];
	const char *why;

	(void)state;
	assert_int_equal(parse("", &e, &why), -1);
	assert_string_equal(why, "no LABEL and no DEFAULT");
	assert_int_equal(parse("# only\nPROMPT 1\nTIMEOUT 3\n", &e, &why), -1);
	assert_string_equal(why, "no LABEL and no DEFAULT");
	assert_int_equal(parse("DEFAULT l\nLABEL l\nLOCALBOOT 0\n", &e, &why), -1);
	assert_string_equal(why, "no KERNEL or LINUX line for the entry");
	assert_string_equal(e.label, "l");
	assert_int_equal(parse("LABEL l\nKERNEL\n", &e, &why), -1);
	assert_string_equal(why, "no KERNEL or LINUX line for the entry");

	/* a 255-character path is taken, 256 refused (TFTP names are 255 + NUL) */
	memset(big, 'k', sizeof(big));
	memcpy(big, "LABEL l\nKERNEL ", 15);
	big[15 + 255] = '\n';
	big[15 + 256] = '\0';
	assert_int_equal(parse(big, &e, &why), 0);
	assert_int_equal(strlen(e.kernel), 255);
	memset(big + 15, 'k', 256);
	big[15 + 256] = '\n';
	big[15 + 257] = '\0';
	assert_int_equal(parse(big, &e, &why), -1);
	assert_string_equal(why, "KERNEL path longer than 255 characters");

	memcpy(big, "LABEL l\nKERNEL k\nINITRD ", 24);
	memset(big + 24, 'i', 256);
	big[24 + 256] = '\0';
	assert_int_equal(parse(big, &e, &why), -1);
	assert_string_equal(why, "INITRD path longer than 255 characters");

	memcpy(big, "LABEL l\nKERNEL k\nAPPEND initrd=", 31);
	memset(big + 31, 'i', 256);
	big[31 + 256] = '\0';
	assert_int_equal(parse(big, &e, &why), -1);
	assert_string_equal(why, "initrd= path longer than 255 characters");

	/* APPEND: 2047 characters fit, 2048 do not; the initrd= word does not count */
	memcpy(big, "LABEL l\nKERNEL k\nAPPEND initrd=r ", 33);
	memset(big + 33, 'a', 2047);
	big[33 + 2047] = '\0';
	assert_int_equal(parse(big, &e, &why), 0);
	assert_int_equal(strlen(e.append), 2047);
	assert_string_equal(e.initrd, "r");
	big[33 + 2047] = 'a';
	big[33 + 2048] = '\0';
	assert_int_equal(parse(big, &e, &why), -1);
	assert_string_equal(why, "APPEND longer than 2047 characters");

	memcpy(big, "LABEL ", 6);
	memset(big + 6, 'l', 64);
	memcpy(big + 70, "\nKERNEL k\n", 11);
	assert_int_equal(parse(big, &e, &why), -1);
	assert_string_equal(why, "LABEL name longer than 63 characters");
}

/* The config is counted text: nothing past len is read, a NUL separates words. */
static void test_parse_counted(void **state)
{
	static const char cfg[] = "LABEL l\nKERNEL k\0x\nAPPEND a\nLABEL m\nKERNEL n\n";
	const char *why;

	(void)state;
	assert_int_equal(pxelinux_parse(cfg, sizeof(cfg) - 1, &e, &why), 0);
	assert_string_equal(e.kernel, "k");
	assert_string_equal(e.append, "a");
	/* cut inside "KERNEL": the label has no kernel */
	assert_int_equal(pxelinux_parse(cfg, 10, &e, &why), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_order),
		cmocka_unit_test(test_names_digits),
		cmocka_unit_test(test_names_dir),
		cmocka_unit_test(test_parse_basic),
		cmocka_unit_test(test_parse_forms),
		cmocka_unit_test(test_parse_first_label),
		cmocka_unit_test(test_parse_default_kernel),
		cmocka_unit_test(test_parse_initrd_in_append),
		cmocka_unit_test(test_parse_global_append),
		cmocka_unit_test(test_parse_text_block),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_parse_counted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
