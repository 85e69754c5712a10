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
 */

#include <stddef.h>
#include <stdint.h>

#define CALLS_DEFAULT	2000
#define CALLS_MAX	1000000
#define BATCHES		5
#define WARMUP		100
#define PATH_BUF	256	/* VOF ignores the length of the path services */
#define PROP_BUF	80	/* VOF's nextprop writes up to 65 bytes */
#define LINE_MAX	200

#define H_PUT_TERM_CHAR	0x58
#define KVMPPC_H_RTAS	0xf000

/* IEEE 1275 argument array: 32-bit big-endian cells (this client is BE). */
struct ci_args {
	uint32_t service, nargs, nret;
	uint32_t cell[10];
};

typedef int32_t (*ci_entry_t)(struct ci_args *args);

/*
 * Entry: set up our own stack (the firmware's r1 may be small; vof.bin runs
 * its C code on it) and pass r5, the CI entry, to cost_main.  The zero back
 * chain ends stack walks.
 */
__asm__(
	"	.section .text.start, \"ax\", @progbits\n"
	"	.globl	_start\n"
	"_start:\n"
	"	lis	%r1, (__stack_top - 16)@ha\n"
	"	addi	%r1, %r1, (__stack_top - 16)@l\n"
	"	li	%r0, 0\n"
	"	stw	%r0, 0(%r1)\n"
	"	mr	%r3, %r5\n"
	"	b	cost_main\n"
	"	.text\n");

void cost_main(uint32_t entry) __attribute__((noreturn, used));

extern char __bss_start[], __bss_end[];

static ci_entry_t ci;
static uint32_t stdout_ih;
static int via_hcall;		/* 1: firmware's CI write prints nothing (QEMU's VOF) */
static uint32_t vty_reg;	/* H_PUT_TERM_CHAR terminal number (0: QEMU's default vty) */
static char line[LINE_MAX + 1];
static uint32_t line_len;

/* gcc may emit calls to these for struct copies and clears. */
void *memset(void *d, int c, size_t n)
{
	unsigned char *p = d;

	while (n--)
		*p++ = (unsigned char)c;
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	unsigned char *p = d;
	const unsigned char *q = s;

	while (n--)
		*p++ = *q++;
	return d;
}

static int str_eq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static uint32_t cell(const void *p)
{
	return (uint32_t)(uintptr_t)p;
}

/* ---------------------------------------------------------- hypercalls */

/*
 * sc 1 takes full 64-bit registers even in 32-bit mode, and -m32 code does
 * not keep the high words clean, so every input is cut to 32 bits first.
 * H_PUT_TERM_CHAR packs the bytes most-significant first into r6 (0-7) and
 * r7 (8-15): the two 32-bit halves are joined into r6 here (len <= 8).
 */
static int32_t hcall_put_term(uint32_t reg, uint32_t len, uint32_t hi, uint32_t lo)
{
	register uint32_t r3 __asm__("r3") = H_PUT_TERM_CHAR;
	register uint32_t r4 __asm__("r4") = reg;
	register uint32_t r5 __asm__("r5") = len;
	register uint32_t r6 __asm__("r6") = hi;
	register uint32_t r7 __asm__("r7") = lo;

	__asm__ volatile(
		"clrldi	3, 3, 32\n\t"
		"clrldi	4, 4, 32\n\t"
		"clrldi	5, 5, 32\n\t"
		"clrldi	7, 7, 32\n\t"
		"rldimi	7, 6, 32, 0\n\t"
		"mr	6, 7\n\t"
		"li	7, 0\n\t"
		"sc	1"
		: "+r"(r3), "+r"(r4), "+r"(r5), "+r"(r6), "+r"(r7)
		:
		: "r0", "r8", "r9", "r10", "r11", "r12", "ctr", "xer",
		  "cr0", "cr1", "cr5", "cr6", "cr7", "memory");
	return (int32_t)r3;
}

/* KVMPPC_H_RTAS: r4 = the RTAS argument block {token, nargs, nret, args, rets}. */
static int32_t hcall_rtas(uint32_t *block)
{
	register uint32_t r3 __asm__("r3") = KVMPPC_H_RTAS;
	register uint32_t r4 __asm__("r4") = cell(block);

	__asm__ volatile(
		"clrldi	3, 3, 32\n\t"
		"clrldi	4, 4, 32\n\t"
		"sc	1"
		: "+r"(r3), "+r"(r4)
		:
		: "r0", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12", "ctr", "xer",
		  "cr0", "cr1", "cr5", "cr6", "cr7", "memory");
	return (int32_t)r3;
}

