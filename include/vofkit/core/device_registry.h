/* SPDX-License-Identifier: Apache-2.0 */
/* One registry shape for every device class: devices in probe order, found by index or by tree node. */
#ifndef VOFKIT_CORE_DEVICE_REGISTRY_H
#define VOFKIT_CORE_DEVICE_REGISTRY_H

#include <stdint.h>

/*
 * Every device-class struct (<vofkit/core/device.h>) starts with its tree
 * node's phandle, so one registry serves them all; the class files only
 * check their own operations and give the type back.
 */
struct device_registry {
	void **slots;
	unsigned int count, max;
};

#define DEVICE_REGISTRY(name, capacity)                                 \
	static void *name##_slots[capacity];                            \
	static struct device_registry name = { name##_slots, 0, capacity }

/* Add a device whose first member is a valid, not yet registered node; its index or -1. */
int device_registry_add(struct device_registry *r, void *dev);
void *device_registry_at(const struct device_registry *r, unsigned int index);
void *device_registry_of_phandle(const struct device_registry *r, uint32_t phandle);

#endif /* VOFKIT_CORE_DEVICE_REGISTRY_H */
