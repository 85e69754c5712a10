/* SPDX-License-Identifier: Apache-2.0 */
/* For host tests of net/ (unit.netstack, fuzz.dhcp, fuzz.tftp): a fake clock the test moves, and checksums computed apart from net/. */
#ifndef VOFKIT_TEST_NET_FAKES_H
#define VOFKIT_TEST_NET_FAKES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <vofkit/core/time.h>

/*
 * The clock moves only when the test moves fake_now_us (its fake NIC does,
 * on each empty poll), so timeouts and back-off are exact and a test takes
 * no real time.
 */
static uint64_t fake_now_us;

uint64_t time_ms(void)
{
	return fake_now_us / 1000;
}

uint64_t time_deadline_ms(uint32_t ms)
{
	return fake_now_us + (uint64_t)ms * 1000;
}

bool time_expired(uint64_t deadline)
{
	return fake_now_us > deadline;
}

/* The Internet checksum of p[0, len) added to `sum`, written here rather than taken from net/. */
static inline uint16_t ref_csum(const uint8_t *p, size_t len, uint32_t sum)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* A UDP datagram's checksum with the IPv4 pseudo-header (0 when the stored one is right). */
static inline uint16_t ref_udp_csum(uint32_t src, uint32_t dst, const uint8_t *udp, size_t len)
{
	uint32_t sum = (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + 17 + (uint32_t)len;

	return ref_csum(udp, len, sum);
}

#endif /* VOFKIT_TEST_NET_FAKES_H */
