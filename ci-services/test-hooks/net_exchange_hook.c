/* SPDX-License-Identifier: Apache-2.0 */
/* Test-only CI service that sends a client's Ethernet frame on the first NIC and waits for a frame back. */

#include <stdint.h>
#include <vofkit/ci/ci.h>
#include <vofkit/core/device.h>
#include <vofkit/core/mem.h>
#include <vofkit/core/time.h>

/*
 * vofkit-test-net-exchange ( frame len buf max ms -- n )
 *   Sends frame[0..len) on the first registered network device (nothing
 *   when len is 0), then polls its receive for up to `ms` milliseconds and
 *   copies the first frame into buf[0..max).  n: the frame's length, 0 when
 *   none came, -1 on a send or receive error or without a NIC.  It lets a
 *   smoke test drive a network driver end to end (a DHCP exchange with
 *   QEMU's user networking) before a network boot source exists.
 *   Only in builds with CONFIG_CI_TEST_NET_HOOKS (a test variant, never a
 *   sample); client addresses are used as given.
 */
static enum ci_result ci_test_net_exchange(struct ci_call *c)
{
	struct net_dev *nd = net_dev_count() ? net_dev_at(0) : NULL;
	uint32_t len = ci_arg(c, 1), max = ci_arg(c, 3);
	uint64_t end;
	int n;

	if (!nd || (len && nd->send(nd, phys_to_virt(ci_arg(c, 0)), len)))
		return ci_fail(c);
	end = time_deadline_ms(ci_arg(c, 4));
	do {
		n = nd->receive(nd, phys_to_virt(ci_arg(c, 2)), max);
		if (n)
			break;
	} while (!time_expired(end));
	ci_ret(c, 0, (uint32_t)n);
	return CI_DONE;
}
CI_SERVICE(test_net_exchange, "vofkit-test-net-exchange", ci_test_net_exchange, 5, 1);
