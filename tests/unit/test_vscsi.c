/* SPDX-License-Identifier: Apache-2.0 */
/* The VIO CRQ and spapr-vscsi transport (drivers/vio/) against a fake hypervisor that behaves as QEMU 7.2's. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "capture.h"
#include <arch/hcall.h>
#include <vofkit/core/init.h>
#include <vofkit/core/mem.h>
#include <vofkit/core/tree.h>
#include <vofkit/drivers/scsi.h>
#include <vofkit/lib/byteorder.h>
#include <vofkit/lib/console.h>

/*
 * The fake partner does what QEMU's spapr_vio.c and spapr_vscsi.c do:
 * every address the driver hands over is an IOBA translated through the
 * device's TCE table (an unmapped page is a DMA error), the SRP_RSP
 * overwrites the request IU and the CRQ entry carries the tag, a slot
 * whose byte 0 is not zero counts as full (the message is dropped), and
 * REPORT LUNS to LUN 0 lists every device on the bus in QEMU's form.
 */

/* ---- guest memory, console, tree, heap, time ---- */

#define RAM_SIZE	(1u << 20)
static uint8_t ram[RAM_SIZE] __attribute__((aligned(4096)));
uint8_t *host_ram = ram;

#define VDEVICE		1u
#define ADAPTER		2u
#define UNIT		0x71000003u

uint32_t tree_find(const char *path, const char **args_out)
{
	if (args_out)
		*args_out = NULL;
	return !strcmp(path, "/vdevice") ? VDEVICE : 0;
}

uint32_t tree_child(uint32_t ph)
{
	return ph == VDEVICE ? ADAPTER : 0;
}

uint32_t tree_peer(uint32_t ph)
{
	(void)ph;
	return 0;
}

int tree_read_prop(uint32_t ph, const char *name, void *buf, size_t len)
{
	static const char compat[] = "IBM,v-scsi";
	be32 reg = cpu_to_be32(UNIT);
	be32 win[5] = { cpu_to_be32(UNIT), 0, 0, 0, cpu_to_be32(0x10000000) };
	const void *val;
	size_t size;

	if (ph != ADAPTER)
		return -1;
	if (!strcmp(name, "compatible")) {
		val = compat;
		size = sizeof(compat);
	} else if (!strcmp(name, "reg")) {
		val = &reg;
		size = 4;
	} else if (!strcmp(name, "ibm,my-dma-window")) {
		val = win;
		size = sizeof(win);
	} else {
		return -1;
	}
	memcpy(buf, val, len < size ? len : size);
	return (int)size;
}

/* The heap lies in guest memory, above phys 0x10000. */
static size_t heap_used = 0x10000;

void *fw_heap_alloc(size_t size, size_t align)
{
	size_t start = (heap_used + align - 1) & ~(align - 1);

	if (start + size > RAM_SIZE / 2)
		return NULL;
	heap_used = start + size;
	memset(ram + start, 0, size);
	return ram + start;
}

/* Each poll of a deadline moves time 1 ms on: a lost answer times out at once. */
static uint64_t now_ms;

uint64_t time_deadline_ms(uint32_t ms)
{
	return now_ms + ms;
}

bool time_expired(uint64_t deadline)
{
	return ++now_ms > deadline;
}

/* The driver may only turn TCE bypass off (decision 51). */
static unsigned int bypass_offs;

int32_t rtas_call(const char *name, unsigned int nargs, const uint32_t *args,
		  unsigned int nret, uint32_t *rets)
{
	(void)nret, (void)rets;
	assert_string_equal(name, "ibm,set-tce-bypass");
	assert_int_equal(nargs, 2);
	assert_int_equal(args[0], UNIT);
	assert_int_equal(args[1], 0);
	bypass_offs++;
	return 0;
}

/* ---- the fake disk layer: records what the scan hands it ---- */

static uint64_t probed[64];
static unsigned int nprobed;

int scsi_disk_probe(struct scsi_host *host, uint64_t lun)
{
	(void)host;
	probed[nprobed++] = lun;
	return 1;
}

static struct scsi_host *the_host;

