/* SPDX-License-Identifier: Apache-2.0 */
/* The spapr-vlan (l-lan) network driver (drivers/vio/llan.c) against a fake hypervisor that behaves as QEMU 7.2's. */

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
#include <vofkit/core/device.h>
#include <vofkit/core/init.h>
#include <vofkit/core/mem.h>
#include <vofkit/core/tree.h>
#include <vofkit/lib/byteorder.h>

/*
 * The fake does what QEMU 7.2's hw/net/spapr_llan.c does (facts from
 * docs/boot-sources §4.2): every address is an IOBA translated through
 * the device's own TCE table; H_REGISTER_LOGICAL_LAN checks the pages
 * and the rx-queue BD, writes the BDs into the buffer list and zeroes
 * the rest and the queue, and answers H_RESOURCE when already open;
 * H_ADD_LOGICAL_LAN_BUFFER keeps buffers in at most 5 pools by exact
 * size; a frame goes into the smallest buffer >= frame + 8, at +8, and
 * the queue entry carries the buffer's first 8 bytes, the length, offset
 * 8 and, written last, VALID plus a toggle bit that flips each wrap; a
 * frame no buffer fits is dropped (counter at buffer list + 4088); with
 * no buffer posted frames are held and delivered after the next add;
 * H_SEND_LOGICAL_LAN fails on a continue token, gathers BDs up to the
 * first without VALID and refuses more than 64 KiB.
 */

/* ---- guest memory, console, tree, heap ---- */

#define RAM_SIZE	(1u << 20)
static uint8_t ram[RAM_SIZE] __attribute__((aligned(4096)));
uint8_t *host_ram = ram;

/* Three l-lan nodes: a 6-byte MAC, an 8-byte one (two leading zeros), a broken one. */
#define VDEVICE		1u
#define NIC_A		2u
#define NIC_B		3u
#define NIC_BAD		4u
#define UNIT_A		0x71000002u
#define UNIT_B		0x71000003u
#define UNIT_BAD	0x71000004u

uint32_t tree_find(const char *path, const char **args_out)
{
	if (args_out)
		*args_out = NULL;
	return !strcmp(path, "/vdevice") ? VDEVICE : 0;
}

uint32_t tree_child(uint32_t ph)
{
	return ph == VDEVICE ? NIC_A : 0;
}

uint32_t tree_peer(uint32_t ph)
{
	return ph >= NIC_A && ph < NIC_BAD ? ph + 1 : 0;
}

int tree_read_prop(uint32_t ph, const char *name, void *buf, size_t len)
{
	static const char compat[] = "IBM,l-lan";
	static const uint8_t mac6[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	static const uint8_t mac8[8] = { 0, 0, 0x5c, 0x11, 0x22, 0x33, 0x44, 0x55 };
	static const uint8_t mac4[4] = { 1, 2, 3, 4 };
	uint32_t unit = ph == NIC_A ? UNIT_A : ph == NIC_B ? UNIT_B : UNIT_BAD;
	be32 reg = cpu_to_be32(unit);
	be32 win[5] = { cpu_to_be32(unit), 0, 0, 0, cpu_to_be32(0x10000000) };
	const void *val;
	size_t size;

	if (ph < NIC_A || ph > NIC_BAD)
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
	} else if (!strcmp(name, "local-mac-address")) {
		val = ph == NIC_A ? (const void *)mac6 : ph == NIC_B ? (const void *)mac8 : mac4;
		size = ph == NIC_A ? 6 : ph == NIC_B ? 8 : 4;
	} else {
		return -1;
	}
	memcpy(buf, val, len < size ? len : size);
	return (int)size;
}

int tree_valid(uint32_t ph)
{
	return ph >= VDEVICE && ph <= NIC_BAD;
}

static size_t heap_used = 0x10000;

void *fw_heap_alloc(size_t size, size_t align)
{
	size_t start = (heap_used + align - 1) & ~(align - 1);

	if (start + size > RAM_SIZE)
		return NULL;
	heap_used = start + size;
	memset(ram + start, 0xa5, size);	/* the driver must not rely on zeroed memory */
	return ram + start;
}

/* The driver may only turn TCE bypass off (decision 51). */
static unsigned int bypass_offs;

