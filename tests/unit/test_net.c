/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the NIC names (net/nics.c) and the network instances' read/write (ci-services/net) over fake NICs and a fake tree. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <vofkit/ci/instances.h>
#include <vofkit/core/device.h>
#include <vofkit/core/init.h>
#include <vofkit/core/tree.h>
#include <vofkit/lib/byteorder.h>
#include <vofkit/lib/console.h>
#include "capture.h"
#include "harness.h"

/* ---- A fake tree: nodes by path, a few properties each ---- */

#define MAX_NODES	8
#define PATH_TREE_NODES	MAX_NODES
#define PATH_TREE_PROPS	16
#include "path_tree.h"

uint32_t tree_find(const char *path, const char **args_out)
{
	unsigned int i;

	if (args_out)
		*args_out = NULL;
	for (i = 0; i < nnodes; i++)
		if (!strcmp(nodes[i].path, path))
			return i + 1;
	return TREE_NO_NODE;
}

/* ---- Fake instances: ihandle IH_BASE + phandle, open unless closed ---- */

#define IH_BASE		0xf0000000u
static bool closed[MAX_NODES + 1];

uint32_t instance_to_package(uint32_t ihandle)
{
	uint32_t ph = ihandle - IH_BASE;

	return ihandle >= IH_BASE && node(ph) && !closed[ph] ? ph : 0;
}

void fw_quiesce_devices(void)
{
	VK_TABLE_FOREACH(fw_quiesce, struct fw_quiesce_hook, h)
		h->fn();
}

/* ---- Fake NICs: a queue of frames to receive, the last frame sent ---- */

struct fake_nic {
	struct net_dev nd;
	uint8_t queue[4][2048];
	int queue_len[4];
	unsigned int head, count;
	uint8_t sent[2048];
	size_t sent_len;
	unsigned int sends, receives;
	bool fail;
};

static struct fake_nic nic_a, nic_b;
static uint32_t ph_aliases, ph_a, ph_b, ph_other;

static int fake_send(struct net_dev *nd, const void *frame, size_t len)
{
	struct fake_nic *f = nd->priv;

	f->sends++;
	if (f->fail)
		return -1;
	assert_true(len <= sizeof(f->sent));
	memcpy(f->sent, frame, len);
	f->sent_len = len;
	return 0;
}

/* As the drivers do: whole frames, never more than the caller's length. */
static int fake_receive(struct net_dev *nd, void *buf, size_t len)
{
	struct fake_nic *f = nd->priv;
	int n;

	f->receives++;
	if (f->fail)
		return -1;
	if (!f->count)
		return 0;
	n = f->queue_len[f->head];
	assert_true((size_t)n <= len);
	memcpy(buf, f->queue[f->head], (size_t)n);
	f->head = (f->head + 1) % 4;
	f->count--;
	return n;
}

static void queue_frame(struct fake_nic *f, int len, uint8_t fill)
{
	unsigned int slot = (f->head + f->count) % 4;

	assert_true(f->count < 4);
	memset(f->queue[slot], fill, (size_t)len);
	f->queue_len[slot] = len;
	f->count++;
}

static void make_nic(struct fake_nic *f, uint32_t ph, uint8_t last, uint16_t max_frame)
{
	static const uint8_t mac[5] = { 0x52, 0x54, 0x00, 0x12, 0x34 };

	memset(f, 0, sizeof(*f));
	f->nd.phandle = ph;
	memcpy(f->nd.mac, mac, 5);
	f->nd.mac[5] = last;
	f->nd.max_frame = max_frame;
	f->nd.send = fake_send;
	f->nd.receive = fake_receive;
	f->nd.priv = f;
	assert_true(net_dev_register(&f->nd) >= 0);
}

static void run_init(const char *what)
{
	VK_TABLE_FOREACH(fw_init, struct fw_init_entry, e)
		if (!strcmp(e->name, what)) {
			assert_int_equal(e->fn(), 0);
			return;
		}
	fail_msg("%s is not in the init table", what);
}

/*
 * Two NICs as QEMU describes them: an l-lan with device_type and an
 * 8-byte local-mac-address, a virtio-net node with nothing (and a
 * too-small max-frame-size an earlier stage left).  /aliases already has
 * "net" for another device and "net2" naming the virtio NIC.
 */