int scsi_report_luns(struct scsi_host *host, uint64_t lun, uint64_t *luns, unsigned int max)
{
	static uint8_t buf[1024];
	uint8_t cdb[12] = { 0xa0 };
	uint8_t sense[SCSI_SENSE_MAX];
	unsigned int i, n;

	the_host = host;
	put_be32(cdb + 6, sizeof(buf));
	if (host->exec(host, lun, cdb, 12, buf, sizeof(buf), sense) != SCSI_STATUS_GOOD)
		return -1;
	n = get_be32(buf) / 8;
	for (i = 0; i < n && i < max; i++)
		luns[i] = get_be64(buf + 8 + 8 * i);
	return (int)i;
}

/* ---- the fake hypervisor ---- */

struct dev { unsigned int ch, id, lun; };

static struct {
	uint64_t tce[0x100];		/* the first 1 MiB of the window */
	int crq_registered;
	uint64_t crq_ioba;
	uint32_t crq_next;
	int logged_in, logins, regs, frees, h_resource;
	struct dev devs[8];
	unsigned int ndevs;
	/* behaviour switches */
	int drop_cmds;			/* answer nothing to the next n commands */
	int stale_first;		/* post an answer with another tag before the real one */
	int report_luns_fails;		/* REPORT LUNS to the adapter: CHECK CONDITION */
	int check_condition;		/* next command: CHECK CONDITION 5/24/00 */
	int dma_errors;
	unsigned int cmds;
	uint8_t last_cdb0;
	uint64_t last_lun;
} hv;

/* IOBA -> host pointer through the TCE table; NULL when a page is not mapped. */
static uint8_t *dma(uint64_t ioba, uint32_t len, int write)
{
	uint64_t first = ioba >> 12, last = (ioba + len - 1) >> 12, p;
	uint64_t phys0;

	if (last >= 0x100)
		return NULL;
	phys0 = hv.tce[first] & ~0xfffull;
	for (p = first; p <= last; p++) {
		uint64_t t = hv.tce[p];

		/* The fake needs the pages physically contiguous, as the driver maps them. */
		if (!(t & (write ? 2 : 1)) || (t & ~0xfffull) != phys0 + ((p - first) << 12))
			return NULL;
	}
	return ram + phys0 + (ioba & 0xfff);
}

static void post(uint8_t b0, uint8_t b1, uint8_t status, uint16_t len, uint64_t lo)
{
	uint8_t *slot = dma(hv.crq_ioba + hv.crq_next, 16, 1);

	assert_non_null(slot);
	if (slot[0]) {
		hv.dma_errors++;	/* QEMU: "Error sending response" */
		return;
	}
	put_be64(slot + 8, lo);
	slot[1] = b1;
	slot[2] = 0;
	slot[3] = status;
	put_be16(slot + 6, len);
	slot[4] = slot[5] = 0;
	slot[0] = b0;
	hv.crq_next = (hv.crq_next + 16) % 0x1000;
}

static unsigned int unit_id(uint64_t lun, unsigned int *ch, unsigned int *id, unsigned int *l)
{
	uint16_t w = (uint16_t)(lun >> 48);

	if ((w >> 14) != 2)
		return 0;
	*id = (w >> 8) & 0x3f;
	*ch = (w >> 5) & 7;
	*l = w & 0x1f;
	return 1;
}

static int dev_at(uint64_t lun)
{
	unsigned int ch, id, l, i;

	if (!unit_id(lun, &ch, &id, &l))
		return lun == 0 && hv.ndevs && !hv.devs[0].ch && !hv.devs[0].id && !hv.devs[0].lun ? 0 : -1;
	for (i = 0; i < hv.ndevs; i++)
		if (hv.devs[i].ch == ch && hv.devs[i].id == id && hv.devs[i].lun == l)
			return (int)i;
	return -1;
}

static void srp_rsp(uint8_t *iu, uint64_t tag, uint8_t status, const uint8_t *sense)
{
	memset(iu, 0, 36 + 18);
	iu[0] = 0xC1;
	put_be32(iu + 4, 1);
	put_be64(iu + 8, tag);
	iu[19] = status;
	if (sense) {
		iu[18] = 0x02;
		put_be32(iu + 28, 18);
		memcpy(iu + 36, sense, 18);
	}
}