int32_t rtas_call(const char *name, unsigned int nargs, const uint32_t *args,
		  unsigned int nret, uint32_t *rets)
{
	(void)nret, (void)rets;
	assert_string_equal(name, "ibm,set-tce-bypass");
	assert_int_equal(nargs, 2);
	assert_int_equal(args[1], 0);
	bypass_offs++;
	return 0;
}

/* ---- the fake hypervisor, one state per unit ---- */

#define WINDOW_PAGES	0x100		/* the first 1 MiB of each window */
#define MAX_POOLS	5
#define POOL_MAX	4096
#define HELD_MAX	16

struct pool { uint32_t size, count; uint64_t bds[64]; };

struct frame { uint32_t len; uint8_t data[4096]; };

static struct lan {
	uint64_t tce[WINDOW_PAGES];
	int open;
	uint64_t buf_list, rxq_ptr;
	struct pool pools[MAX_POOLS];
	unsigned int npools, rx_bufs;
	struct frame held[HELD_MAX];	/* QEMU's net queue while no buffer is posted */
	unsigned int nheld;
	struct frame sent;
	unsigned int sends, regs, frees, h_resource, adds, drops;
	int lie_len;			/* next entry: a length beyond any buffer */
	int lie_handle;			/* next entry: a handle the driver never gave (2: the first past its buffers) */
	int lie_offset;			/* next entry: the frame at 4, inside the handle */
} hv[2];

static struct lan *lan_of(uint64_t unit)
{
	assert_true(unit == UNIT_A || unit == UNIT_B);
	return &hv[unit - UNIT_A];
}

/* IOBA -> host pointer through the unit's TCE table; NULL when a page is not mapped. */
static uint8_t *dma(struct lan *l, uint64_t ioba, uint32_t len, int write)
{
	uint64_t first = ioba >> 12, last = (ioba + len - 1) >> 12, p, phys0;

	if (!len || last >= WINDOW_PAGES)
		return NULL;
	phys0 = l->tce[first] & ~0xfffull;
	for (p = first; p <= last; p++) {
		uint64_t t = l->tce[p];

		if (!(t & (write ? 2 : 1)) || (t & ~0xfffull) != phys0 + ((p - first) << 12))
			return NULL;
	}
	return ram + phys0 + (ioba & 0xfff);
}

#define BD_VALID	0x8000000000000000ull
#define BD_TOGGLE	0x4000000000000000ull
#define BD_LEN(bd)	((uint32_t)((bd) >> 32) & 0xffffff)
#define BD_ADDR(bd)	((uint32_t)(bd))

static int64_t h_register(struct lan *l, uint64_t buf_list, uint64_t rxq_bd, uint64_t filter)
{
	uint8_t *bl, *q;

	l->regs++;
	if (l->open) {
		l->h_resource++;
		return H_RESOURCE;
	}
	if (buf_list & 0xfff || filter & 0xfff || !(rxq_bd & BD_VALID) ||
	    BD_ADDR(rxq_bd) & 15 || BD_LEN(rxq_bd) & 15 || !BD_LEN(rxq_bd))
		return H_PARAMETER;
	bl = dma(l, buf_list, 4096, 1);
	q = dma(l, BD_ADDR(rxq_bd), BD_LEN(rxq_bd), 1);
	if (!bl || !q || !dma(l, filter, 4096, 0))
		return H_PARAMETER;
	put_be64(bl, rxq_bd & ~BD_TOGGLE);
	put_be64(bl + 8, BD_VALID | 4096ull << 32 | filter);
	memset(bl + 16, 0, 4096 - 16);
	memset(q, 0, BD_LEN(rxq_bd));
	l->buf_list = buf_list;
	l->rxq_ptr = 0;
	l->npools = l->rx_bufs = 0;
	memset(l->pools, 0, sizeof(l->pools));
	l->open = 1;
	return H_SUCCESS;
}

static void deliver(struct lan *l, const uint8_t *data, uint32_t len);

