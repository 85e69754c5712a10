/* SPDX-License-Identifier: Apache-2.0 */
/* OF client that measures the cost in ns per call of the CI tree, path and milliseconds services. */

/*
 * Booted with QEMU -kernel: the firmware jumps to 0x400000 in 32-bit
 * big-endian real mode with r5 = CI entry (see ci_cost.lds for the load
 * address).
 *
 * Why 32-bit C (-m32) and not 64-bit: the client is entered in 32-bit mode
 * and every CI cell and pointer is a 32-bit real address, so -m32 code calls
 * the entry as a plain function pointer, as GRUB does, without switching
 * MSR[SF] around each call (which would add to the measured cost and is
 * what ci_abi.S already covers).  It also survives QEMU's vof.bin, whose
 * entry loads its own r2 and does not restore it: the 32-bit SysV ABI
 * keeps r2 for the thread pointer and gcc never uses it here, whereas a
 * 64-bit ELF client keeps its TOC in r2.  vof.bin also runs on the client's
 * stack, so the client brings a 64 KiB one (ci_cost.lds).
 *
 * finddevice is timed twice: for the first CPU node's path and, as
 * "finddevice-last-cpu", for the last one's (see prep_finddevice_last).
 *
 * For each service it makes a warm-up of WARMUP calls, then CALLS calls in
 * BATCHES equal batches, reading the timebase (mftb) around each batch; the
 * figure printed is the median batch, in ns per call, converted with the
 * timebase-frequency of the first CPU node.  Every call's r3 and result is
 * checked; a failure prints "CI-COST: FAIL <service> ..." instead of a time.
 *
 * Output lines (parsed by tests/clients/CMakeLists.txt and bench/ci_cost.py):
 *   CI-COST: INFO ...
 *   CI-COST: <service> <ns> ns (<calls> calls; batches <min>-<max> ns)
 *   CI-COST: FAIL <service> <detail>
 *   CI-COST: DONE <n> services, <f> failed
 *
 * Console: CI write on /chosen/stdout.  QEMU's VOF (vof.bin) accepts the
 * write but prints nothing and returns 0 ("no backend(s) yet" in
 * hw/ppc/vof.c), so when write returns anything but the length the client
 * prints through H_PUT_TERM_CHAR on the stdout vty itself.  Such a firmware
 * is treated as QEMU's VOF for the exit as well: VOF's exit only pauses the
 * VM, so the client powers off with RTAS power-off through KVMPPC_H_RTAS
 * instead; with every other firmware it calls CI exit.
 *
 * The call count can be changed with "ci_cost.calls=N" in -append
 * (/chosen/bootargs), rounded down to a multiple of BATCHES.
 *
 * The entry (_start, stack, .bss), the CI call helpers, the console with
 * its H_PUT_TERM_CHAR fallback and the power-off are in client_lib.c,
 * shared with conformance.c.
 */

#include "client_lib.h"

#define CALLS_DEFAULT	2000
#define CALLS_MAX	1000000
#define BATCHES		5
#define WARMUP		100
#define PATH_BUF	256	/* VOF ignores the length of the path services */
#define PROP_BUF	80	/* VOF's nextprop writes up to 65 bytes */

/* ---------------------------------------------------------- timebase */

/*
 * The 64-bit timebase read as two 32-bit halves (-m32), with the usual
 * upper/lower/upper retry across a carry.  mfspr 268/269 rather than the
 * old mftb opcode.
 */
static uint64_t read_tb(void)
{
	uint32_t hi, lo, hi2;

	do {
		__asm__ volatile("mfspr %0, 269" : "=r"(hi));
		__asm__ volatile("mfspr %0, 268" : "=r"(lo));
		__asm__ volatile("mfspr %0, 269" : "=r"(hi2));
	} while (hi != hi2);
	return ((uint64_t)hi << 32) | lo;
}

/* 64-bit division without libgcc's __udivdi3 (the client links nothing). */
static uint64_t udiv64(uint64_t n, uint64_t d)
{
	uint64_t q = 0, r = 0;
	int i;

	for (i = 63; i >= 0; i--) {
		r = (r << 1) | ((n >> i) & 1);
		if (r >= d) {
			r -= d;
			q |= (uint64_t)1 << i;
		}
	}
	return q;
}

/* ---------------------------------------------------------- the services */

/* What the measured calls must return, found before any timing. */
static uint32_t tb_freq, tb_len;
static uint32_t root_ph, cpus_ph, cpu_ph, last_cpu_ph, chosen_ph;
static uint32_t child_want, peer_want, p2p_want, i2p_want, ms_last;
static char cpu_path[PATH_BUF], last_cpu_path[PATH_BUF];
static char path_buf[PATH_BUF];
static char prop_buf[2][PROP_BUF];
static int prop_cur;
static uint32_t getprop_val[2];
static const char s_tbfreq[] = "timebase-frequency";
static const char s_empty[] = "";