static void srp_cmd(uint8_t *iu, uint64_t tag)
{
	uint64_t lun = get_be64(iu + 20);
	uint8_t *cdb = iu + 32, out[512];
	uint32_t out_len = 0, want = 0;
	uint8_t sense[18] = { 0x70, 0, 0x05, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x24, 0 };
	int d = dev_at(lun), check = 0;
	unsigned int i;

	hv.cmds++;
	hv.last_cdb0 = cdb[0];
	hv.last_lun = lun;
	assert_true(hv.logged_in);		/* Linux's order: login first (decision 52) */
	if (hv.drop_cmds) {
		hv.drop_cmds--;
		return;
	}
	memset(out, 0, sizeof(out));
	if (cdb[0] == 0xa0 && lun == 0) {
		if (hv.report_luns_fails) {
			check = 1;
		} else {
			/* QEMU's vscsi_report_luns: target 0 channel 0 in the simple form */
			put_be32(out, 8 * hv.ndevs);
			for (i = 0; i < hv.ndevs; i++) {
				struct dev *v = &hv.devs[i];

				out[8 + 8 * i] = (uint8_t)((v->id || v->ch ? 0x80 : 0) | v->id);
				out[9 + 8 * i] = (uint8_t)(v->ch << 5 | v->lun);
			}
			out_len = 8 + 8 * hv.ndevs;
		}
	} else if (cdb[0] == 0xa0) {
		/* a target's own REPORT LUNS: its LUNs as 00 LL */
		unsigned int ch, id, l, n = 0;

		if (!unit_id(lun, &ch, &id, &l))
			check = 1;
		for (i = 0; !check && i < hv.ndevs; i++)
			if (hv.devs[i].ch == ch && hv.devs[i].id == id)
				out[9 + 8 * n++] = (uint8_t)hv.devs[i].lun;
		if (!n)
			check = 1;
		put_be32(out, 8 * n);
		out_len = 8 + 8 * n;
	} else if (cdb[0] == 0x12) {
		out[0] = d >= 0 ? 0x00 : 0x7f;
		memcpy(out + 8, "QEMU    QEMU HARDDISK   ", 24);
		out_len = 36;
	} else if (d < 0) {
		check = 1;
	}
	if (hv.check_condition) {
		hv.check_condition = 0;
		check = 1;
		sense[2] = 0x06;
		sense[12] = 0x29;
	}
	if (!check && out_len) {
		/* data-in: one direct descriptor at 48 */
		uint8_t *dst;

		assert_int_equal(iu[5], 0x01);
		assert_int_equal(iu[7], 1);
		want = get_be32(iu + 48 + 12);
		dst = dma(get_be64(iu + 48), want, 1);
		if (!dst) {
			hv.dma_errors++;
			srp_rsp(iu, tag, 0x02, sense);
			post(0x80, 0x01, 0, 36 + 18, tag);
			return;
		}
		memcpy(dst, out, out_len < want ? out_len : want);
	}
	if (hv.stale_first) {
		hv.stale_first = 0;
		post(0x80, 0x01, 0, 36, tag ^ 0x5555);
	}
	srp_rsp(iu, tag, check ? 0x02 : 0x00, check ? sense : NULL);
	post(0x80, 0x01, 0, check ? 36 + 18 : 36, tag);
}