static int64_t h_add_buffer(struct lan *l, uint64_t bd)
{
	unsigned int i;

	if (BD_ADDR(bd) & 3 || BD_LEN(bd) & 3 || BD_LEN(bd) < 16)
		return H_PARAMETER;
	if (!l->open)
		return H_RESOURCE;
	l->adds++;
	for (i = 0; i < l->npools && l->pools[i].size != BD_LEN(bd); i++)
		;
	if (i == l->npools) {
		if (l->npools == MAX_POOLS)
			return H_RESOURCE;
		l->pools[l->npools++].size = BD_LEN(bd);
	}
	assert_true(l->pools[i].count < 64);	/* the driver posts 32 */
	l->pools[i].bds[l->pools[i].count++] = bd;
	l->rx_bufs++;
	/* QEMU flushes its held packets (500 us later); here at once, in order. */
	while (l->nheld && l->rx_bufs) {
		struct frame f = l->held[0];

		memmove(l->held, l->held + 1, --l->nheld * sizeof(l->held[0]));
		deliver(l, f.data, f.len);
	}
	return H_SUCCESS;
}

/* A frame from the network. */
static void deliver(struct lan *l, const uint8_t *data, uint32_t len)
{
	struct pool *best = NULL;
	uint64_t bd, rxq_bd;
	uint8_t *bl, *buf, *entry;
	unsigned int i;

	if (!l->open || !l->rx_bufs) {
		/* can_receive false: QEMU queues the packet */
		assert_true(l->nheld < HELD_MAX);
		l->held[l->nheld].len = len;
		memcpy(l->held[l->nheld++].data, data, len);
		return;
	}
	bl = dma(l, l->buf_list, 4096, 1);
	assert_non_null(bl);
	for (i = 0; i < l->npools; i++)
		if (l->pools[i].count && l->pools[i].size >= len + 8 &&
		    (!best || l->pools[i].size < best->size))
			best = &l->pools[i];
	if (!best) {
		put_be64(bl + 4088, get_be64(bl + 4088) + 1);
		l->drops++;
		return;
	}
	bd = best->bds[--best->count];
	l->rx_bufs--;
	buf = dma(l, BD_ADDR(bd), len + 8, 1);
	assert_non_null(buf);
	memcpy(buf + 8, data, len);
	rxq_bd = get_be64(bl);
	entry = dma(l, BD_ADDR(rxq_bd) + l->rxq_ptr, 16, 1);
	assert_non_null(entry);
	memcpy(entry + 8, buf, 8);	/* the handle: the buffer's first 8 bytes */
	if (l->lie_handle)
		put_be64(entry + 8, l->lie_handle == 2 ? 32 : 0x1000000000ull | 32);
	put_be32(entry + 4, l->lie_len ? 4000 : len);
	put_be16(entry + 2, l->lie_offset ? 4 : 8);
	l->lie_len = l->lie_handle = l->lie_offset = 0;
	entry[0] = (uint8_t)(0x40 | (rxq_bd & BD_TOGGLE ? 0 : 0x80));
	l->rxq_ptr += 16;
	if (l->rxq_ptr >= BD_LEN(rxq_bd)) {
		l->rxq_ptr = 0;
		put_be64(bl, rxq_bd ^ BD_TOGGLE);
	}
}

static int64_t h_send(struct lan *l, const uint64_t args[9])
{
	uint32_t total = 0, i;

	if (!l->open)
		return H_DROPPED;
	if (args[7])
		return H_HARDWARE;	/* continue token */
	for (i = 1; i <= 6 && (args[i] & BD_VALID); i++) {
		const uint8_t *src = dma(l, BD_ADDR(args[i]), BD_LEN(args[i]), 0);

		if (total + BD_LEN(args[i]) > 65536)
			return H_RESOURCE;
		if (!src)
			return H_PARAMETER;
		memcpy(l->sent.data + total, src, BD_LEN(args[i]));
		total += BD_LEN(args[i]);
	}
	l->sent.len = total;
	l->sends++;
	return H_SUCCESS;
}

int64_t hcall_long(uint64_t opcode, const uint64_t args[9])
{
	struct lan *l = lan_of(args[0]);

	switch (opcode) {
	case H_REGISTER_LOGICAL_LAN:
		return h_register(l, args[1], args[2], args[3]);
	case H_ADD_LOGICAL_LAN_BUFFER:
		return h_add_buffer(l, args[1]);
	case H_SEND_LOGICAL_LAN:
		return h_send(l, args);
	case H_FREE_LOGICAL_LAN:
		if (!l->open)
			return H_RESOURCE;
		l->frees++;
		l->open = 0;
		l->npools = l->rx_bufs = 0;
		return H_SUCCESS;
	default:
		fail_msg("unexpected hcall 0x%llx", (unsigned long long)opcode);
	}
	return H_FUNCTION;
}

