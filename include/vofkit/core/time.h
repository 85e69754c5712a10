/* SPDX-License-Identifier: Apache-2.0 */
/* Time from the timebase: milliseconds, deadlines and delays for polled drivers and the console. */
#ifndef VOFKIT_CORE_TIME_H
#define VOFKIT_CORE_TIME_H

#include <stdbool.h>
#include <stdint.h>

/* Timebase ticks per second: /cpus' timebase-frequency, else QEMU's 512 MHz. */
uint32_t time_tb_hz(void);

/* Milliseconds since the timebase started (boot). */
uint64_t time_ms(void);

/* A deadline `ms` from now, and whether it has passed (wrap-safe). */
uint64_t time_deadline_ms(uint32_t ms);
bool time_expired(uint64_t deadline);

/* Busy-wait (the firmware has nothing else to do while polling). */
void time_delay_ms(uint32_t ms);
void time_delay_us(uint32_t us);

#endif /* VOFKIT_CORE_TIME_H */
