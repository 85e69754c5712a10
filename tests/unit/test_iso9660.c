/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: ISO 9660 lookup and reads on a real grub-mkrescue CD and on hostile images; CHRP boot scripts. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <vofkit/block/block.h>
#include <vofkit/block/iso9660.h>
#include <vofkit/boot/bootinfo.h>
#include <vofkit/core/heap.h>

/*
 * The images come from test-time fixtures: VOFKIT_GRUB_ISO is a CD made by
 * tests/guests/mkgrubiso.sh (grub-mkrescue), VOFKIT_BAD_ISO_DIR holds the
 * hostile images of tests/guests/mkbadiso.py.  Expected file contents are
 * taken from the same CD with xorriso, an independent reader.
 */

/* ---- an image file as a block device of any block size ------------------ */

static int image_fd = -1;
static unsigned int reads;

static int file_read(struct block_dev *d, uint64_t lba, uint32_t count, void *buf)
{
	size_t len = (size_t)count * d->block_size;

	reads++;
	if (lba + count > d->blocks)
		return -1;
	return pread(image_fd, buf, len, (off_t)(lba * d->block_size)) == (ssize_t)len ? 0 : -1;
}

static struct block_dev dev = { .read = file_read };

/* The block layer's bounce buffer: the largest block size these tests use. */
#define BOUNCE_STUB_BLOCK_SIZE	4096
#include "bounce_stub.h"

/* Attach an image file as `dev` with the given block size (its tail, if not a whole block, is left out). */
static void attach(const char *path, uint32_t block_size)
{
	struct stat st;

	if (image_fd >= 0)
		close(image_fd);
	image_fd = open(path, O_RDONLY);
	if (image_fd < 0)
		fail_msg("cannot open %s (the fixture makes it)", path);
	assert_int_equal(fstat(image_fd, &st), 0);
	dev.block_size = block_size;
	dev.blocks = (uint64_t)st.st_size / block_size;
}

static const char *env(const char *name)
{
	const char *v = getenv(name);

	if (!v || !*v)
		fail_msg("%s is not set (ctest sets it from the fixture)", name);
	return v;
}

static void attach_grub(uint32_t block_size)
{
	attach(env("VOFKIT_GRUB_ISO"), block_size);
}

static void attach_bad(const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s.iso", env("VOFKIT_BAD_ISO_DIR"), name);
	attach(path, 512);
}