struct svc {
	const char *name;	/* what the output line calls it */
	const char *service;	/* the CI service */
	uint32_t nargs;
	/* Fill the argument cells (called once, before the warm-up). */
	void (*prepare)(struct ci_args *a);
	/* 0 if the result is right; may update the arguments (nextprop walk). */
	int (*check)(struct ci_args *a);
};

static void prep_getprop(struct ci_args *a)
{
	a->cell[0] = cpu_ph;
	a->cell[1] = cell(s_tbfreq);
	a->cell[2] = cell(getprop_val);
	a->cell[3] = sizeof(getprop_val);
}

static int chk_getprop(struct ci_args *a)
{
	return a->cell[4] != tb_len || getprop_val[0] != tb_freq;
}

static void prep_getproplen(struct ci_args *a)
{
	a->cell[0] = cpu_ph;
	a->cell[1] = cell(s_tbfreq);
}

static int chk_getproplen(struct ci_args *a)
{
	return a->cell[2] != tb_len;
}

/* nextprop walks the first CPU node's properties round and round, as Linux's flattening walks them. */
static void prep_nextprop(struct ci_args *a)
{
	prop_cur = 0;
	a->cell[0] = cpu_ph;
	a->cell[1] = cell(s_empty);
	a->cell[2] = cell(prop_buf[prop_cur]);
}

static int chk_nextprop(struct ci_args *a)
{
	uint32_t r = a->cell[3];

	if (r == 1) {
		if (!prop_buf[prop_cur][0])
			return 1;
		a->cell[1] = cell(prop_buf[prop_cur]);
		prop_cur ^= 1;
		a->cell[2] = cell(prop_buf[prop_cur]);
		return 0;
	}
	if (r == 0) {		/* past the last property: start again */
		a->cell[1] = cell(s_empty);
		return 0;
	}
	return 1;
}

static void prep_finddevice(struct ci_args *a)
{
	a->cell[0] = cell(cpu_path);
}

static int chk_finddevice(struct ci_args *a)
{
	return a->cell[1] != cpu_ph;
}

/*
 * The first CPU is the first child of /cpus, so finding it costs the same
 * at any -smp; the last CPU is where a search of the siblings one by one
 * shows the CPU count (the same node as the first at -smp 1).
 */
static void prep_finddevice_last(struct ci_args *a)
{
	a->cell[0] = cell(last_cpu_path);
}

static int chk_finddevice_last(struct ci_args *a)
{
	return a->cell[1] != last_cpu_ph;
}

static void prep_child(struct ci_args *a)
{
	a->cell[0] = cpus_ph;
}

static int chk_child(struct ci_args *a)
{
	return a->cell[1] != child_want;
}

static void prep_peer(struct ci_args *a)
{
	a->cell[0] = cpu_ph;
}

static int chk_peer(struct ci_args *a)
{
	return a->cell[1] != peer_want;
}

static int chk_parent(struct ci_args *a)
{
	return a->cell[1] != cpus_ph;
}

static void prep_p2p(struct ci_args *a)
{
	a->cell[0] = cpu_ph;
	a->cell[1] = cell(path_buf);
	a->cell[2] = sizeof(path_buf);
}

static int chk_p2p(struct ci_args *a)
{
	return a->cell[3] != p2p_want;
}

static void prep_i2p(struct ci_args *a)
{
	a->cell[0] = stdout_ih;
	a->cell[1] = cell(path_buf);
	a->cell[2] = sizeof(path_buf);
}

static int chk_i2p(struct ci_args *a)
{
	return a->cell[3] != i2p_want;
}

static void prep_none(struct ci_args *a)
{
	(void)a;
}

static int chk_ms(struct ci_args *a)
{
	uint32_t now = a->cell[0];

	if (now < ms_last)
		return 1;
	ms_last = now;
	return 0;
}

static const struct svc services[] = {
	{ "getprop", "getprop", 4, prep_getprop, chk_getprop },
	{ "getproplen", "getproplen", 2, prep_getproplen, chk_getproplen },
	{ "nextprop", "nextprop", 3, prep_nextprop, chk_nextprop },
	{ "finddevice", "finddevice", 1, prep_finddevice, chk_finddevice },
	{ "finddevice-last-cpu", "finddevice", 1, prep_finddevice_last, chk_finddevice_last },
	{ "child", "child", 1, prep_child, chk_child },
	{ "peer", "peer", 1, prep_peer, chk_peer },
	{ "parent", "parent", 1, prep_peer, chk_parent },
	{ "package-to-path", "package-to-path", 3, prep_p2p, chk_p2p },
	{ "instance-to-path", "instance-to-path", 3, prep_i2p, chk_i2p },
	{ "milliseconds", "milliseconds", 0, prep_none, chk_ms },
};
#define NSERVICES (sizeof(services) / sizeof(services[0]))

