/* SPDX-License-Identifier: Apache-2.0 */
/* Firmware-internal device-tree and memory API, implemented by the QEMU pairing. */
#ifndef VOFKIT_OF_H
#define VOFKIT_OF_H

#include <stdint.h>

/*
 * Services and drivers use these instead of talking to a tree directly.
 * Exactly one pairing module provides them:
 *   forward (x-vof=on): each call becomes a KVMPPC_H_VOF_CLIENT request;
 *   native (x-vof=off): the firmware's own tree and allocator.
 * Handles and return values follow IEEE 1275: -1 (OF_FAIL) for failure.
 */
#define OF_FAIL 0xffffffffu

uint32_t of_finddevice(const char *path);
/* Copies min(len, size) bytes, returns the full size or OF_FAIL. */
uint32_t of_getprop(uint32_t phandle, const char *name, void *buf, uint32_t len);
uint32_t of_getproplen(uint32_t phandle, const char *name);
uint32_t of_setprop(uint32_t phandle, const char *name, const void *buf, uint32_t len);
uint32_t of_instance_to_package(uint32_t ihandle);
/* Returns the claimed base, or OF_FAIL. */
uint32_t of_claim(uint32_t addr, uint32_t size, uint32_t align);

/* Read a property of exactly `len` bytes; returns 0 or -1. */
int of_getprop_exact(uint32_t phandle, const char *name, void *buf, uint32_t len);

#endif /* VOFKIT_OF_H */