/* A file of the real CD extracted by xorriso; its contents and size. */
static uint8_t *extract(const char *iso_path, size_t *size)
{
	char out[] = "/tmp/vk-iso-XXXXXX", cmd[1024];
	int fd = mkstemp(out);
	struct stat st;
	uint8_t *buf;

	assert_true(fd >= 0);
	close(fd);
	unlink(out);
	snprintf(cmd, sizeof(cmd), "xorriso -osirrox on -indev '%s' -extract '%s' '%s' >/dev/null 2>&1",
		 env("VOFKIT_GRUB_ISO"), iso_path, out);
	assert_int_equal(system(cmd), 0);
	fd = open(out, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	buf = malloc((size_t)st.st_size + 1);
	assert_int_equal(read(fd, buf, (size_t)st.st_size), st.st_size);
	close(fd);
	unlink(out);
	*size = (size_t)st.st_size;
	return buf;
}

static void mount_ok(struct iso9660_volume *vol)
{
	const char *why = NULL;

	if (iso9660_mount(&dev, 0, dev.blocks * dev.block_size, vol, &why) != 0)
		fail_msg("mount failed: %s", why ? why : "(no ISO 9660 volume)");
}

static void lookup_ok(const struct iso9660_volume *vol, const char *path, struct iso9660_file *f)
{
	const char *why = NULL;

	if (iso9660_lookup(vol, path, f, &why))
		fail_msg("%s: %s", path, why);
}

static void lookup_fails(const struct iso9660_volume *vol, const char *path, const char *want)
{
	struct iso9660_file f;
	const char *why = NULL;

	assert_int_equal(iso9660_lookup(vol, path, &f, &why), -1);
	assert_non_null(why);
	if (!strstr(why, want))
		fail_msg("%s: got '%s', want '%s'", path, why, want);
}

/* ---- the real CD --------------------------------------------------------- */

/* bootinfo.txt, powerpc.elf and grub.cfg read byte for byte as xorriso reads them, at 512 and 2048 bytes a block. */
static void grub_cd_files_match_xorriso(void **state)
{
	static const char *const files[][2] = {
		{ "\\ppc\\bootinfo.txt", "/ppc/bootinfo.txt" },
		{ "\\boot\\grub\\powerpc.elf", "/boot/grub/powerpc.elf" },
		{ "/boot/grub/grub.cfg", "/boot/grub/grub.cfg" },
	};
	static const uint32_t sizes[] = { 512, 2048, 4096 };
	unsigned int s, i;

	(void)state;
	for (s = 0; s < 3; s++) {
		struct iso9660_volume vol;

		attach_grub(sizes[s]);
		mount_ok(&vol);
		for (i = 0; i < 3; i++) {
			struct iso9660_file f;
			size_t want_size;
			uint8_t *want = extract(files[i][1], &want_size), *got;

			lookup_ok(&vol, files[i][0], &f);
			assert_false(f.dir);
			assert_int_equal(f.size, want_size);
			got = malloc(want_size + 1);
			assert_int_equal(iso9660_read(&vol, &f, 0, got, want_size), 0);
			assert_memory_equal(got, want, want_size);
			/* a read across the end, and one past it, are refused */
			assert_int_equal(iso9660_read(&vol, &f, 1, got, want_size), -1);
			assert_int_equal(iso9660_read(&vol, &f, want_size + 1, got, 0), -1);
			assert_int_equal(iso9660_read(&vol, &f, want_size, got, 0), 0);
			free(got);
			free(want);
		}
	}
}

/* Level-1 names (POWERPC_, MACH_KER.), ";1", case and both separators; Rock Ridge names too. */
static void grub_cd_name_forms(void **state)
{
	struct iso9660_volume vol;
	struct iso9660_file a, b;

	(void)state;
	attach_grub(2048);
	mount_ok(&vol);
	lookup_ok(&vol, "\\BOOT\\GRUB\\POWERPC.ELF;1", &a);
	lookup_ok(&vol, "/boot/grub/powerpc.elf", &b);
	assert_int_equal(a.offset, b.offset);
	lookup_ok(&vol, "\\boot\\grub\\powerpc_\\linux.mod", &a);
	lookup_ok(&vol, "\\boot\\grub\\powerpc-ieee1275\\linux.mod", &b);	/* Rock Ridge */
	assert_int_equal(a.offset, b.offset);
	assert_true(a.size > 0);
	lookup_ok(&vol, "\\mach_ker", &a);		/* "MACH_KER.;1": version, then the '.' */
	lookup_ok(&vol, "\\mach_kernel", &b);		/* its Rock Ridge name */
	assert_int_equal(a.offset, b.offset);
	lookup_ok(&vol, "\\\\boot//grub\\", &a);	/* empty components are skipped */
	assert_true(a.dir);
	lookup_ok(&vol, "", &a);			/* the root */
	assert_true(a.dir);
	assert_int_equal(a.offset, vol.root);
}

static void grub_cd_misses(void **state)
{
	struct iso9660_volume vol;
	char longname[300];

	(void)state;
	attach_grub(512);
	mount_ok(&vol);
	lookup_fails(&vol, "\\ppc\\nothere.txt", "not found");
	lookup_fails(&vol, "\\ppc\\bootinfo.txt\\x", "a file, not a directory");
	lookup_fails(&vol, "\\boot\\grub\\powerpc", "not found");	/* a prefix is no match */
	lookup_fails(&vol, "\\boot\\grub\\powerpc.elf.x", "not found");
	memset(longname, 'a', sizeof(longname));
	longname[0] = '\\';
	longname[sizeof(longname) - 1] = '\0';
	lookup_fails(&vol, longname, "longer than 255 bytes");
}

/* A window that ends inside a file: the file lies beyond it and is refused. */
static void grub_cd_window_too_small(void **state)
{
	struct iso9660_volume vol;
	struct iso9660_file f;
	const char *why = NULL;

	(void)state;
	attach_grub(2048);
	mount_ok(&vol);
	lookup_ok(&vol, "\\boot\\grub\\powerpc.elf", &f);
	assert_int_equal(iso9660_mount(&dev, 0, f.offset + 1, &vol, &why), 0);
	lookup_fails(&vol, "\\boot\\grub\\powerpc.elf", "beyond the image");
}

static void not_an_iso(void **state)
{
	struct iso9660_volume vol;
	const char *why = NULL;

	(void)state;
	attach_grub(512);
	/* smaller than 17 sectors */
	assert_int_equal(iso9660_mount(&dev, 0, 16 * 2048, &vol, &why), 1);
	/* /dev/zero-like: a GPT or MBR disk has no CD001 */
	attach("/dev/zero", 512);
	dev.blocks = 4096;
	assert_int_equal(iso9660_mount(&dev, 0, dev.blocks * 512, &vol, &why), 1);
}

static void grub_cd_bootinfo(void **state)
{
	struct iso9660_volume vol;
	struct iso9660_file f;
	struct bootinfo bi;
	const char *why = NULL;
	char text[16384];

	(void)state;
	attach_grub(2048);
	mount_ok(&vol);
	lookup_ok(&vol, "\\ppc\\bootinfo.txt", &f);
	assert_true(f.size < sizeof(text));
	assert_int_equal(iso9660_read(&vol, &f, 0, text, f.size), 0);
	assert_int_equal(bootinfo_parse(text, f.size, 0, &bi, &why), 0);
	assert_string_equal(bi.path, "\\boot\\grub\\powerpc.elf");
	assert_int_equal(bi.partition, 0);
	assert_string_equal(bi.args, "");
}

/* ---- hostile images ------------------------------------------------------ */

/* Each flaw ends in its own reason; nothing reads outside the image (reads past it fail). */
static void hostile_images(void **state)
{
	static const struct { const char *image, *path, *why; } cases[] = {
		{ "loop", "\\ppc\\bootinfo.txt", "loops back to a directory above it" },
		{ "loop", "\\ppc\\ppc\\ppc\\ppc", "loops back" },
		{ "loop_self", "\\ppc\\bootinfo.txt\\x", "loops back" },
		{ "overrun", "\\ppc\\bootinfo.txt", "overruns its sector" },
		{ "name255", "\\ppc\\bootinfo.txt", "name overruns the record" },
		{ "extent_beyond", "\\ppc\\bootinfo.txt", "beyond the image" },
		{ "file_beyond", "\\ppc\\bootinfo.txt", "beyond the image" },
		{ "volsize", "\\ppc\\bootinfo.txt", "beyond the image" },
		{ "zero_skip", "\\boot\\nothere", "not found" },
		{ "deep", "\\d\\d\\d\\d\\d\\d\\d\\d\\d\\d\\d\\d\\d\\d\\d\\d\\d\\d\\d\\d\\f.elf",
		  "deeper than 16" },
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct iso9660_volume vol;

		attach_bad(cases[i].image);
		mount_ok(&vol);
		reads = 0;
		lookup_fails(&vol, cases[i].path, cases[i].why);
		assert_true(reads < 64);
	}
}

/* The valid hostile-set images: a record in a directory's second sector, 16 levels, Rock Ridge. */
static void hostile_images_valid_parts(void **state)
{
	struct iso9660_volume vol;
	struct iso9660_file f;
	struct bootinfo bi;
	const char *why = NULL;
	char text[1024];

	(void)state;
	attach_bad("zero_skip");
	mount_ok(&vol);
	lookup_ok(&vol, "\\ppc\\bootinfo.txt", &f);		/* after the zero bytes */
	lookup_ok(&vol, "\\boot\\bad.elf", &f);
	attach_bad("deep");
	mount_ok(&vol);
	lookup_ok(&vol, "\\d\\d\\d\\d\\d\\d\\d\\d\\d\\d\\d\\d\\d\\d\\d\\d", &f);
	assert_true(f.dir);
	lookup_fails(&vol, "\\d\\d\\d\\d\\d\\d\\d\\d\\d\\d\\d\\d\\d\\d\\d\\d\\d", "deeper than 16");
	attach_bad("args");
	mount_ok(&vol);
	lookup_ok(&vol, "\\ppc\\bootinfo.txt", &f);
	assert_int_equal(iso9660_read(&vol, &f, 0, text, f.size), 0);
	assert_int_equal(bootinfo_parse(text, f.size, 0, &bi, &why), 0);
	assert_string_equal(bi.path, "\\BOOT\\BAD.ELF");
	assert_string_equal(bi.args, "quiet  x=1");
	lookup_ok(&vol, bi.path, &f);
	attach_bad("blocksize");
	assert_int_equal(iso9660_mount(&dev, 0, dev.blocks * 512, &vol, &why), -1);
	assert_string_equal(why, "the volume's logical block size is not 2048 bytes");
}

/* ---- boot scripts -------------------------------------------------------- */

static void script_ok(const char *text, unsigned int own, unsigned int part, const char *path,
		      const char *args)
{
	struct bootinfo bi;
	const char *why = NULL;

	memset(&bi, 0x55, sizeof(bi));
	if (bootinfo_parse(text, strlen(text), own, &bi, &why))
		fail_msg("'%s': %s", text, why);
	assert_int_equal(bi.partition, part);
	assert_string_equal(bi.path, path);
	assert_string_equal(bi.args, args);
}

static void script_fails_n(const char *text, size_t len, const char *want)
{
	struct bootinfo bi;
	const char *why = NULL;

	assert_int_equal(bootinfo_parse(text, len, 0, &bi, &why), -1);
	assert_non_null(why);
	if (!strstr(why, want))
		fail_msg("got '%s', want '%s'", why, want);
}

static void bootinfo_forms(void **state)
{
	(void)state;
	script_ok("<chrp-boot><boot-script>boot &device;:\\boot\\grub\\powerpc.elf</boot-script>", 0, 0,
		  "\\boot\\grub\\powerpc.elf", "");
	script_ok("<BOOT-SCRIPT>\n  BOOT &Device;:1,\\yaboot.ibm\n</Boot-Script>", 0, 1, "\\yaboot.ibm", "");
	script_ok("<boot-script>boot &device;:&partition;,\\ppc\\yaboot a=b  c</boot-script>", 3, 3,
		  "\\ppc\\yaboot", "a=b  c");
	script_ok("<boot-script>boot &device;:,\\x\r\n\tquiet\n</boot-script>", 0, 0, "\\x", "quiet");
	script_ok("<boot-script>\" hello\" type boot &device;:\\x</boot-script>", 0, 0, "\\x", "");
	/* a file after <boot-script> text that is not closed before the data: only the first element */
	script_ok("<boot-script>boot &device;:\\a</boot-script><boot-script>boot &device;:\\b</boot-script>",
		  0, 0, "\\a", "");
}

static void script_fails(const char *text, const char *want)
{
	script_fails_n(text, strlen(text), want);
}

static void bootinfo_hostile(void **state)
{
	char big[2000], path[300];

	(void)state;
	script_fails("", "no <boot-script>");
	script_fails("<chrp-boot></chrp-boot>", "no <boot-script>");
	script_fails("<boot-script>boot &device;:\\x", "not closed");
	script_fails("<boot-script>load &device;:\\x</boot-script>", "no boot command");
	script_fails("<boot-script>boot cd:\\x</boot-script>", "other than &device;");
	script_fails("<boot-script>boot &device;:</boot-script>", "names no file");
	script_fails("<boot-script>boot &device;:2</boot-script>", "names no file");
	script_fails("<boot-script>boot &device;:2,</boot-script>", "names no file");
	script_fails("<boot-script>boot &device;:99999,\\x</boot-script>", "too large");
	script_fails("<boot-script>boot</boot-script>", "other than &device;");
	/* the closing tag cut by the length given */
	script_fails_n("<boot-script>boot &device;:\\x</boot-script>", 40, "not closed");
	{	/* a NUL would end the path early (found by fuzz.iso9660) */
		static const char nul[] = "<boot-script>boot &device;:\0\\x</boot-script>";

		script_fails_n(nul, sizeof(nul) - 1, "control character");
	}
	snprintf(path, sizeof(path), "<boot-script>boot &device;:\\%0200d</boot-script>", 0);
	script_fails(path, "path is too long");
	memset(big, 'a', sizeof(big));
	memcpy(big, "<boot-script>boot &device;:\\x ", 30);
	memcpy(big + 300, "</boot-script>", 14);
	script_fails_n(big, sizeof(big), "arguments are too long");
	memcpy(big + 300, "aaaaaaaaaaaaaa", 14);
	memcpy(big + 1500, "</boot-script>", 14);
	script_fails_n(big, sizeof(big), "longer than 1024 bytes");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(grub_cd_files_match_xorriso),
		cmocka_unit_test(grub_cd_name_forms),
		cmocka_unit_test(grub_cd_misses),
		cmocka_unit_test(grub_cd_window_too_small),
		cmocka_unit_test(grub_cd_bootinfo),
		cmocka_unit_test(not_an_iso),
		cmocka_unit_test(hostile_images),
		cmocka_unit_test(hostile_images_valid_parts),
		cmocka_unit_test(bootinfo_forms),
		cmocka_unit_test(bootinfo_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