static void hv_write(const char *s, uint32_t len)
{
	while (len) {
		uint32_t n = len > 8 ? 8 : len, w[2] = { 0, 0 }, i;

		for (i = 0; i < n; i++)
			w[i / 4] |= (uint32_t)(unsigned char)s[i] << (24 - 8 * (i % 4));
		if (hcall_put_term(vty_reg, n, w[0], w[1]) != 0)
			return;		/* nowhere else to say it */
		s += n;
		len -= n;
	}
}

/* ---------------------------------------------------------- CI calls */

static int32_t ci_call(struct ci_args *a, const char *service, uint32_t nargs,
		       uint32_t nret, const uint32_t *in)
{
	uint32_t i;

	a->service = cell(service);
	a->nargs = nargs;
	a->nret = nret;
	for (i = 0; i < 10; i++)
		a->cell[i] = i < nargs ? in[i] : 0;
	return ci(a);
}

/* One-result call; returns -1 when the call itself fails (r3 != 0). */
static uint32_t ci1(const char *service, uint32_t nargs, const uint32_t *in)
{
	struct ci_args a;

	if (ci_call(&a, service, nargs, 1, in) != 0)
		return (uint32_t)-1;
	return a.cell[nargs];
}

static uint32_t of_finddevice(const char *path)
{
	uint32_t in[1] = { cell(path) };

	return ci1("finddevice", 1, in);
}

static uint32_t of_getprop(uint32_t ph, const char *name, void *buf, uint32_t len)
{
	uint32_t in[4] = { ph, cell(name), cell(buf), len };

	return ci1("getprop", 4, in);
}

static uint32_t of_tree(const char *service, uint32_t h)
{
	uint32_t in[1] = { h };

	return ci1(service, 1, in);
}

/* ---------------------------------------------------------- console */

static void line_flush(void)
{
	line[line_len++] = '\n';
	if (!via_hcall) {
		uint32_t in[3] = { stdout_ih, cell(line), line_len };

		if (stdout_ih && ci1("write", 3, in) == line_len)
			goto out;
		/* Nothing (or not all) was printed: from now on print ourselves. */
		via_hcall = 1;
	}
	hv_write(line, line_len);
out:
	line_len = 0;
}

static void put_ch(char c)
{
	if (c == '\n') {
		line_flush();
		return;
	}
	if (line_len < LINE_MAX)
		line[line_len++] = c;
}

static void put_str(const char *s)
{
	while (*s)
		put_ch(*s++);
}

static void put_dec(uint32_t v)
{
	char buf[12];
	int i = 0;

	do {
		buf[i++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (i)
		put_ch(buf[--i]);
}

static void put_hex(uint32_t v)
{
	int i;

	put_str("0x");
	for (i = 28; i >= 0; i -= 4)
		put_ch("0123456789abcdef"[(v >> i) & 0xf]);
}

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

/* Power off without CI exit (QEMU's VOF pauses the VM on exit): RTAS power-off. */
static void rtas_power_off(void)
{
	uint32_t rtas = of_finddevice("/rtas"), token, block[6];

	if (rtas == (uint32_t)-1 || of_getprop(rtas, "power-off", &token, 4) != 4) {
		put_str("CI-COST: FAIL exit: no /rtas power-off token\n");
		return;
	}
	block[0] = token;
	block[1] = 2;		/* power_on_mask_hi, power_on_mask_lo */
	block[2] = 1;
	block[3] = 0;
	block[4] = 0;
	block[5] = (uint32_t)-1;
	fail_line("exit:", "RTAS power-off returned, hcall status ", (uint32_t)hcall_rtas(block));
}

static int setup(void)
{
	uint32_t pkg, reg;

	root_ph = of_finddevice("/");
	chosen_ph = of_finddevice("/chosen");
	if (chosen_ph == (uint32_t)-1 || of_getprop(chosen_ph, "stdout", &stdout_ih, 4) != 4)
		stdout_ih = 0;
	/* The vty for H_PUT_TERM_CHAR, in case CI write prints nothing. */
	vty_reg = 0;
	pkg = stdout_ih ? of_tree("instance-to-package", stdout_ih) : (uint32_t)-1;
	if (pkg && pkg != (uint32_t)-1 && of_getprop(pkg, "reg", &reg, 4) == 4)
		vty_reg = reg;

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

void cost_main(uint32_t entry)
{
	uint32_t n, calls, failed = 0;
	char *p;

	/* QEMU zero-fills .bss already; do not rely on every loader doing so. */
	for (p = __bss_start; p < __bss_end; p++)
		*p = 0;
	ci = (ci_entry_t)(uintptr_t)entry;

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

	if (via_hcall) {
		rtas_power_off();
	} else {
		struct ci_args a;

		ci_call(&a, "exit", 0, 0, NULL);
		put_str("CI-COST: FAIL exit returned to the client\n");
	}
	for (;;)
		;
}
