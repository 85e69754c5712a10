/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the forward pairing (forward.c) against a scripted fake VOF. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <arch/hcall.h>
#include <vofkit/ci/ci.h>
#include <vofkit/core/init.h>
#include <vofkit/core/mem.h>
#include <vofkit/ci/instances.h>
#include <vofkit/core/pairing.h>
#include <vofkit/core/tree.h>
#include <vofkit/core/vof.h>
#include "fake_vof.h"
#include "fakes.h"
#include "harness.h"

#define SETUP(fn) cmocka_unit_test_setup(fn, fw_fixture_setup)

static void assert_ram_fill(uint32_t addr, size_t len)
{
	const uint8_t *p = ram(addr);
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != RAM_FILL)
			fail_msg("RAM %x was written (%02x)", (unsigned int)(addr + i), p[i]);
}

/* ---- Table ---- */

/* Services the VOF guards (ci-services/forward/guards.c) stand in front of. */
static bool is_guarded(const char *name)
{
	static const char *const guarded[] = { "nextprop", "peer", "child", "parent", "claim",
					       "release", "quiesce", "setprop" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(guarded); i++)
		if (!strcmp(name, guarded[i]))
			return true;
	return false;
}

static void table_layers_local_services_over_forward(void **state)
{
	static const char *const forwarded[] = {
		"finddevice", "getprop", "getproplen", "setprop", "nextprop", "peer",
		"child", "parent", "open", "close", "instance-to-package",
		"package-to-path", "instance-to-path", "write", "claim", "release",
		"interpret", "milliseconds", "quiesce", "exit",
	};
	const struct ci_service *s;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(forwarded); i++) {
		s = ci_find_service(forwarded[i]);
		assert_non_null(s);
		if (!strcmp(forwarded[i], "write") || !strcmp(forwarded[i], "exit") ||
		    is_guarded(forwarded[i])) {
			/* a local module or a guard above, the forward fallback right below */
			assert_int_equal(s->prio, CI_PRIO_NORMAL);
			assert_string_equal(s[-1].name, forwarded[i]);
			assert_int_equal(s[-1].prio, CI_PRIO_FALLBACK);
		} else {
			assert_int_equal(s->prio, CI_PRIO_FALLBACK);
		}
	}
	/* read is local only: there is no VOF fallback for it */
	s = ci_find_service("read");
	assert_non_null(s);
	assert_true(s == VK_TABLE_BEGIN(ci_services) || strcmp(s[-1].name, "read"));
	for (s = VK_TABLE_BEGIN(ci_services) + 1; s < VK_TABLE_END(ci_services); s++)
		assert_true(strcmp(s[-1].name, s->name) < 0 ||
			    (!strcmp(s[-1].name, s->name) && s[-1].prio < s->prio));
}

static void init_table_is_sorted_by_level(void **state)
{
	/* the pairing's take-over is pairing_init(), called by fw_main, not a table entry */
	static const char *const names[] = { "the console", "/chosen stdin",
					     "the client console" };
	static const int levels[] = { FW_INIT_EARLY, FW_INIT_STDIO, FW_INIT_CONSOLE };
	size_t i;

	(void)state;
	assert_int_equal((size_t)(VK_TABLE_END(fw_init) - VK_TABLE_BEGIN(fw_init)), ARRAY_SIZE(names));
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		assert_string_equal(VK_TABLE_BEGIN(fw_init)[i].name, names[i]);
		assert_int_equal(VK_TABLE_BEGIN(fw_init)[i].level, levels[i]);
	}
	assert_int_equal((size_t)(VK_TABLE_END(fw_boot) - VK_TABLE_BEGIN(fw_boot)), 0);
}

/* ---- Plain forwarding ---- */