int64_t hcall(uint64_t opcode, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t out[4])
{
	(void)a3, (void)out;
	switch (opcode) {
	case H_PUT_TCE:
		assert_int_equal(a0, UNIT);
		if (a1 >= 0x10000000)
			return H_PARAMETER;
		if (a1 < 0x100000)
			hv.tce[a1 >> 12] = a2;
		return H_SUCCESS;
	case H_REG_CRQ:
		assert_int_equal(a0, UNIT);
		hv.regs++;
		if (hv.crq_registered) {
			hv.h_resource++;
			return H_RESOURCE;
		}
		if (a1 & 0xfff || a2 < 0x1000)
			return H_PARAMETER;
		hv.crq_registered = 1;
		hv.crq_ioba = a1;
		hv.crq_next = 0;
		return H_SUCCESS;
	case H_FREE_CRQ:
		hv.frees++;
		hv.crq_registered = 0;
		hv.logged_in = 0;
		return H_SUCCESS;
	case H_SEND_CRQ: {
		uint8_t b0 = (uint8_t)(a1 >> 56), b1 = (uint8_t)(a1 >> 48);
		uint8_t *iu;

		if (!hv.crq_registered)
			return H_RESOURCE;
		if (b0 == 0xC0 && b1 == 0x01) {
			post(0xC0, 0x02, 0, 0, 0);
			return H_SUCCESS;
		}
		if (b0 != 0x80 || b1 != 0x01)
			return H_PARAMETER;
		iu = dma(a2, (uint32_t)(a1 & 0xffff), 1);
		if (!iu) {
			hv.dma_errors++;
			return H_SUCCESS;
		}
		if (iu[0] == 0x00) {		/* SRP_LOGIN_REQ */
			uint64_t tag = get_be64(iu + 8);

			hv.logins++;
			hv.logged_in = 1;
			memset(iu, 0, 52);
			iu[0] = 0xC0;
			put_be64(iu + 8, tag);
			post(0x80, 0x01, 0, 52, tag);
		} else if (iu[0] == 0x02) {
			srp_cmd(iu, get_be64(iu + 8));
		}
		return H_SUCCESS;
	}
	default:
		fail_msg("unexpected hcall 0x%llx", (unsigned long long)opcode);
	}
	return H_FUNCTION;
}

/* ---- running the driver ---- */

static void run_init(void)
{
	VK_TABLE_FOREACH(fw_init, struct fw_init_entry, e)
		if (!strcmp(e->name, "v-scsi adapters"))
			e->fn();
}

static void run_quiesce(void)
{
	fw_quiesce_devices();
}

/* core/main.c's, which the test does not link */
void fw_quiesce_devices(void)
{
	VK_TABLE_FOREACH(fw_quiesce, struct fw_quiesce_hook, h)
		h->fn();
}

static int any_tce(void)
{
	unsigned int i;

	for (i = 0; i < 0x100; i++)
		if (hv.tce[i])
			return 1;
	return 0;
}

static void add_dev(unsigned int ch, unsigned int id, unsigned int lun)
{
	hv.devs[hv.ndevs++] = (struct dev){ ch, id, lun };
}

/*
 * The tests run in order on the driver's state (it keeps its adapters for
 * the whole boot): between them only the counters, the bus and the
 * behaviour switches are reset, not the queue or the TCE table.
 */
static int setup(void **state)
{
	(void)state;
	hv.logins = hv.regs = hv.frees = hv.h_resource = hv.dma_errors = 0;
	hv.cmds = hv.ndevs = 0;
	hv.drop_cmds = hv.stale_first = hv.report_luns_fails = hv.check_condition = 0;
	nprobed = 0;
	capture_clear();
	fw_console_register(&capture_console);
	return 0;
}

/* The whole bus from one REPORT LUNS, in unit order, channel 1 and LUN 31 included. */
static void test_scan(void **state)
{
	(void)state;
	add_dev(1, 3, 2);
	add_dev(0, 63, 31);
	add_dev(0, 0, 0);
	add_dev(0, 2, 0);
	hv.crq_registered = 1;	/* left by an earlier stage: freed and registered again */
	run_init();
	assert_int_equal(hv.h_resource, 1);
	assert_int_equal(hv.logins, 1);
	assert_true(bypass_offs >= 1);
	assert_int_equal(nprobed, 4);
	assert_true(probed[0] == 0x8000000000000000ull);
	assert_true(probed[1] == 0x8200000000000000ull);
	assert_true(probed[2] == 0x8322000000000000ull);
	assert_true(probed[3] == 0xbf1f000000000000ull);
	assert_int_equal(hv.cmds, 1);
	assert_non_null(the_host);
	assert_true(the_host->max_transfer == 0x10000);
	assert_string_equal(the_host->name, "v-scsi@71000003");
	assert_int_equal(hv.dma_errors, 0);
}