static void fail_line(const char *what, const char *detail, uint32_t v)
{
	put_str("CI-COST: FAIL ");
	put_str(what);
	put_str(" ");
	put_str(detail);
	put_hex(v);
	put_ch('\n');
}

/*
 * n calls of one service with the same argument array.  Returns 0, or 1
 * after printing a FAIL line for the first bad call.
 */
static int call_loop(const struct svc *s, struct ci_args *a, uint32_t n, uint64_t *ticks)
{
	uint64_t t0, t1;
	uint32_t i;
	int32_t r3;

	t0 = read_tb();
	for (i = 0; i < n; i++) {
		r3 = ci(a);
		if (r3 != 0 || s->check(a)) {
			put_str("CI-COST: FAIL ");
			put_str(s->name);
			put_str(" call ");
			put_dec(i + 1);
			put_str(r3 != 0 ? ": r3 = " : ": unexpected result ");
			put_hex(r3 != 0 ? (uint32_t)r3 : a->cell[s->nargs]);
			put_ch('\n');
			return 1;
		}
	}
	t1 = read_tb();
	*ticks = t1 - t0;
	return 0;
}

/* ns per call for `ticks` timebase ticks over `calls` calls, rounded. */
static uint32_t ns_per_call(uint64_t ticks, uint32_t calls)
{
	uint64_t den = (uint64_t)tb_freq * calls;

	return (uint32_t)udiv64(ticks * 1000000000ull + den / 2, den);
}

static int measure(const struct svc *s, uint32_t calls)
{
	struct ci_args a;
	uint64_t ticks[BATCHES], t;
	uint32_t per = calls / BATCHES, i, j;

	memset(&a, 0, sizeof(a));
	a.service = cell(s->service);
	a.nargs = s->nargs;
	a.nret = 1;
	s->prepare(&a);
	if (call_loop(s, &a, WARMUP, &t))
		return 1;
	for (i = 0; i < BATCHES; i++)
		if (call_loop(s, &a, per, &ticks[i]))
			return 1;
	for (i = 1; i < BATCHES; i++)		/* insertion sort: the median batch */
		for (j = i; j > 0 && ticks[j - 1] > ticks[j]; j--) {
			t = ticks[j];
			ticks[j] = ticks[j - 1];
			ticks[j - 1] = t;
		}
	put_str("CI-COST: ");
	put_str(s->name);
	put_ch(' ');
	put_dec(ns_per_call(ticks[BATCHES / 2], per));
	put_str(" ns (");
	put_dec(per * BATCHES);
	put_str(" calls; batches ");
	put_dec(ns_per_call(ticks[0], per));
	put_ch('-');
	put_dec(ns_per_call(ticks[BATCHES - 1], per));
	put_str(" ns)\n");
	return 0;
}

/* ---------------------------------------------------------- setup */

/* "ci_cost.calls=N" anywhere in /chosen/bootargs, else the default. */
static uint32_t calls_from_bootargs(void)
{
	static char args[512];
	static const char key[] = "ci_cost.calls=";
	uint32_t len = of_getprop(chosen_ph, "bootargs", args, sizeof(args) - 1), i, k, v;

	if (len == (uint32_t)-1)
		return CALLS_DEFAULT;
	args[len < sizeof(args) - 1 ? len : sizeof(args) - 1] = 0;
	for (i = 0; args[i]; i++) {
		for (k = 0; key[k] && args[i + k] == key[k]; k++)
			;
		if (key[k])
			continue;
		for (v = 0, i += k; args[i] >= '0' && args[i] <= '9' && v < CALLS_MAX; i++)
			v = v * 10 + (uint32_t)(args[i] - '0');
		if (v > CALLS_MAX)
			v = CALLS_MAX;
		return v < BATCHES ? BATCHES : v - v % BATCHES;
	}
	return CALLS_DEFAULT;
}

/*
 * The first and last children of /cpus with device_type "cpu" (cpu_ph,
 * last_cpu_ph); also the value child(/cpus) must give.  Returns 0 if none.
 */
static uint32_t find_cpus(void)
{
	char type[8];
	uint32_t ph;

	child_want = of_tree("child", cpus_ph);
	cpu_ph = last_cpu_ph = 0;
	for (ph = child_want; ph && ph != (uint32_t)-1; ph = of_tree("peer", ph)) {
		uint32_t len = of_getprop(ph, "device_type", type, sizeof(type));

		if (len == 4 && str_eq(type, "cpu")) {
			if (!cpu_ph)
				cpu_ph = ph;
			last_cpu_ph = ph;
		}
	}
	return cpu_ph;
}

