/* SPDX-License-Identifier: Apache-2.0 */
/* Call log shared by the dispatcher tests' service and method handlers. */
#ifndef VOFKIT_UNIT_DISPATCH_LOG_H
#define VOFKIT_UNIT_DISPATCH_LOG_H

#include <vofkit/ci/ci.h>

/* Handlers append "tag " to the log in the order they run. */
extern char tlog_buf[512];
void tlog(const char *tag);
void tlog_reset(void);

/* What the last method handler saw. */
struct seen_method {
	uint32_t ihandle;
	unsigned int nin, nout;
	uint32_t in0;
};
extern struct seen_method seen_method;

/* Registrations: 9 in test_dispatch.c, 7 in dispatch_services.c, test, call-method. */
#define N_SERVICES	18
/* Methods: 4 in test_dispatch.c, 2 in dispatch_services.c. */
#define N_METHODS	6

/* A registered 63-character service name (the longest a client can call). */
#define NAME63 "long-name-0123456789-0123456789-0123456789-0123456789-012345678"

#endif