/* REPORT LUNS refused by the adapter: every target of every channel is asked for its own. */
static void test_scan_fallback(void **state)
{
	(void)state;
	add_dev(0, 5, 1);
	add_dev(2, 7, 0);
	hv.report_luns_fails = 1;
	run_init();	/* a second adapter on the same unit: it takes the queue over */
	assert_true(capture_contains("v-scsi@71000003: the adapter cannot list its devices; probing every target"));
	assert_int_equal(nprobed, 2);
	assert_true(probed[0] == 0x8501000000000000ull);
	assert_true(probed[1] == 0x8740000000000000ull);
	assert_int_equal(hv.cmds, 1 + 8 * 64);
	assert_int_equal(hv.dma_errors, 0);
}

/* Commands: data lands in a buffer crossing pages, sense comes back, stale answers are skipped,
 * the queue wraps, a lost answer times out with one line and the adapter restarts. */
static void test_commands(void **state)
{
	struct scsi_host *h = the_host;
	uint8_t *buf = ram + 0x80000 + 0xff0;	/* straddles a page boundary */
	uint8_t cdb[6] = { 0x12, 0, 0, 0, 36, 0 }, tur[6] = { 0 };
	uint8_t sense[SCSI_SENSE_MAX];
	unsigned int i;

	(void)state;
	assert_non_null(h);
	add_dev(0, 0, 0);

	memset(buf, 0xee, 64);
	assert_int_equal(h->exec(h, 0x8000000000000000ull, cdb, 6, buf, 36, sense), 0);
	assert_memory_equal(buf + 8, "QEMU    ", 8);
	assert_int_equal(buf[36], 0xee);	/* nothing beyond the length */

	hv.check_condition = 1;
	assert_int_equal(h->exec(h, 0x8000000000000000ull, cdb, 6, buf, 36, sense), 2);
	assert_int_equal(sense[2], 0x06);
	assert_int_equal(sense[12], 0x29);

	hv.stale_first = 1;
	assert_int_equal(h->exec(h, 0x8000000000000000ull, cdb, 6, buf, 36, sense), 0);
	assert_memory_equal(buf + 8, "QEMU    ", 8);

	/* 300 commands: the 256-entry queue wraps; a slot left unzeroed would drop answers */
	for (i = 0; i < 300; i++)
		assert_int_equal(h->exec(h, 0x8000000000000000ull, tur, 6, NULL, 0, sense), 0);
	assert_int_equal(hv.dma_errors, 0);

	/* no answer: one line, the queue freed, nothing left mapped for a late completion */
	hv.drop_cmds = 1;
	i = (unsigned int)hv.frees;
	assert_int_equal(h->exec(h, 0x8000000000000000ull, cdb, 6, buf, 36, sense),
			 SCSI_ERR_TRANSPORT);
	assert_true(capture_contains(
		"v-scsi@71000003: SCSI command 0x12 to LUN 8000000000000000 timed out after 10 s; adapter reset"));
	assert_int_equal(hv.frees, i + 1);
	assert_false(any_tce());
	/* the next command sets the adapter up again: queue, handshake, login */
	assert_int_equal(h->exec(h, 0x8000000000000000ull, cdb, 6, buf, 36, sense), 0);
	assert_true(hv.crq_registered);
	assert_int_equal(hv.dma_errors, 0);

	/* too large for the data window */
	assert_int_equal(h->exec(h, 0x8000000000000000ull, cdb, 6, ram + 0x40000, 0x10001, sense),
			 SCSI_ERR_TRANSPORT);
}

/* Quiesce: CRQ freed and every TCE cleared, as Linux's ibmvscsi expects after a reset. */
static void test_quiesce(void **state)
{
	(void)state;
	assert_true(hv.crq_registered);
	assert_true(any_tce());
	run_quiesce();
	assert_true(hv.frees >= 1);
	assert_false(hv.crq_registered);
	assert_false(any_tce());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_scan, setup),
		cmocka_unit_test_setup(test_scan_fallback, setup),
		cmocka_unit_test_setup(test_commands, setup),
		cmocka_unit_test_setup(test_quiesce, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
