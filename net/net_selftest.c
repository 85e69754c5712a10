/* SPDX-License-Identifier: Apache-2.0 */
/* Test builds only: at start-up, DHCP and one timed TFTP read of the boot file on every NIC (the stack's QEMU smoke test and speed check). */

#define pr_fmt(fmt) "net: self-test: " fmt

#include <vofkit/core/device.h>
#include <vofkit/core/init.h>
#include <vofkit/core/mem.h>
#include <vofkit/core/pairing.h>
#include <vofkit/lib/byteorder.h>
#include <vofkit/lib/log.h>
#include <vofkit/net/dhcp.h>
#include <vofkit/net/tftp.h>

/* 64 MiB at 64 MiB: a 45 MB kernel fits, and the guest needs only -m 256M. */
#define LOAD_ADDR	0x4000000ull
#define LOAD_MAX	0x4000000ull

static struct dhcp_lease lease;

/*
 * A digest the test recomputes from the file on the host: FNV-1a over
 * big-endian 64-bit words, the tail zero-padded.  Word-sized so 45 MB
 * take a fraction of a second under TCG.
 */
static uint64_t digest(const uint8_t *p, uint64_t len)
{
	uint64_t h = 0xcbf29ce484222325ull, w;
	uint64_t i;
	unsigned int k;

	for (i = 0; i + 8 <= len; i += 8)
		h = (h ^ get_be64(p + i)) * 0x100000001b3ull;
	if (i < len) {
		w = 0;
		for (k = 0; k < 8; k++)
			w = w << 8 | (i + k < len ? p[i + k] : 0);
		h = (h ^ w) * 0x100000001b3ull;
	}
	return h;
}

static void selftest_nic(unsigned int index, struct net_dev *dev)
{
	struct net_iface ifc;
	struct tftp_result res;
	const char *why;
	uint64_t rate, per_block;

	net_iface_init(&ifc, dev);
	if (dhcp_configure(&ifc, &lease, CONFIG_NET_DHCP_TIMEOUT_MS, &why)) {
		pr_info("NIC %u: %s\n", index, why);
		return;
	}
	pr_info("NIC %u: address " IPV4_FMT ", server " IPV4_FMT ", file \"%s\"%s\n", index,
		IPV4_ARGS(lease.client_ip), IPV4_ARGS(lease.server_ip), lease.bootfile,
		lease.bootp_only ? " (BOOTP)" : "");
	if (pairing_claim(LOAD_ADDR, LOAD_MAX)) {
		pr_err("cannot claim memory at 64 MiB for the file\n");
		return;
	}
	if (tftp_get(&ifc, lease.server_ip, lease.bootfile, phys_to_virt(LOAD_ADDR), LOAD_MAX,
		     &res)) {
		pr_info("NIC %u: %s (after %llu bytes)\n", index, res.error,
			(unsigned long long)res.size);
	} else {
		/* bytes per microsecond are (decimal) megabytes per second */
		rate = res.elapsed_us ? res.size * 100 / res.elapsed_us : 0;
		per_block = res.blocks ? res.elapsed_us / res.blocks : 0;
		pr_info("NIC %u: %llu bytes in %llu us, %llu.%llu%llu MB/s, %llu us a block (%u blocks of %u, %u retransmits, %u duplicates), digest %llx\n",
			index, (unsigned long long)res.size,
			(unsigned long long)res.elapsed_us, (unsigned long long)(rate / 100),
			(unsigned long long)(rate / 10 % 10), (unsigned long long)(rate % 10),
			(unsigned long long)per_block, res.blocks, res.blksize, res.retransmits,
			res.duplicates,
			(unsigned long long)digest(phys_to_virt(LOAD_ADDR), res.size));
	}
	pairing_release(LOAD_ADDR, LOAD_MAX);
}

static int net_selftest(void)
{
	unsigned int i;

	for (i = 0; i < net_dev_count(); i++)
		selftest_nic(i, net_dev_at(i));
	return 0;
}
FW_INIT(net_selftest, FW_INIT_SERVICE, "the network self-test");