static int group_setup(void **state)
{
	static const uint8_t mac8[8] = { 0, 0, 0x52, 0x54, 0x00, 0x12, 0x34, 0x0a };
	be32 small = cpu_to_be32(1500);

	(void)state;
	ph_aliases = add_node("/aliases");
	ph_a = add_node("/vdevice/l-lan@71000003");
	ph_b = add_node("/pci@800000020000000/ethernet@2");
	ph_other = add_node("/vdevice/vty@71000000");
	tree_setprop(ph_a, "device_type", "network", sizeof("network"));
	tree_setprop(ph_a, "local-mac-address", mac8, sizeof(mac8));
	tree_setprop(ph_b, "max-frame-size", &small, sizeof(small));
	tree_setprop(ph_aliases, "net", "/somewhere/else", sizeof("/somewhere/else"));
	tree_setprop(ph_aliases, "net2", "/pci@800000020000000/ethernet@2",
		     sizeof("/pci@800000020000000/ethernet@2"));
	make_nic(&nic_a, ph_a, 0x0a, 1518);
	make_nic(&nic_b, ph_b, 0x0b, 1514);
	run_init("network device names");
	harness_init();
	fw_console_register(&capture_console);
	return 0;
}

static int setup(void **state)
{
	(void)state;
	ram_reset();
	capture_clear();
	nic_a.fail = nic_b.fail = false;
	nic_a.count = nic_b.count = 0;
	nic_a.sends = nic_a.receives = 0;
	return 0;
}

static uint32_t be32_prop(uint32_t ph, const char *name)
{
	uint8_t v[4];

	assert_int_equal(tree_read_prop(ph, name, v, sizeof(v)), 4);
	return get_be32(v);
}

/* ---- nics.c ---- */

static void test_names_llan(void **state)
{
	static const uint8_t mac8[8] = { 0, 0, 0x52, 0x54, 0x00, 0x12, 0x34, 0x0a };
	int len;
	const char *v;

	(void)state;
	/* QEMU's 8-byte local-mac-address is kept; mac-address is the 6-byte MAC. */
	v = tree_getprop(ph_a, "local-mac-address", &len);
	assert_int_equal(len, 8);
	assert_memory_equal(v, mac8, 8);
	v = tree_getprop(ph_a, "mac-address", &len);
	assert_int_equal(len, 6);
	assert_memory_equal(v, nic_a.nd.mac, 6);
	assert_int_equal(be32_prop(ph_a, "max-frame-size"), 1518);
	/* "net" was taken by another device: the first NIC gets the next name. */
	assert_string_equal(tree_getprop(ph_aliases, "net", &len), "/somewhere/else");
	assert_string_equal(tree_getprop(ph_aliases, "net1", &len), "/vdevice/l-lan@71000003");
}

static void test_names_virtio(void **state)
{
	int len;
	const char *v;

	(void)state;
	assert_string_equal(tree_getprop(ph_b, "device_type", &len), "network");
	v = tree_getprop(ph_b, "local-mac-address", &len);
	assert_int_equal(len, 6);
	assert_memory_equal(v, nic_b.nd.mac, 6);
	v = tree_getprop(ph_b, "mac-address", &len);
	assert_int_equal(len, 6);
	assert_memory_equal(v, nic_b.nd.mac, 6);
	/* 1500 would make GRUB cut full-size frames. */
	assert_int_equal(be32_prop(ph_b, "max-frame-size"), 1514);
	/* An alias already names it: no second one. */
	assert_null(tree_getprop(ph_aliases, "net3", &len));
	assert_string_equal(tree_getprop(ph_aliases, "net2", &len),
			    "/pci@800000020000000/ethernet@2");
	assert_null(tree_getprop(ph_other, "device_type", &len));
}

/* ---- net_instances.c ---- */

#define IH_A	(IH_BASE + 2)	/* ph_a */
#define IH_OTHER (IH_BASE + 4)	/* ph_other: not a NIC */

static uint32_t call3(const char *svc, uint32_t ih, uint32_t buf, uint32_t len)
{
	assert_int_equal(ci_callv(svc, 3, 1, ih, buf, len), 0);
	return ret_cell(0);
}

static void test_write(void **state)
{
	uint8_t *buf = ram(BUF_ADDR);

	(void)state;
	memset(buf, 0x11, 2048);
	assert_int_equal(call3("write", IH_A, BUF_ADDR, 14), 14);
	assert_int_equal(nic_a.sent_len, 14);
	assert_int_equal(call3("write", IH_A, BUF_ADDR, 1518), 1518);
	assert_int_equal(nic_a.sent_len, 1518);
	assert_memory_equal(nic_a.sent, buf, 1518);
	assert_int_equal(nic_a.sends, 2);
	/* Lengths outside 14..max_frame, buffers outside RAM: nothing is sent. */
	assert_int_equal(call3("write", IH_A, BUF_ADDR, 0), CI_ERR);
	assert_int_equal(call3("write", IH_A, BUF_ADDR, 13), CI_ERR);
	assert_int_equal(call3("write", IH_A, BUF_ADDR, 1519), CI_ERR);
	assert_int_equal(call3("write", IH_A, RAM_SIZE - 10, 60), CI_ERR);
	assert_int_equal(call3("write", IH_A, 0xfffffff0u, 60), CI_ERR);
	assert_int_equal(nic_a.sends, 2);
	assert_true(strstr(capture_out, "1519-byte frame is not 14 to 1518 bytes"));
	/* A send error is -1. */
	nic_a.fail = true;
	assert_int_equal(call3("write", IH_A, BUF_ADDR, 60), CI_ERR);
}

