/* SPDX-License-Identifier: Apache-2.0 */
/* Device-class registries (core/block_dev.c, core/net_dev.c): what drivers may register and how it is found. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <vofkit/core/device.h>
#include <vofkit/core/tree.h>

/* Nodes 1..999 exist; the registries must refuse anything else. */
int tree_valid(uint32_t phandle)
{
	return phandle >= 1 && phandle < 1000;
}

static int read_ok(struct block_dev *dev, uint64_t lba, uint32_t count, void *buf)
{
	return 0;
}

static int send_ok(struct net_dev *dev, const void *frame, size_t len)
{
	return 0;
}

static int receive_none(struct net_dev *dev, void *buf, size_t len)
{
	return 0;
}

/* Runs first: the registry is global state that only grows. */
static void block_devices_in_probe_order_until_full(void **state)
{
	static struct block_dev disks[BLOCK_DEVS_MAX + 1];
	struct block_dev no_read = { .phandle = 500, .block_size = 512 };
	struct block_dev no_size = { .phandle = 501, .read = read_ok };
	struct block_dev bad_node = { .phandle = 0, .block_size = 512, .read = read_ok };
	struct block_dev far_node = { .phandle = 5000, .block_size = 512, .read = read_ok };
	unsigned int i;

	(void)state;
	assert_int_equal(block_dev_count(), 0);
	assert_int_equal(block_dev_register(NULL), -1);
	assert_int_equal(block_dev_register(&no_read), -1);
	assert_int_equal(block_dev_register(&no_size), -1);
	assert_int_equal(block_dev_register(&bad_node), -1);
	assert_int_equal(block_dev_register(&far_node), -1);
	assert_int_equal(block_dev_count(), 0);
	for (i = 0; i <= BLOCK_DEVS_MAX; i++) {
		disks[i].phandle = 10 + i;
		disks[i].block_size = i & 1 ? 2048 : 512;
		disks[i].read = read_ok;
	}
	for (i = 0; i < BLOCK_DEVS_MAX; i++)
		assert_int_equal(block_dev_register(&disks[i]), (int)i);
	/* full: one more is refused, nothing is evicted */
	assert_int_equal(block_dev_register(&disks[BLOCK_DEVS_MAX]), -1);
	assert_int_equal(block_dev_count(), BLOCK_DEVS_MAX);
	for (i = 0; i < BLOCK_DEVS_MAX; i++) {
		assert_ptr_equal(block_dev_at(i), &disks[i]);
		assert_ptr_equal(block_dev_of_phandle(10 + i), &disks[i]);
	}
	assert_null(block_dev_at(BLOCK_DEVS_MAX));
	assert_null(block_dev_of_phandle(0));
	assert_null(block_dev_of_phandle(10 + BLOCK_DEVS_MAX));
}

static void a_node_has_one_net_device(void **state)
{
	struct net_dev a = { .phandle = 7, .send = send_ok, .receive = receive_none };
	struct net_dev b = { .phandle = 7, .send = send_ok, .receive = receive_none };
	struct net_dev c = { .phandle = 8, .send = send_ok, .receive = receive_none };
	struct net_dev no_rx = { .phandle = 9, .send = send_ok };

	(void)state;
	assert_int_equal(net_dev_register(&a), 0);
	assert_int_equal(net_dev_register(&b), -1);	/* same node twice */
	assert_int_equal(net_dev_register(&no_rx), -1);
	assert_int_equal(net_dev_register(&c), 1);
	assert_int_equal(net_dev_count(), 2);
	assert_ptr_equal(net_dev_of_phandle(7), &a);
	assert_ptr_equal(net_dev_at(1), &c);
	assert_null(net_dev_at(2));
	/* the two classes have separate registries */
	assert_null(block_dev_of_phandle(7));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(block_devices_in_probe_order_until_full),
		cmocka_unit_test(a_node_has_one_net_device),
	};

	return cmocka_run_group_tests_name("devices", tests, NULL, NULL);
}