int64_t hcall(uint64_t opcode, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t out[4])
{
	struct lan *l = lan_of(a0);

	(void)a3, (void)out;
	if (opcode != H_PUT_TCE)
		fail_msg("unexpected hcall 0x%llx", (unsigned long long)opcode);
	if (a1 >= 0x10000000)
		return H_PARAMETER;
	if (a1 < WINDOW_PAGES * 0x1000ull)
		l->tce[a1 >> 12] = a2;
	return H_SUCCESS;
}

/* ---- running the driver ---- */

void fw_quiesce_devices(void)
{
	VK_TABLE_FOREACH(fw_quiesce, struct fw_quiesce_hook, h)
		h->fn();
}

static int any_tce(struct lan *l)
{
	unsigned int i;

	for (i = 0; i < WINDOW_PAGES; i++)
		if (l->tce[i])
			return 1;
	return 0;
}

static struct net_dev *nic_a, *nic_b;

static void make_frame(uint8_t *f, uint32_t len, uint32_t seq)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		f[i] = (uint8_t)(seq * 7 + i);
	put_be32(f, seq);
}

static void inject(struct lan *l, uint32_t len, uint32_t seq)
{
	uint8_t f[4096];

	make_frame(f, len, seq);
	deliver(l, f, len);
}

/* Receive one frame and check it is frame `seq` of `len` bytes. */
static void expect_frame(struct net_dev *d, uint32_t len, uint32_t seq)
{
	uint8_t want[4096], got[2048];

	make_frame(want, len, seq);
	memset(got, 0, sizeof(got));
	assert_int_equal(d->receive(d, got, sizeof(got)), (int)len);
	assert_memory_equal(got, want, len);
}

static int setup(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < 2; i++) {
		hv[i].sends = hv[i].regs = hv[i].frees = hv[i].h_resource = 0;
		hv[i].adds = hv[i].drops = 0;
		hv[i].lie_len = hv[i].lie_handle = 0;
	}
	capture_clear();
	fw_console_register(&capture_console);
	return 0;
}

/* Probe: both good nodes become network devices with their MACs, the broken one is skipped,
 * and nothing is opened yet. */