static void test_read(void **state)
{
	uint8_t *buf = ram(BUF_ADDR);

	(void)state;
	/* Nothing waits: 0, at once. */
	assert_int_equal(call3("read", IH_A, BUF_ADDR, 1600), 0);
	queue_frame(&nic_a, 60, 0x21);
	queue_frame(&nic_a, 61, 0x22);
	queue_frame(&nic_a, 1518, 0x23);
	/* len 0, and a buffer over the firmware or past RAM, take nothing. */
	assert_int_equal(call3("read", IH_A, BUF_ADDR, 0), 0);
	assert_int_equal(call3("read", IH_A, FW_OWN_START, 1600), CI_ERR);
	assert_int_equal(call3("read", IH_A, RAM_SIZE - 100, 1600), CI_ERR);
	assert_int_equal(nic_a.count, 3);
	/* One whole frame per read, exactly its length. */
	assert_int_equal(call3("read", IH_A, BUF_ADDR, 60), 60);
	assert_int_equal(buf[0], 0x21);
	assert_int_equal(buf[59], 0x21);
	assert_int_equal(buf[60], RAM_FILL);
	/* A frame longer than the buffer is dropped (-1), not cut; nothing past the buffer changes. */
	assert_int_equal(call3("read", IH_A, BUF_ADDR + 0x1000, 60), CI_ERR);
	assert_int_equal(*(uint8_t *)ram(BUF_ADDR + 0x1000), RAM_FILL);
	assert_int_equal(nic_a.count, 1);
	assert_true(strstr(capture_out, "61-byte frame does not fit 60 bytes; dropped"));
	assert_int_equal(call3("read", IH_A, BUF_ADDR, 2000), 1518);
	assert_int_equal(buf[1517], 0x23);
	assert_int_equal(buf[1518], RAM_FILL);
	/* A device error is -1. */
	nic_a.fail = true;
	assert_int_equal(call3("read", IH_A, BUF_ADDR, 2000), CI_ERR);
}

/* Not a NIC, a bad ihandle, a closed instance: declined, so the dispatcher's -1. */
static void test_not_a_nic(void **state)
{
	(void)state;
	queue_frame(&nic_a, 60, 0x31);
	assert_int_equal(call3("read", IH_OTHER, BUF_ADDR, 2000), CI_ERR);
	assert_int_equal(call3("write", IH_OTHER, BUF_ADDR, 60), CI_ERR);
	assert_int_equal(call3("read", 0, BUF_ADDR, 2000), CI_ERR);
	assert_int_equal(call3("write", CI_ERR, BUF_ADDR, 60), CI_ERR);
	assert_int_equal(call3("read", ph_a, BUF_ADDR, 2000), CI_ERR);
	closed[ph_a] = true;
	assert_int_equal(call3("read", IH_A, BUF_ADDR, 2000), CI_ERR);
	assert_int_equal(call3("write", IH_A, BUF_ADDR, 60), CI_ERR);
	closed[ph_a] = false;
	assert_int_equal(nic_a.receives, 0);
	assert_int_equal(nic_a.sends, 0);
	assert_int_equal(nic_a.count, 1);
}

/* After quiesce the driver is never called again: it would start the NIC anew. */
static void test_quiesce(void **state)
{
	(void)state;
	queue_frame(&nic_a, 60, 0x41);
	fw_quiesce_devices();
	assert_int_equal(call3("read", IH_A, BUF_ADDR, 2000), CI_ERR);
	assert_int_equal(call3("write", IH_A, BUF_ADDR, 60), CI_ERR);
	assert_int_equal(nic_a.receives, 0);
	assert_int_equal(nic_a.sends, 0);
	assert_true(strstr(capture_out, "read after quiesce refused"));
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup(fn, setup)
	const struct CMUnitTest tests[] = {
		T(test_names_llan), T(test_names_virtio), T(test_write), T(test_read),
		T(test_not_a_nic), T(test_quiesce),	/* last: quiesce is for good */
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
