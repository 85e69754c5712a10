/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by the forward module and its guards (ci-services/forward/): the one way a client's call reaches VOF. */
#ifndef VOFKIT_CI_FORWARD_H
#define VOFKIT_CI_FORWARD_H

#include <vofkit/ci/ci.h>

/*
 * Hand the client's own argument array to QEMU's VOF, which writes the
 * returns in place; -1 in the first return when VOF could not parse it.
 */
enum ci_result forward_as_is(struct ci_call *c);

/* The same for a method (call-method), with VOF's first return as the catch-result. */
enum ci_result forward_method(struct ci_method_call *m);

#endif
