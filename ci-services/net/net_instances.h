/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by the network instance modules (ci-services/net/): which NIC an instance is, and whether quiesce has stopped them. */
#ifndef VOFKIT_CI_NET_INSTANCES_H
#define VOFKIT_CI_NET_INSTANCES_H

#include <stdbool.h>
#include <stdint.h>
#include <vofkit/core/device.h>

/* The NIC an instance was opened on, or NULL (not a NIC, or not an open instance). */
struct net_dev *net_instance_nic(uint32_t ihandle);

/* True once quiesce ran: a NIC must not be touched again (the driver would restart it). */
bool net_instances_quiesced(void);

#endif