static void test_probe(void **state)
{
	static const uint8_t mac_a[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	static const uint8_t mac_b[6] = { 0x5c, 0x11, 0x22, 0x33, 0x44, 0x55 };

	(void)state;
	VK_TABLE_FOREACH(fw_init, struct fw_init_entry, e)
		if (!strcmp(e->name, "l-lan network devices"))
			e->fn();
	assert_int_equal(net_dev_count(), 2);
	nic_a = net_dev_of_phandle(NIC_A);
	nic_b = net_dev_of_phandle(NIC_B);
	assert_non_null(nic_a);
	assert_non_null(nic_b);
	assert_memory_equal(nic_a->mac, mac_a, 6);
	assert_memory_equal(nic_b->mac, mac_b, 6);
	assert_int_equal(nic_a->max_frame, 1518);
	assert_true(nic_a->link_up(nic_a));
	assert_true(capture_contains("l-lan@71000004: no valid local-mac-address; skipped"));
	/* One line per NIC found, so a boot log shows which NICs the firmware has. */
	assert_true(capture_contains("l-lan: l-lan@71000002: MAC 52:54:00:12:34:56\n"));
	assert_true(capture_contains("l-lan: l-lan@71000003: MAC 5c:11:22:33:44:55\n"));
	assert_false(capture_contains("l-lan@71000004: MAC"));
	assert_false(hv[0].open);
	assert_int_equal(hv[0].regs, 0);
	assert_false(any_tce(&hv[0]));
}

/* First use after an earlier stage left the LAN open: freed and registered again; the
 * frame goes out whole in one BD; 32 buffers of one size sit in one pool. */
static void test_reregister_and_send(void **state)
{
	uint8_t f[1518];

	(void)state;
	hv[0].open = 1;
	make_frame(f, 60, 1);
	assert_int_equal(nic_a->send(nic_a, f, 60), 0);
	assert_int_equal(hv[0].h_resource, 1);
	assert_int_equal(hv[0].regs, 2);
	assert_true(hv[0].open);
	assert_true(bypass_offs >= 1);
	assert_int_equal(hv[0].npools, 1);
	assert_int_equal(hv[0].pools[0].size, 2048);
	assert_int_equal(hv[0].rx_bufs, 32);
	assert_int_equal(hv[0].sends, 1);
	assert_int_equal(hv[0].sent.len, 60);
	assert_memory_equal(hv[0].sent.data, f, 60);

	make_frame(f, 1518, 2);
	assert_int_equal(nic_a->send(nic_a, f, 1518), 0);
	assert_int_equal(hv[0].sent.len, 1518);
	assert_memory_equal(hv[0].sent.data, f, 1518);
	assert_int_equal(hv[0].regs, 2);	/* opened once */
}

/* Frames the device class does not take are refused with one line, nothing sent. */
static void test_send_bounds(void **state)
{
	static uint8_t f[2000];

	(void)state;
	assert_int_equal(nic_a->send(nic_a, f, 1519), -1);
	assert_true(capture_contains("l-lan@71000002: cannot send a 1519-byte frame (14 to 1518)"));
	assert_int_equal(nic_a->send(nic_a, f, 13), -1);
	assert_int_equal(hv[0].sends, 0);
	assert_int_equal(nic_a->send(nic_a, f, 14), 0);
	assert_int_equal(hv[0].sends, 1);
}

/* Receive: nothing waiting is 0; a frame comes back from its buffer and the buffer is re-posted. */
static void test_receive(void **state)
{
	uint8_t buf[2048];

	(void)state;
	assert_int_equal(nic_a->receive(nic_a, buf, sizeof(buf)), 0);
	inject(&hv[0], 342, 10);
	assert_int_equal(hv[0].rx_bufs, 31);
	expect_frame(nic_a, 342, 10);
	assert_int_equal(hv[0].rx_bufs, 32);
	assert_int_equal(nic_a->receive(nic_a, buf, sizeof(buf)), 0);
	/* the largest frame a 2 KiB buffer holds behind its 8-byte handle */
	inject(&hv[0], 2040, 11);
	expect_frame(nic_a, 2040, 11);
	assert_int_equal(hv[0].drops, 0);
}

/* 200 frames one by one: the 64-entry queue wraps three times; a driver that did not flip
 * its toggle would stop after 64 or read stale entries again. */
static void test_toggle_wrap(void **state)
{
	uint8_t buf[2048];
	uint32_t i;

	(void)state;
	for (i = 0; i < 200; i++) {
		inject(&hv[0], 60 + i, 100 + i);
		expect_frame(nic_a, 60 + i, 100 + i);
		assert_int_equal(nic_a->receive(nic_a, buf, sizeof(buf)), 0);
	}
	assert_int_equal(hv[0].rx_bufs, 32);
	assert_int_equal(hv[0].drops, 0);
}

/* More frames than buffers before the firmware reads: 32 land, the rest wait in QEMU and follow
 * as buffers come back; all arrive once, in order. */
static void test_full_queue(void **state)
{
	uint8_t buf[2048];
	uint32_t i;

	(void)state;
	for (i = 0; i < 40; i++)
		inject(&hv[0], 100, 1000 + i);
	assert_int_equal(hv[0].rx_bufs, 0);
	assert_int_equal(hv[0].nheld, 8);
	for (i = 0; i < 40; i++)
		expect_frame(nic_a, 100, 1000 + i);
	assert_int_equal(nic_a->receive(nic_a, buf, sizeof(buf)), 0);
	assert_int_equal(hv[0].nheld, 0);
	assert_int_equal(hv[0].rx_bufs, 32);
}

/* A frame bigger than any buffer is dropped by QEMU; a length beyond the buffer, or an offset
 * inside its 8-byte handle, is ignored; a frame larger than the caller's buffer is refused; none of them costs a receive buffer.  An
 * entry with a foreign handle is skipped (its buffer cannot be known, so it stays out). */
static void test_bad_lengths(void **state)
{
	uint8_t small[64], buf[2048];
	uint8_t *bl = ram + (hv[0].tce[0] & ~0xfffull);

	(void)state;
	inject(&hv[0], 2041, 1);
	assert_int_equal(hv[0].drops, 1);
	assert_int_equal(get_be64(bl + 4088), 1);
	assert_int_equal(nic_a->receive(nic_a, buf, sizeof(buf)), 0);

	hv[0].lie_len = 1;
	inject(&hv[0], 100, 2);
	assert_int_equal(nic_a->receive(nic_a, buf, sizeof(buf)), 0);
	assert_true(capture_contains("l-lan@71000002: frame of 4000 bytes at 8 overruns its buffer; dropped"));
	assert_int_equal(hv[0].rx_bufs, 32);

	/* an offset inside the 8-byte handle: the frame would begin with our handle; dropped */
	hv[0].lie_offset = 1;
	inject(&hv[0], 100, 6);
	assert_int_equal(nic_a->receive(nic_a, buf, sizeof(buf)), 0);
	assert_true(capture_contains("l-lan@71000002: frame of 100 bytes at 4 overruns its buffer; dropped"));
	assert_int_equal(hv[0].rx_bufs, 32);

	/* a handle that is no buffer of ours: skipped, nothing read or re-posted from it */
	hv[0].lie_handle = 1;
	inject(&hv[0], 100, 5);
	assert_int_equal(nic_a->receive(nic_a, buf, sizeof(buf)), 0);
	assert_true(capture_contains("l-lan@71000002: receive queue entry with an unknown buffer; skipped"));
	assert_int_equal(hv[0].rx_bufs, 31);	/* that buffer is lost to the pool, not misused */
	/* handle 32: one past the last of the 32 buffers */
	hv[0].lie_handle = 2;
	capture_clear();
	inject(&hv[0], 100, 7);
	assert_int_equal(nic_a->receive(nic_a, buf, sizeof(buf)), 0);
	assert_true(capture_contains("l-lan@71000002: receive queue entry with an unknown buffer; skipped"));
	assert_int_equal(hv[0].rx_bufs, 30);

	inject(&hv[0], 100, 3);
	assert_int_equal(nic_a->receive(nic_a, small, sizeof(small)), -1);
	assert_true(capture_contains("l-lan@71000002: 100-byte frame does not fit a 64-byte buffer; dropped"));
	assert_int_equal(hv[0].rx_bufs, 30);

	inject(&hv[0], 100, 4);
	expect_frame(nic_a, 100, 4);
}

/* The second NIC talks on its own unit and window. */
static void test_second_nic(void **state)
{
	uint8_t f[60];

	(void)state;
	make_frame(f, 60, 77);
	assert_int_equal(nic_b->send(nic_b, f, 60), 0);
	assert_int_equal(hv[1].sends, 1);
	assert_int_equal(hv[1].regs, 1);
	assert_memory_equal(hv[1].sent.data, f, 60);
	inject(&hv[1], 90, 78);
	expect_frame(nic_b, 90, 78);
	assert_int_equal(hv[0].sends, 0);
}

/* Quiesce: both LANs closed and every TCE cleared; a later use opens the LAN afresh. */
static void test_quiesce(void **state)
{
	uint8_t f[60];

	(void)state;
	assert_true(hv[0].open && hv[1].open);
	fw_quiesce_devices();
	assert_false(hv[0].open);
	assert_false(hv[1].open);
	assert_int_equal(hv[0].frees, 1);
	assert_false(any_tce(&hv[0]));
	assert_false(any_tce(&hv[1]));

	make_frame(f, 60, 5);
	assert_int_equal(nic_a->send(nic_a, f, 60), 0);
	assert_int_equal(hv[0].h_resource, 0);
	inject(&hv[0], 70, 6);
	expect_frame(nic_a, 70, 6);
	fw_quiesce_devices();
	assert_false(hv[0].open);
	assert_false(any_tce(&hv[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_probe, setup),
		cmocka_unit_test_setup(test_reregister_and_send, setup),
		cmocka_unit_test_setup(test_send_bounds, setup),
		cmocka_unit_test_setup(test_receive, setup),
		cmocka_unit_test_setup(test_toggle_wrap, setup),
		cmocka_unit_test_setup(test_full_queue, setup),
		cmocka_unit_test_setup(test_bad_lengths, setup),
		cmocka_unit_test_setup(test_second_nic, setup),
		cmocka_unit_test_setup(test_quiesce, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
