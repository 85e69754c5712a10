/* SPDX-License-Identifier: Apache-2.0 */
/* Network instances: write and non-blocking read of one raw Ethernet frame on an opened NIC, for clients with their own stack (GRUB's ofnet). */

#include <stdbool.h>
#include <string.h>
#include <vofkit/ci/ci.h>
#include <vofkit/ci/instances.h>
#include <vofkit/core/device.h>
#include <vofkit/core/init.h>
#include <vofkit/core/mem.h>
#include <vofkit/lib/util.h>
#include "net_instances.h"

/*
 * `open` is the instance layer's: any path that names a registered NIC,
 * with any arguments.  GRUB always appends
 * ":speed=auto,duplex=auto,1.1.1.1,dummy,1.1.1.1,1.1.1.1,5,5,1.1.1.1,512"
 * (PowerVM's bootp arguments); nothing here reads them.  The driver
 * starts the device at the first frame, and `close` (the instance
 * layer's) leaves it running: every instance of a NIC shares its one
 * receive queue, and the drivers' quiesce hooks stop it before the OS.
 */

/* The shortest frame: one Ethernet header (destination, source, type). */
#define NET_FRAME_MIN	14u
/*
 * Frames are received here first, so a frame is never cut by the
 * client's buffer length (virtio-net would cut it, l-lan drop it): every
 * driver's largest frame (l-lan: 1518) fits.
 */
#define NET_RX_BUF	2048u

static uint8_t rx_frame[NET_RX_BUF];

/*
 * Set by the quiesce hook.  The drivers start a stopped device again at
 * its next send or receive (they restart after a failed send that way),
 * so a client that calls read or write on an instance it left open after
 * quiesce would hand the OS a running NIC that DMAs into its memory.
 */
static bool nics_quiesced;

struct net_dev *net_instance_nic(uint32_t ihandle)
{
	return net_dev_of_phandle(instance_to_package(ihandle));
}

bool net_instances_quiesced(void)
{
	return nics_quiesced;
}

/*
 * read ( ihandle addr len -- actual )
 *   in:  [0] ihandle of a NIC  [1] buffer (real address)  [2] its length
 *   out: [0] the length of the one frame copied to addr, without FCS;
 *        0 when no frame waits, or for len 0 (nothing is taken, as SLOF);
 *        -1 for a buffer that is not client RAM, a frame longer than len
 *        (the frame is dropped), a device error, or after quiesce.
 * Never waits: GRUB polls for up to 200 ms per packet and takes anything
 * not above 0 as "nothing yet" (SLOF's NIC drivers answer 0, as here;
 * its console's -2 is for keys).  A longer frame is dropped, not cut: a
 * cut frame would look whole to a client that trusts the Ethernet and
 * UDP lengths less than `actual`.  GRUB reads into max-frame-size + 64
 * bytes, which always holds a frame.
 */
static enum ci_result net_read(struct ci_call *c)
{
	struct net_dev *dev = net_instance_nic(ci_arg(c, 0));
	uint32_t buf = ci_arg(c, 1), len = ci_arg(c, 2);
	int n;

	if (!dev)
		return CI_DECLINE;
	if (nics_quiesced) {
		ci_trace_note("net: read after quiesce refused");
		return ci_fail(c);
	}
	if (!len) {
		ci_ret(c, 0, 0);
		return CI_DONE;
	}
	/* Checked before a frame is taken, so a bad buffer loses nothing. */
	if (!fw_mem_writable(buf, MIN(len, NET_RX_BUF))) {
		ci_trace_note("net: read buffer %x+%x is not client memory", buf, len);
		return ci_fail(c);
	}
	n = dev->receive(dev, rx_frame, sizeof(rx_frame));
	if (n < 0)
		return ci_fail(c);
	if ((uint32_t)n > len) {
		ci_trace_note("net: %d-byte frame does not fit %u bytes; dropped", n, len);
		return ci_fail(c);
	}
	memcpy(phys_to_virt(buf), rx_frame, (size_t)n);
	ci_ret(c, 0, (uint32_t)n);
	return CI_DONE;
}
CI_SERVICE(net_read, "read", net_read, 3, 1);

/*
 * write ( ihandle addr len -- actual )
 *   in:  [0] ihandle of a NIC  [1] one Ethernet frame without FCS  [2] its length
 *   out: [0] len once the frame is sent; -1 for a length outside 14 to the
 *        NIC's max-frame-size (0 included: there is no empty frame), a
 *        buffer that is not client RAM, a send error, or after quiesce.
 * The frame goes out as it is: the client builds the header with its
 * own MAC (mac-address) and pads it if it wants 60 bytes.
 */
static enum ci_result net_write(struct ci_call *c)
{
	struct net_dev *dev = net_instance_nic(ci_arg(c, 0));
	uint32_t buf = ci_arg(c, 1), len = ci_arg(c, 2);

	if (!dev)
		return CI_DECLINE;
	if (nics_quiesced) {
		ci_trace_note("net: write after quiesce refused");
		return ci_fail(c);
	}
	if (len < NET_FRAME_MIN || len > dev->max_frame) {
		ci_trace_note("net: a %u-byte frame is not %u to %u bytes", len, NET_FRAME_MIN,
			      dev->max_frame);
		return ci_fail(c);
	}
	if (!fw_mem_readable(buf, len)) {
		ci_trace_note("net: write buffer %x+%x is not client memory", buf, len);
		return ci_fail(c);
	}
	if (dev->send(dev, phys_to_virt(buf), len))
		return ci_fail(c);
	ci_ret(c, 0, len);
	return CI_DONE;
}
CI_SERVICE(net_write, "write", net_write, 3, 1);

/* Runs with the drivers' hooks, in any order: it only refuses later calls. */
static void net_instances_quiesce(void)
{
	nics_quiesced = true;
}
FW_QUIESCE(net_instances_quiesce);