/* package-to-path into a PATH_BUF buffer; returns the firmware's length or -1. */
static uint32_t node_path(uint32_t ph, char *buf)
{
	uint32_t in[3] = { ph, cell(buf), PATH_BUF }, len;

	len = ci1("package-to-path", 3, in);
	buf[PATH_BUF - 1] = 0;
	if (len == (uint32_t)-1 || !len || len >= PATH_BUF || buf[0] != '/')
		return (uint32_t)-1;
	return len;
}

static int setup(void)
{
	root_ph = of_finddevice("/");
	chosen_ph = of_finddevice("/chosen");
	console_init();

	/* The first line tells whether CI write prints (see line_flush). */
	put_str("CI-COST: INFO ci_cost client started\n");
	put_str(via_hcall ? "CI-COST: INFO console: H_PUT_TERM_CHAR on vty "
			  : "CI-COST: INFO console: CI write on /chosen/stdout ");
	put_hex(via_hcall ? vty_reg : stdout_ih);
	put_str(via_hcall ? " (CI write printed nothing: QEMU's VOF); exit: RTAS power-off\n"
			  : "; exit: CI exit\n");

	if (root_ph == (uint32_t)-1 || chosen_ph == (uint32_t)-1) {
		put_str("CI-COST: FAIL setup: finddevice of / or /chosen\n");
		return 1;
	}
	if (!stdout_ih) {
		put_str("CI-COST: FAIL setup: no /chosen stdout ihandle\n");
		return 1;
	}
	cpus_ph = of_finddevice("/cpus");
	if (cpus_ph == (uint32_t)-1 || !find_cpus()) {
		put_str("CI-COST: FAIL setup: no CPU node under /cpus\n");
		return 1;
	}
	tb_len = of_getprop(cpu_ph, s_tbfreq, getprop_val, sizeof(getprop_val));
	tb_freq = getprop_val[0];
	if ((tb_len != 4 && tb_len != 8) || !tb_freq) {
		fail_line("setup:", "timebase-frequency length ", tb_len);
		return 1;
	}
	if (tb_len == 8) {		/* a 64-bit value; never that large in practice */
		tb_freq = getprop_val[1];
		if (getprop_val[0] || !tb_freq) {
			put_str("CI-COST: FAIL setup: timebase-frequency does not fit 32 bits\n");
			return 1;
		}
	}
	p2p_want = node_path(cpu_ph, cpu_path);
	if (p2p_want == (uint32_t)-1 || node_path(last_cpu_ph, last_cpu_path) == (uint32_t)-1) {
		put_str("CI-COST: FAIL setup: package-to-path of a CPU node\n");
		return 1;
	}
	{
		uint32_t in[3] = { stdout_ih, cell(path_buf), sizeof(path_buf) };

		i2p_want = ci1("instance-to-path", 3, in);
	}
	if (i2p_want == (uint32_t)-1 || !i2p_want) {
		fail_line("setup:", "instance-to-path of stdout returned ", i2p_want);
		return 1;
	}
	peer_want = of_tree("peer", cpu_ph);
	if (peer_want == (uint32_t)-1) {
		put_str("CI-COST: FAIL setup: peer of the CPU node returned -1\n");
		return 1;
	}
	ms_last = 0;
	put_str("CI-COST: INFO cpu nodes ");
	put_str(cpu_path);
	put_str(" (first), ");
	put_str(last_cpu_path);
	put_str(" (last), timebase ");
	put_dec(tb_freq);
	put_str(" Hz\n");
	return 0;
}

void client_main(uint32_t entry)
{
	uint32_t n, calls, failed = 0;

	(void)entry;
	client_tag = "CI-COST: ";

	if (setup()) {
		failed = NSERVICES;
	} else {
		calls = calls_from_bootargs();
		put_str("CI-COST: INFO ");
		put_dec(calls);
		put_str(" calls per service in ");
		put_dec(BATCHES);
		put_str(" batches after ");
		put_dec(WARMUP);
		put_str(" warm-up calls; median batch reported\n");
		for (n = 0; n < NSERVICES; n++)
			failed += (uint32_t)measure(&services[n], calls);
	}
	put_str("CI-COST: DONE ");
	put_dec(NSERVICES - failed);
	put_str(" services, ");
	put_dec(failed);
	put_str(" failed\n");

	/* QEMU's VOF (write printed nothing) only pauses the VM on exit. */
	client_power_off(!via_hcall);
}