static void forward_hands_vof_the_client_array(void **state)
{
	const struct vof_rec *r;

	(void)state;
	assert_int_equal(ci_callv("finddevice", 1, 1, ram_str(STR_ADDR, "/rtas")), 0);
	assert_int_equal(ret_cell(0), PH_RTAS);
	assert_int_equal(tail_cell(), TAIL_POISON);
	assert_int_equal(vof.nlog, 1);
	r = vof_last("finddevice");
	assert_non_null(r);
	assert_int_equal(r->args_addr, ARGS_ADDR);
	assert_int_equal(r->cells[0], STR_ADDR);

	/* VOF's own failure value passes through */
	assert_int_equal(ci_callv("finddevice", 1, 1, ram_str(STR_ADDR, "/nope")), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	assert_int_equal(ci_callv("milliseconds", 0, 1), 0);
	assert_int_equal(ret_cell(0), VOF_MS);
}

static void forward_hcall_failure_returns_minus_one(void **state)
{
	(void)state;
	vof.status = H_PARAMETER;
	assert_int_equal(ci_callv("finddevice", 1, 1, ram_str(STR_ADDR, "/rtas")), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	assert_int_equal(ci_callv("milliseconds", 0, 1), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
}

static void forward_checks_counts_before_vof(void **state)
{
	(void)state;
	assert_int_equal(ci_callv("finddevice", 2, 1, ram_str(STR_ADDR, "/"), 0), -1);
	assert_int_equal(ci_callv("close", 1, 1, IH_ROOT), -1);
	assert_int_equal(ci_callv("getprop", 3, 1, PH_ROOT, STR_ADDR, BUF_ADDR), -1);
	assert_int_equal(vof.nlog, 0);
	assert_int_equal(ci_callv("close", 1, 0, IH_ROOT), 0);
	assert_int_equal(vof_count("close"), 1);
}

static void open_failure_becomes_zero(void **state)
{
	(void)state;
	assert_int_equal(ci_callv("open", 1, 1, ram_str(STR_ADDR, "/rtas")), 0);
	assert_int_equal(ret_cell(0), IH_RTAS);
	assert_int_equal(ci_callv("open", 1, 1, ram_str(STR_ADDR, "/no/such")), 0);
	assert_int_equal(ret_cell(0), 0);
	assert_int_equal(vof_count("open"), 2);
	vof.status = H_PARAMETER;
	assert_int_equal(ci_callv("open", 1, 1, ram_str(STR_ADDR, "/rtas")), 0);
	assert_int_equal(ret_cell(0), 0);
}

/* ---- getprop ---- */

static void getprop_into_client_ram(void **state)
{
	(void)state;
	assert_int_equal(ci_callv("getprop", 4, 1, PH_VTY, ram_str(STR_ADDR, "reg"),
				  BUF_ADDR, 64), 0);
	assert_int_equal(ret_cell(0), 4);
	assert_int_equal(ram_u32(BUF_ADDR), VTY_REG);
	assert_ram_fill(BUF_ADDR + 4, 60);
	assert_int_equal(vof_last("getprop")->args_addr, ARGS_ADDR);
}

static void getprop_into_firmware_is_refused_before_vof(void **state)
{
	uint8_t before[64];

	(void)state;
	memcpy(before, ram(0x1000), sizeof(before));
	ram_str(STR_ADDR, "reg");
	assert_int_equal(ci_callv("getprop", 4, 1, PH_VTY, STR_ADDR, 0x1000, 64), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	assert_memory_equal(ram(0x1000), before, sizeof(before));
	/* overlapping either end of the firmware */
	assert_int_equal(ci_callv("getprop", 4, 1, PH_VTY, STR_ADDR, FW_OWN_START - 2, 4), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	assert_int_equal(ci_callv("getprop", 4, 1, PH_VTY, STR_ADDR, FW_OWN_END - 1, 4), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	/* past the end of RAM */
	assert_int_equal(ci_callv("getprop", 4, 1, PH_VTY, STR_ADDR, RAM_SIZE - 2, 4), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	assert_int_equal(vof_count("getprop"), 0);
}

static void getprop_length_query_with_empty_buffer(void **state)
{
	(void)state;
	assert_int_equal(ci_callv("getprop", 4, 1, PH_MEMORY, ram_str(STR_ADDR, "reg"), 0, 0), 0);
	assert_int_equal(ret_cell(0), 16);
	assert_int_equal(vof_count("getprop"), 1);
	assert_ram_fill(0, FW_OWN_START);
}

/* ---- package-to-path / instance-to-path ---- */

static void package_to_path_copies_path_and_nul(void **state)
{
	const struct vof_rec *r;

	(void)state;
	assert_int_equal(ci_callv("package-to-path", 3, 1, PH_VTY, BUF_ADDR, 256), 0);
	assert_int_equal(ret_cell(0), strlen(VTY_PATH));
	assert_memory_equal(ram(BUF_ADDR), VTY_PATH, sizeof(VTY_PATH));
	assert_ram_fill(BUF_ADDR + sizeof(VTY_PATH), 256 - sizeof(VTY_PATH));
	/* VOF wrote into a bounce buffer, not into the client's */
	r = vof_last("package-to-path");
	assert_non_null(r);
	assert_int_not_equal(r->cells[1], BUF_ADDR);
	assert_int_not_equal(r->args_addr, ARGS_ADDR);
	assert_int_equal(r->cells[0], PH_VTY);
}

static void package_to_path_truncates_to_buflen(void **state)
{
	(void)state;
	assert_int_equal(ci_callv("package-to-path", 3, 1, PH_VTY, BUF_ADDR, 4), 0);
	assert_int_equal(ret_cell(0), strlen(VTY_PATH));
	assert_memory_equal(ram(BUF_ADDR), "/vde", 4);
	assert_ram_fill(BUF_ADDR + 4, 64);
}

static void package_to_path_nul_only_when_it_fits(void **state)
{
	const size_t len = strlen(VTY_PATH);

	(void)state;
	assert_int_equal(ci_callv("package-to-path", 3, 1, PH_VTY, BUF_ADDR, len), 0);
	assert_int_equal(ret_cell(0), len);
	assert_memory_equal(ram(BUF_ADDR), VTY_PATH, len);
	assert_ram_fill(BUF_ADDR + len, 8);

	assert_int_equal(ci_callv("package-to-path", 3, 1, PH_VTY, BUF_ADDR + 0x100, len + 1), 0);
	assert_int_equal(ret_cell(0), len);
	assert_string_equal((const char *)ram(BUF_ADDR + 0x100), VTY_PATH);
	assert_ram_fill(BUF_ADDR + 0x100 + len + 1, 8);
}

static void package_to_path_length_query(void **state)
{
	(void)state;
	assert_int_equal(ci_callv("package-to-path", 3, 1, PH_ROOT, 0, 0), 0);
	assert_int_equal(ret_cell(0), 1);
	assert_int_equal(ci_callv("package-to-path", 3, 1, PH_MEMORY, 0, 0), 0);
	assert_int_equal(ret_cell(0), strlen("/memory@0"));
	assert_ram_fill(0, FW_OWN_START);
}

static void package_to_path_refuses_bad_buffers_and_phandles(void **state)
{
	uint8_t before[64];

	(void)state;
	memcpy(before, ram(0x1000), sizeof(before));
	assert_int_equal(ci_callv("package-to-path", 3, 1, PH_VTY, 0x1000, 64), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	assert_memory_equal(ram(0x1000), before, sizeof(before));
	assert_int_equal(ci_callv("package-to-path", 3, 1, PH_VTY, RAM_SIZE - 8, 64), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	assert_int_equal(vof_count("package-to-path"), 0);

	/* VOF does not know the phandle: -1, client buffer untouched */
	assert_int_equal(ci_callv("package-to-path", 3, 1, 0xdead, BUF_ADDR, 64), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	assert_ram_fill(BUF_ADDR, 64);
	vof.status = H_PARAMETER;
	assert_int_equal(ci_callv("package-to-path", 3, 1, PH_VTY, BUF_ADDR, 64), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	assert_ram_fill(BUF_ADDR, 64);
}

static void instance_to_path_is_bounced_too(void **state)
{
	(void)state;
	assert_int_equal(ci_callv("instance-to-path", 3, 1, IH_STDOUT, BUF_ADDR, 8), 0);
	assert_int_equal(ret_cell(0), strlen(VTY_PATH));
	assert_memory_equal(ram(BUF_ADDR), VTY_PATH, 8);
	assert_ram_fill(BUF_ADDR + 8, 64);
	assert_int_not_equal(vof_last("instance-to-path")->cells[1], BUF_ADDR);
}

/* ---- nextprop ---- */

static void nextprop_passes_the_client_buffer_to_vof(void **state)
{
	(void)state;
	assert_int_equal(ci_callv("nextprop", 3, 1, PH_ROOT, ram_str(STR_ADDR, ""),
				  BUF_ADDR), 0);
	assert_int_equal(ret_cell(0), 1);
	assert_string_equal((const char *)ram(BUF_ADDR), "#address-cells");
	/* a writable buffer goes to VOF as it is (no bounce) */
	assert_int_equal(vof_last("nextprop")->cells[2], BUF_ADDR);
}

/*
 * prev = 0 means the first property.  VOF would read a name at physical 0
 * (the firmware's first bytes) and end the walk at once; the forward module
 * hands it "" instead and gives the client its array back as it was.
 */
static void nextprop_null_prev_is_the_first(void **state)
{
	uint32_t to_vof;

	(void)state;
	assert_int_equal(ci_callv("nextprop", 3, 1, PH_ROOT, 0, BUF_ADDR), 0);
	assert_int_equal(ret_cell(0), 1);
	assert_string_equal((const char *)ram(BUF_ADDR), "#address-cells");
	to_vof = vof_last("nextprop")->cells[1];
	assert_int_not_equal(to_vof, 0);
	assert_non_null(guest_str(to_vof));
	assert_string_equal(guest_str(to_vof), "");
	assert_int_equal(ram_u32(ARGS_ADDR + 12 + 4), 0);	/* the client's prev cell */
}

static void nextprop_33_character_name(void **state)
{
	(void)state;
	assert_int_equal(ci_callv("nextprop", 3, 1, PH_ROOT,
				  ram_str(STR_ADDR, "#address-cells"), BUF_ADDR), 0);
	assert_int_equal(ret_cell(0), 1);
	assert_int_equal(strlen(LONG_PROP), 33);
	assert_string_equal((const char *)ram(BUF_ADDR), LONG_PROP);
}

static void nextprop_end_and_errors_leave_buffer_alone(void **state)
{
	(void)state;
	assert_int_equal(ci_callv("nextprop", 3, 1, PH_ROOT, ram_str(STR_ADDR, "model"),
				  BUF_ADDR), 0);
	assert_int_equal(ret_cell(0), 0);
	assert_int_equal(ci_callv("nextprop", 3, 1, PH_ROOT, ram_str(STR_ADDR, "nope"),
				  BUF_ADDR), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	assert_int_equal(ci_callv("nextprop", 3, 1, 0xdead, ram_str(STR_ADDR, ""), BUF_ADDR), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	vof.status = H_PARAMETER;
	assert_int_equal(ci_callv("nextprop", 3, 1, PH_ROOT, ram_str(STR_ADDR, ""), BUF_ADDR), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	assert_ram_fill(BUF_ADDR, 2 * VOF_NEXTPROP_WRITE);
}

static void nextprop_into_firmware_is_refused(void **state)
{
	uint8_t before[128];

	(void)state;
	memcpy(before, ram(0x1000), sizeof(before));
	assert_int_equal(ci_callv("nextprop", 3, 1, PH_ROOT, ram_str(STR_ADDR, ""), 0x1000), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	assert_memory_equal(ram(0x1000), before, sizeof(before));
	/* VOF may write 65 bytes: a buffer with less room before the firmware is refused */
	assert_int_equal(ci_callv("nextprop", 3, 1, PH_ROOT, ram_str(STR_ADDR, ""),
				  FW_OWN_START - 64), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	assert_int_equal(ci_callv("nextprop", 3, 1, PH_ROOT, ram_str(STR_ADDR, ""),
				  FW_OWN_START - 65), 0);
	assert_int_equal(ret_cell(0), 1);
}

/* ---- Methods forwarded by the "*" catch-all ---- */

static void call_method_unknown_locally_goes_to_vof(void **state)
{
	const struct vof_rec *r;

	(void)state;
	assert_int_equal(ci_callv("call-method", 3, 2,
				  ram_str(STR_ADDR, "ibm,client-architecture-support"),
				  IH_ROOT, 0x4000), 0);
	assert_int_equal(ret_cell(0), 0);
	assert_int_equal(ret_cell(1), 0);
	r = vof_last("call-method");
	assert_non_null(r);
	assert_int_equal(r->args_addr, ARGS_ADDR);
	assert_int_equal(r->cells[1], IH_ROOT);
	assert_int_equal(r->cells[2], 0x4000);
	/* QEMU builds VOF a new tree at CAS, without stdin: the guards put it back */
	r = vof_last("setprop");
	assert_non_null(r);
	assert_int_equal(r->cells[0], PH_CHOSEN);
	assert_string_equal(guest_str(r->cells[1]), "stdin");
	assert_memory_equal(vof.setprop_val, &(uint32_t){ IH_VTY2 }, 4);
	vof_log_clear();
	vof.has_stdin = true;	/* a CAS that left the tree alone: stdin is kept */
	assert_int_equal(ci_callv("call-method", 3, 2,
				  ram_str(STR_ADDR, "ibm,client-architecture-support"),
				  IH_ROOT, 0x4000), 0);
	assert_int_equal(vof_count("open") + vof_count("setprop"), 0);

	/* VOF's throw comes back as the catch-result */
	assert_int_equal(ci_callv("call-method", 2, 2, ram_str(STR_ADDR, "frob"), IH_ROOT), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	vof.status = H_PARAMETER;
	assert_int_equal(ci_callv("call-method", 2, 2, ram_str(STR_ADDR, "frob"), IH_ROOT), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
}

static void call_method_forwarded_without_returns(void **state)
{
	(void)state;
	assert_int_equal(ci_callv("call-method", 2, 0, ram_str(STR_ADDR, "frob"), IH_ROOT), 0);
	assert_int_equal(tail_cell(), TAIL_POISON);
	assert_int_equal(vof_count("call-method"), 1);
}

/* ---- The firmware-internal tree API (<vofkit/core/tree.h>) over VOF ---- */

static void tree_api_uses_firmware_buffers(void **state)
{
	uint32_t reg = 0, mem[2];

	(void)state;
	assert_int_equal(tree_find("/chosen", NULL), PH_CHOSEN);
	/* VOF's -1 becomes the API's "no node" */
	assert_int_equal(tree_find("/none", NULL), TREE_NO_NODE);
	assert_int_equal(tree_read_prop(PH_VTY, "reg", &reg, sizeof(reg)), 4);
	assert_int_equal(reg, VTY_REG);
	assert_int_equal(tree_read_prop(PH_ROOT, "model", NULL, 0), 10);
	assert_int_equal(tree_read_prop(PH_ROOT, "no-such-property", NULL, 0), -1);
	assert_int_equal(instance_to_package(IH_RTAS), PH_RTAS);
	assert_int_equal(instance_to_package(0xdead), 0);
	assert_int_equal(pairing_claim(0x4000000, 0x1000), 0);
	assert_int_equal(pairing_claim(0x100000000ull, 0x1000), -1);
	assert_int_equal(tree_setprop(PH_CHOSEN, "x", "abc", 4), 0);
	assert_string_equal(vof.setprop_val, "abc");
	/* exact-size read: the 16-byte reg into 8 bytes fails */
	assert_int_equal(tree_read_exact(PH_MEMORY, "reg", mem, sizeof(mem)), -1);
	assert_int_equal(tree_read_exact(PH_VTY, "reg", &reg, 4), 0);
	/* firmware requests are its own arrays, never the client's */
	assert_int_not_equal(vof_last("finddevice")->args_addr, ARGS_ADDR);
	assert_true(vof_last("finddevice")->args_addr >= RAM_SIZE);
}

static void tree_api_hcall_failure_is_failure(void **state)
{
	uint32_t reg = 0x1234;

	(void)state;
	vof.status = H_PARAMETER;
	assert_int_equal(tree_find("/chosen", NULL), TREE_NO_NODE);
	assert_int_equal(tree_read_prop(PH_VTY, "reg", &reg, 4), -1);
	assert_int_equal(tree_read_exact(PH_VTY, "reg", &reg, 4), -1);
	assert_int_equal(reg, 0x1234);
	hv.vof_client = NULL;		/* H_FUNCTION: no VOF at all */
	assert_int_equal(pairing_claim(0x4000000, 0x1000), -1);
}

/* ---- Guards: what VOF does not check ---- */

#define CLIENT_MEM	0x1000000u	/* in the harness's 64 MiB of RAM */

static void release_of_unclaimed_memory_never_reaches_vof(void **state)
{
	(void)state;
	/* VOF's own claim at 0 (QEMU would abort), the firmware's, nothing at all */
	assert_int_equal(ci_callv("release", 2, 0, 0, 0x2000), 0);
	assert_int_equal(ci_callv("release", 2, 0, 0x8000, 0x8000), 0);
	assert_int_equal(ci_callv("release", 2, 0, 0, 0), 0);
	assert_int_equal(ci_callv("release", 2, 0, CLIENT_MEM, 0x1000), 0);
	assert_int_equal(vof_count("release"), 0);

	/* only an exact match of the client's own claim goes through, once */
	assert_int_equal(ci_callv("claim", 3, 1, CLIENT_MEM, 0x2000, 0), 0);
	assert_int_equal(ret_cell(0), CLIENT_MEM);
	assert_int_equal(ci_callv("release", 2, 0, CLIENT_MEM, 0x1000), 0);
	assert_int_equal(ci_callv("release", 2, 0, CLIENT_MEM + 0x1000, 0x1000), 0);
	assert_int_equal(vof_count("release"), 0);
	assert_int_equal(ci_callv("release", 2, 0, CLIENT_MEM, 0x2000), 0);
	assert_int_equal(vof_count("release"), 1);
	assert_int_equal(vof_last("release")->args_addr, ARGS_ADDR);
	assert_int_equal(ci_callv("release", 2, 0, CLIENT_MEM, 0x2000), 0);
	assert_int_equal(vof_count("release"), 1);
	assert_false(vof.release_abort);
}

static void claim_outside_ram_is_refused_before_vof(void **state)
{
	const uint32_t top = (uint32_t)fw_ram_top;

	(void)state;
	assert_int_equal(ci_callv("claim", 3, 1, top - 0x1000, 0x2000, 0), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	assert_int_equal(ci_callv("claim", 3, 1, top, 0x1000, 0), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	assert_int_equal(ci_callv("claim", 3, 1, 0xfffff000u, 0x2000, 0), 0);	/* wraps */
	assert_int_equal(ret_cell(0), CI_ERR);
	assert_int_equal(ci_callv("claim", 3, 1, CLIENT_MEM, 0, 0), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	assert_int_equal(vof_count("claim"), 0);

	/* the last page of RAM is fine */
	assert_int_equal(ci_callv("claim", 3, 1, top - 0x1000, 0x1000, 0), 0);
	assert_int_equal(ret_cell(0), top - 0x1000);
	assert_int_equal(ci_callv("release", 2, 0, top - 0x1000, 0x1000), 0);
	assert_int_equal(vof_count("release"), 1);

	/* an aligned claim that would not fit is refused before VOF too */
	vof.avail[1] = top - 0x1000;	/* VOF's only free range: the last page */
	vof.avail[3] = 0x1000;
	vof.avail_len = 16;
	assert_int_equal(ci_callv("claim", 3, 1, 0, 0x2000, 0x1000), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	assert_int_equal(vof_count("claim"), 1);
}

static void claims_stay_below_2_gib(void **state)
{
	(void)state;
	fw_ram_top = 4ull << 30;
	/* VOF would sort a claim at or above 2 GiB before its claim at 0 and abort */
	assert_int_equal(ci_callv("claim", 3, 1, 0x7ffff000u, 0x2000, 0), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	assert_int_equal(ci_callv("claim", 3, 1, 0x80000000u, 0x1000, 0), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	assert_int_equal(ci_callv("claim", 3, 1, 0xfffff000u, 0x1000, 0), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	vof.avail[1] = 0x7fff0000u;	/* free from there to the end of RAM */
	vof.avail[3] = 0x80010000u;
	vof.avail_len = 16;
	assert_int_equal(ci_callv("claim", 3, 1, 0, 0x1000, 0x100000), 0);	/* -> 2 GiB */
	assert_int_equal(ret_cell(0), CI_ERR);
	assert_int_equal(vof_count("claim"), 0);
	/* up to 2 GiB is fine */
	assert_int_equal(ci_callv("claim", 3, 1, 0x7ffff000u, 0x1000, 0), 0);
	assert_int_equal(ret_cell(0), 0x7ffff000u);
	assert_int_equal(ci_callv("release", 2, 0, 0x7ffff000u, 0x1000), 0);
	assert_int_equal(vof_count("release"), 1);
	fw_ram_top = RAM_SIZE;
}

/*
 * The loader's release (decision 38) is VOF's release with 2 arguments and
 * no return, for exactly the start and size claimed: VOF frees only an
 * exact match.  Nothing above 4 GiB was ever claimed, so nothing is sent.
 */
static void pairing_release_is_vofs_release(void **state)
{
	const struct vof_rec *r;

	(void)state;
	assert_int_equal(pairing_claim(0x4000000, 0x1000), 0);
	pairing_release(0x4000000, 0x1000);
	r = vof_last("release");
	assert_non_null(r);
	assert_int_equal(r->nargs, 2);
	assert_int_equal(r->nret, 0);
	assert_int_equal(r->cells[0], 0x4000000);
	assert_int_equal(r->cells[1], 0x1000);
	pairing_release(0x100000000ull, 0x1000);
	assert_int_equal(vof_count("release"), 1);
}

/*
 * VOF would put an aligned claim at or above the end of the highest claim
 * ever made; the guards take the lowest aligned fit in VOF's "available"
 * and hand VOF an exact claim.
 */
static void aligned_claim_takes_the_lowest_free_fit(void **state)
{
	static const uint32_t avail[] = { 0, 0x2000, 0, 0x6000,			/* below 32 KiB */
					  0, CLIENT_MEM + 0x1234, 0, 0x20000,
					  0, AVAIL_LAST, 0, 0x1000000 };
	const struct vof_rec *r;

	(void)state;
	memcpy(vof.avail, avail, sizeof(avail));
	vof.avail_len = sizeof(avail);
	assert_int_equal(ci_callv("claim", 3, 1, 0xabcd, 0x3000, 0x10000), 0);
	assert_int_equal(ret_cell(0), CLIENT_MEM + 0x10000);
	/* VOF got an exact claim; the client's arguments are as it wrote them */
	r = vof_last("claim");
	assert_int_equal(r->cells[0], CLIENT_MEM + 0x10000);
	assert_int_equal(r->cells[1], 0x3000);
	assert_int_equal(r->cells[2], 0);
	assert_int_equal(ram_u32(ARGS_ADDR + 12), 0xabcd);
	assert_int_equal(ram_u32(ARGS_ADDR + 20), 0x10000);
	/* low memory first; the range must hold the whole claim */
	assert_int_equal(ci_callv("claim", 3, 1, 0, 0x1000, 0x1000), 0);
	assert_int_equal(ret_cell(0), 0x2000);
	assert_int_equal(ci_callv("claim", 3, 1, 0, 0x8000, 0x1000), 0);
	assert_int_equal(ret_cell(0), CLIENT_MEM + 0x2000);
	/* a candidate VOF refuses moves on to the next range */
	vof.claim_refused_at = 0x2000;
	vof_log_clear();
	assert_int_equal(ci_callv("claim", 3, 1, 0, 0x1000, 0x1000), 0);
	assert_int_equal(ret_cell(0), CLIENT_MEM + 0x2000);
	assert_int_equal(vof_count("claim"), 2);
	/* each is released with the base it got */
	assert_int_equal(ci_callv("release", 2, 0, CLIENT_MEM + 0x10000, 0x3000), 0);
	assert_int_equal(ci_callv("release", 2, 0, 0x2000, 0x1000), 0);
	assert_int_equal(ci_callv("release", 2, 0, CLIENT_MEM + 0x2000, 0x8000), 0);
	assert_int_equal(ci_callv("release", 2, 0, CLIENT_MEM + 0x2000, 0x1000), 0);
	assert_int_equal(vof_count("release"), 4);
	/* no fit, or no "available" to read: refused before VOF */
	vof_log_clear();
	assert_int_equal(ci_callv("claim", 3, 1, 0, 0x2000000, 0x1000), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	vof.no_available = true;
	assert_int_equal(ci_callv("claim", 3, 1, 0, 0x1000, 0x1000), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	assert_int_equal(vof_count("claim"), 0);
}

static void claims_beyond_the_table_fail(void **state)
{
	uint32_t i;

	(void)state;
	for (i = 0; i < 64; i++) {
		assert_int_equal(ci_callv("claim", 3, 1, CLIENT_MEM + i * 0x1000, 0x1000, 0), 0);
		assert_int_equal(ret_cell(0), CLIENT_MEM + i * 0x1000);
	}
	assert_int_equal(ci_callv("claim", 3, 1, CLIENT_MEM + i * 0x1000, 0x1000, 0), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	assert_int_equal(vof_count("claim"), 64);
	vof_log_clear();	/* the fake's log holds 64 requests */
	/* a release frees a slot */
	assert_int_equal(ci_callv("release", 2, 0, CLIENT_MEM, 0x1000), 0);
	assert_int_equal(ci_callv("claim", 3, 1, CLIENT_MEM + i * 0x1000, 0x1000, 0), 0);
	assert_int_equal(ret_cell(0), CLIENT_MEM + i * 0x1000);
	assert_int_equal(vof_count("release") + vof_count("claim"), 2);
	vof_log_clear();
	for (i = 1; i <= 64; i++)
		assert_int_equal(ci_callv("release", 2, 0, CLIENT_MEM + i * 0x1000, 0x1000), 0);
	assert_int_equal(vof_count("release"), 64);
	vof_log_clear();
	for (i = 1; i <= 64; i++)
		assert_int_equal(ci_callv("release", 2, 0, CLIENT_MEM + i * 0x1000, 0x1000), 0);
	assert_int_equal(vof_count("release"), 0);	/* all released already */
}

static void bad_phandles_are_refused(void **state)
{
	static const uint32_t bad[] = { 0, 0xffffffffu, 0xdeadbeefu };
	unsigned int i;

	(void)state;
	ram_str(STR_ADDR, "name");
	ram_str(STR2_ADDR, "");
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(ci_callv("child", 1, 1, bad[i]), 0);
		assert_int_equal(ret_cell(0), 0);
		assert_int_equal(ci_callv("parent", 1, 1, bad[i]), 0);
		assert_int_equal(ret_cell(0), 0);
		assert_int_equal(ci_callv("nextprop", 3, 1, bad[i], STR2_ADDR, BUF_ADDR), 0);
		assert_int_equal(ret_cell(0), CI_ERR);
		assert_ram_fill(BUF_ADDR, 64);
		if (bad[i]) {	/* peer(0) is the root */
			assert_int_equal(ci_callv("peer", 1, 1, bad[i]), 0);
			assert_int_equal(ret_cell(0), 0);
		}
		/* VOF checks these itself */
		assert_int_equal(ci_callv("getprop", 4, 1, bad[i], STR_ADDR, BUF_ADDR, 64), 0);
		assert_int_equal(ret_cell(0), CI_ERR);
		assert_int_equal(ci_callv("getproplen", 2, 1, bad[i], STR_ADDR), 0);
		assert_int_equal(ret_cell(0), CI_ERR);
		assert_int_equal(ci_callv("setprop", 4, 1, bad[i], STR_ADDR, STR2_ADDR, 1), 0);
		assert_int_equal(ret_cell(0), CI_ERR);
		assert_int_equal(ci_callv("package-to-path", 3, 1, bad[i], BUF_ADDR, 64), 0);
		assert_int_equal(ret_cell(0), CI_ERR);
	}
	assert_ram_fill(BUF_ADDR, 64);
	/* VOF's walk-on-from-the-root answers were never asked for */
	assert_int_equal(vof_count("child") + vof_count("parent") + vof_count("peer") +
			 vof_count("nextprop"), 0);

	/* good phandles (and peer(0)) still go through */
	assert_int_equal(ci_callv("peer", 1, 1, 0), 0);
	assert_int_equal(ci_callv("child", 1, 1, PH_ROOT), 0);
	assert_int_equal(ci_callv("parent", 1, 1, PH_CHOSEN), 0);
	assert_int_equal(ci_callv("nextprop", 3, 1, PH_CHOSEN, STR2_ADDR, BUF_ADDR), 0);
	assert_int_equal(ret_cell(0), 1);
	assert_string_equal((const char *)ram(BUF_ADDR), "stdout");
	assert_int_equal(vof_count("child") + vof_count("parent") + vof_count("peer") +
			 vof_count("nextprop"), 4);
}

static void chosen_stdin_is_a_second_console_instance(void **state)
{
	const struct vof_rec *r;

	(void)state;
	assert_int_equal(run_init("/chosen stdin"), 0);
	r = vof_last("open");
	assert_non_null(r);
	assert_string_equal(guest_str(r->cells[0]), VTY_PATH);
	r = vof_last("setprop");
	assert_non_null(r);
	assert_int_equal(r->cells[0], PH_CHOSEN);
	assert_string_equal(guest_str(r->cells[1]), "stdin");
	assert_int_equal(vof.setprop_len, 4);
	assert_memory_equal(vof.setprop_val, &(uint32_t){ IH_VTY2 }, 4);
}

static void no_console_no_stdin(void **state)
{
	(void)state;
	vof.no_stdout = true;
	assert_int_equal(run_init("/chosen stdin"), 0);
	assert_int_equal(vof_count("setprop") + vof_count("open"), 0);
	vof.no_stdout = false;
	vof.has_stdin = true;	/* one there already is kept */
	assert_int_equal(run_init("/chosen stdin"), 0);
	assert_int_equal(vof_count("setprop") + vof_count("open"), 0);
}

/*
 * VOF's tree has a fixed size; a claim once setprops have filled it makes
 * QEMU exit.  What the client's setprops add is counted (a new property:
 * value + 80; an existing one: the change of its length) up to 512 KiB.
 * Uses the budget up: runs near the end.
 */
static void setprop_growth_is_bounded(void **state)
{
	unsigned int i;

	(void)state;
	ram_str(STR_ADDR, "vofkit,fill");
	/* refused by VOF (bad phandle): not counted */
	for (i = 0; i < 300; i++)
		assert_int_equal(ci_callv("setprop", 4, 1, 0xdeadbeefu, STR_ADDR, BUF_ADDR, 2048), 0);
	/* a new name each time as far as VOF's getproplen can tell: 2048 + 80 */
	for (i = 0; i < (512u << 10) / 2128; i++) {
		assert_int_equal(ci_callv("setprop", 4, 1, PH_CHOSEN, STR_ADDR, BUF_ADDR, 2048), 0);
		assert_int_equal(ret_cell(0), 2048);
	}
	vof_log_clear();
	assert_int_equal(ci_callv("setprop", 4, 1, PH_CHOSEN, STR_ADDR, BUF_ADDR, 2048), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	assert_int_equal(vof_count("setprop"), 0);
	/*
	 * 800 bytes are left.  An existing property (the fake's stdout stays 4
	 * bytes long) counts only its growth, and shrinking it gives room back.
	 */
	ram_str(STR2_ADDR, "stdout");
	assert_int_equal(ci_callv("setprop", 4, 1, PH_CHOSEN, STR2_ADDR, BUF_ADDR, 0), 0);
	assert_int_equal(ret_cell(0), 0);				/* -4: 804 left */
	assert_int_equal(ci_callv("setprop", 4, 1, PH_CHOSEN, STR2_ADDR, BUF_ADDR, 4 + 805), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	assert_int_equal(ci_callv("setprop", 4, 1, PH_CHOSEN, STR2_ADDR, BUF_ADDR, 4 + 804), 0);
	assert_int_equal(ret_cell(0), 4 + 804);
	assert_int_equal(vof_count("setprop"), 2);
}

/*
 * VOF packs its tree at quiesce; a claim after it would make QEMU exit
 * (FDT_ERR_NOSPACE on "available").  quiesce is still forwarded, release
 * still works.  The guards remember quiesce for good: this test runs last.
 */
static void claim_after_quiesce_is_refused(void **state)
{
	(void)state;
	assert_int_equal(ci_callv("claim", 3, 1, CLIENT_MEM, 0x1000, 0), 0);
	assert_int_equal(ret_cell(0), CLIENT_MEM);
	assert_int_equal(ci_callv("quiesce", 0, 0), 0);
	assert_int_equal(vof_count("quiesce"), 1);
	vof_log_clear();
	assert_int_equal(ci_callv("claim", 3, 1, CLIENT_MEM + 0x1000, 0x1000, 0), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	assert_int_equal(ci_callv("claim", 3, 1, 0, 0x1000, 0x1000), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	assert_int_equal(vof_count("claim") + vof_count("getprop"), 0);
	assert_int_equal(ci_callv("release", 2, 0, CLIENT_MEM, 0x1000), 0);
	assert_int_equal(vof_count("release"), 1);
}

/* ---- Platform init ---- */

/* What fw_main does at reset: QEMU's r1 is 0x20 below its 32 KiB stack's top. */
static int forward_pairing_init(void)
{
	const struct fw_entry_regs regs = { .r3 = 0, .r4 = 0, .r1 = 0xffe0 };
	int rc = pairing_init(&regs);

	assert_int_equal(pairing_client_stack_top(), 0x10000);
	return rc;
}

static void platform_init_claims_bss_and_reads_ram_size(void **state)
{
	const struct vof_rec *r;

	(void)state;
	vof.mem_size = 0x10000000;
	assert_int_equal(forward_pairing_init(), 0);
	r = vof_last("claim");
	assert_non_null(r);
	assert_int_equal(r->cells[0],
			 (uint32_t)virt_to_phys(fake_fw_image + FAKE_IMAGE_END_OFF));
	assert_int_equal(r->cells[1], FAKE_FW_END_OFF - FAKE_IMAGE_END_OFF);
	assert_int_equal(r->cells[2], 0);
	assert_int_equal(fw_ram_top, 0x10000000);
}

static void platform_init_reports_claim_failure(void **state)
{
	(void)state;
	vof.claim_fails = true;
	vof.mem_size = 0x10000000;
	assert_int_equal(forward_pairing_init(), -1);
	assert_int_equal(fw_ram_top, RAM_SIZE);
	assert_non_null(strstr(hv.term_out, "cannot claim firmware memory"));
}

/* ---- test, in the forward configuration ---- */

static void test_service_sees_forwarded_and_local_services(void **state)
{
	(void)state;
	assert_int_equal(ci_callv("test", 1, 1, ram_str(STR_ADDR, "nextprop")), 0);
	assert_int_equal(ret_cell(0), 0);
	assert_int_equal(ci_callv("test", 1, 1, ram_str(STR_ADDR, "instantiate-rtas")), 0);
	assert_int_equal(ret_cell(0), CI_ERR);	/* a method, not a service */
	assert_int_equal(ci_callv("test", 1, 1, ram_str(STR_ADDR, "seek")), 0);
	assert_int_equal(ret_cell(0), CI_ERR);
	assert_int_equal(vof.nlog, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		SETUP(table_layers_local_services_over_forward),
		SETUP(init_table_is_sorted_by_level),
		SETUP(forward_hands_vof_the_client_array),
		SETUP(forward_hcall_failure_returns_minus_one),
		SETUP(forward_checks_counts_before_vof),
		SETUP(open_failure_becomes_zero),
		SETUP(getprop_into_client_ram),
		SETUP(getprop_into_firmware_is_refused_before_vof),
		SETUP(getprop_length_query_with_empty_buffer),
		SETUP(package_to_path_copies_path_and_nul),
		SETUP(package_to_path_truncates_to_buflen),
		SETUP(package_to_path_nul_only_when_it_fits),
		SETUP(package_to_path_length_query),
		SETUP(package_to_path_refuses_bad_buffers_and_phandles),
		SETUP(instance_to_path_is_bounced_too),
		SETUP(nextprop_passes_the_client_buffer_to_vof),
		SETUP(nextprop_null_prev_is_the_first),
		SETUP(nextprop_33_character_name),
		SETUP(nextprop_end_and_errors_leave_buffer_alone),
		SETUP(nextprop_into_firmware_is_refused),
		SETUP(call_method_unknown_locally_goes_to_vof),
		SETUP(call_method_forwarded_without_returns),
		SETUP(tree_api_uses_firmware_buffers),
		SETUP(tree_api_hcall_failure_is_failure),
		SETUP(pairing_release_is_vofs_release),
		SETUP(release_of_unclaimed_memory_never_reaches_vof),
		SETUP(claim_outside_ram_is_refused_before_vof),
		SETUP(claims_stay_below_2_gib),
		SETUP(aligned_claim_takes_the_lowest_free_fit),
		SETUP(claims_beyond_the_table_fail),
		SETUP(bad_phandles_are_refused),
		SETUP(chosen_stdin_is_a_second_console_instance),
		SETUP(no_console_no_stdin),
		SETUP(platform_init_claims_bss_and_reads_ram_size),
		SETUP(platform_init_reports_claim_failure),
		SETUP(test_service_sees_forwarded_and_local_services),
		SETUP(setprop_growth_is_bounded),	/* uses the setprop budget up */
		SETUP(claim_after_quiesce_is_refused),	/* last: quiesce is for good */
	};

	harness_init();
	return cmocka_run_group_tests_name("forward", tests, NULL, NULL);
}
