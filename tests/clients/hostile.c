/* SPDX-License-Identifier: Apache-2.0 */
/* OF client: seeded random CI calls with malformed arguments, then well-formed calls whose answers are checked. */

/*
 * Booted with QEMU -kernel like conformance.c (32-bit big-endian C, linked by
 * ci_cost.lds at 0x400000, shared code in client_lib.c).  Issue 8 item 9: a
 * firmware must survive any argument array a client hands it -- no crash,
 * no hang -- and still answer well-formed calls correctly afterwards.
 *
 * -append (/chosen bootargs) options, decimal or 0x-hex:
 *   hostile.seed=N   PRNG seed (default 1); printed first, so any run can be
 *                    repeated exactly
 *   hostile.calls=N  number of random calls (default 100000)
 *   hostile.trace=N  print every call from call number N on (to find the
 *                    call a firmware crashed or hung in: the last line shows it)
 *   hostile.setprop=0  setprop only on phandles 0, -1 and 0xdeadbeef, which
 *                    every firmware refuses: under the forward pairing a tree
 *                    that a client's setprops filled makes QEMU exit at the
 *                    next claim (docs/testing.md, findings)
 *
 * Output: "HOSTILE: seed S calls N", "HOSTILE: progress <i> calls" every
 * 10,000 calls, "HOSTILE: PASS <what>" / "HOSTILE: FAIL <what> (<detail>)"
 * for each final check, then "HOSTILE: DONE <calls> calls, <n> checks
 * passed, <m> failed", then CI exit.
 *
 * What is random: the service name (every service vofkit's pairings have,
 * names no firmware has, and bad pointers: 0, -1, beyond RAM, across the
 * end of RAM, unterminated), nargs and nret (mostly the service's own
 * counts, so calls get past the dispatcher's count check into the
 * services; otherwise 0..20 or huge), every cell (small numbers, random
 * words, real phandles and ihandles and near misses, addresses in the
 * client's scratch area, in the firmware's region, beyond RAM, across its
 * end, 0, -1, unaligned; string pointers to property names, paths, garbage
 * and an unterminated 16 KiB run; lengths that fit, 0, or run past RAM),
 * and sometimes the argument array itself (unaligned, in the firmware, beyond
 * or across the end of RAM).
 *
 * What is NOT random, and why -- a correct firmware may legitimately do
 * each of these things, and then the client, not the firmware, would break:
 *  - A buffer the firmware may write (getprop, nextprop, *-to-path, canon,
 *    read, instantiate-rtas) is never in the client's own code, data or
 *    stack: it is in the scratch area (with a length that fits, or one that
 *    runs past the end of RAM, which the firmware must refuse as a whole),
 *    in the firmware's region (which the firmware must refuse), in free RAM
 *    far above the client, or outside RAM.  A 64 KiB guard zone after the
 *    scratch area takes the bytes of a firmware that writes a fixed amount
 *    (VOF's nextprop writes up to 65 bytes, an RTAS stub its size) at the
 *    end of a buffer.  Random words that would land in the client are moved
 *    out of it.
 *  - setprop only sets property names of its own ("hostile,*"), with values
 *    of at most 256 bytes, and a setprop that succeeds is followed by one of
 *    the same name with length 0: setting "stdout" or "reg" is legitimate
 *    and would break the console or the final checks, and a client may
 *    legitimately fill the tree (QEMU then ends the VM under the forward
 *    pairing: docs/testing.md, findings).  A handful of names, set back to
 *    empty, keeps the client's additions to a few bytes per node.
 *  - close never closes /chosen stdout or stdin, and write never writes to
 *    them or to another instance of the console: random bytes on the console
 *    would flood the log and could forge this client's own lines.
 *  - Every claim that succeeds is released at once (by the base it got), and
 *    every instance the client opens is closed after a few more calls: a
 *    firmware may run out of memory or instance slots when a client leaks
 *    them, and the final checks claim and open.
 *  - exit, and interpret of "reset-all" / "power-off" / "shut-down" /
 *    "poweroff", end the run by design and are never called; neither are
 *    boot, enter and chain (no vofkit pairing has them; a firmware that
 *    did would leave the client).  quiesce is called (rarely): it hands the
 *    tree to QEMU and stops devices, and the firmware must keep answering
 *    after it (Linux writes to the console after quiesce).
 *  - ibm,client-architecture-support is called with random ihandles and
 *    counts but always with one valid vector: QEMU's H_CAS ends the VM, by
 *    design and under any firmware, for a vector that asks for both hash and
 *    radix MMU or an invalid interrupt mode ("guest requested ..., which is
 *    invalid"), which random bytes soon do.  Under the forward pairing QEMU
 *    rebuilds VOF's tree at CAS.
 */

#include "client_lib.h"

#define MiB		0x100000u
#define SCRATCH		0x10000u	/* buffers the firmware may write */
#define LONGRUN		0x4000u		/* the last 16 KiB: no NUL, an unterminated string */
#define GUARD		0x10000u	/* never read or written by the client */
#define FW_REGION_END	0x180000u	/* native: [0, FW_HEAP_END); forward: VOF, its stack, the image */
#define FREE_RAM_LO	(16u * MiB)	/* far above the client (0x400000 + a few hundred KiB) */
#define MAX_PH		256
#define RING		8		/* instances the client keeps open at once */
#define MAX_CELLS	24		/* nargs + nret up to 20, cells written beyond */
#define PROGRESS	10000u
#define CI_MAX_NAME_CHECK 64	/* bytes name_ptr() may read */

extern char __stack_top[];
extern char _start[];

/* The scratch area, then its guard zone: one object, so the order is fixed. */
static struct {
	unsigned char buf[SCRATCH];
	unsigned char guard[GUARD];
} area __attribute__((aligned(4096)));

/* The argument array of the random calls, with room for any nargs + nret. */
static struct {
	uint32_t service, nargs, nret;
	uint32_t cell[MAX_CELLS];
	uint32_t pad[4];		/* an unaligned array still lies in here */
} arr __attribute__((aligned(16)));

static uint32_t ram_top, client_lo, client_hi;
static uint32_t root_ph, chosen_ph, mem_ph, rtas_ih, stdin_ih, root_ih;
static uint32_t phs[MAX_PH], nph;
static uint32_t ring[RING], ring_next;
static uint32_t trace_from = 0xffffffffu, cas_seen, setprop_on = 1;

/* ---------------------------------------------------------- PRNG */

/* xoshiro128** (32-bit state words: the client is 32-bit, no 64-bit division). */
static uint32_t st[4];

static uint32_t rotl(uint32_t x, int k)
{
	return (x << k) | (x >> (32 - k));
}

static uint32_t rnd(void)
{
	uint32_t r = rotl(st[1] * 5, 7) * 9, t = st[1] << 9;

	st[2] ^= st[0];
	st[3] ^= st[1];
	st[1] ^= st[2];
	st[0] ^= st[3];
	st[2] ^= t;
	st[3] = rotl(st[3], 11);
	return r;
}

/* 0 .. n-1 (n > 0) */
static uint32_t below(uint32_t n)
{
	return rnd() % n;
}

static int chance(uint32_t percent)
{
	return below(100) < percent;
}

static void seed_rng(uint32_t seed)
{
	uint32_t i, z = seed;

	/* splitmix32: no all-zero state, whatever the seed. */
	for (i = 0; i < 4; i++) {
		z += 0x9e3779b9u;
		st[i] = z;
		st[i] = (st[i] ^ (st[i] >> 16)) * 0x85ebca6bu;
		st[i] = (st[i] ^ (st[i] >> 13)) * 0xc2b2ae35u;
		st[i] ^= st[i] >> 16;
	}
}

/* ---------------------------------------------------------- pools */

/* Every service name of vofkit's pairings (native and forward), with its counts. */
#define ANY	0xffu
static const struct svc {
	const char *name;
	uint8_t nargs, nret;
	uint8_t weight;
} svcs[] = {
	{ "finddevice", 1, 1, 6 }, { "getprop", 4, 1, 8 }, { "getproplen", 2, 1, 6 },
	{ "nextprop", 3, 1, 8 }, { "setprop", 4, 1, 5 }, { "child", 1, 1, 5 },
	{ "peer", 1, 1, 5 }, { "parent", 1, 1, 5 }, { "canon", 3, 1, 4 },
	{ "package-to-path", 3, 1, 5 }, { "instance-to-path", 3, 1, 5 },
	{ "instance-to-package", 1, 1, 4 }, { "open", 1, 1, 5 }, { "close", 1, 0, 4 },
	{ "read", 3, 1, 5 }, { "write", 3, 1, 5 }, { "seek", 3, 1, 4 },
	{ "claim", 3, 1, 6 }, { "release", 2, 0, 5 }, { "call-method", ANY, ANY, 6 },
	{ "interpret", ANY, ANY, 3 }, { "milliseconds", 0, 1, 2 }, { "test", 1, 1, 4 },
	{ "quiesce", 0, 0, 0 /* chosen apart, rarely */ },
};
#define NSVC	(sizeof(svcs) / sizeof(svcs[0]))
enum { S_FIND, S_GETPROP, S_GETPROPLEN, S_NEXTPROP, S_SETPROP, S_CHILD, S_PEER, S_PARENT,
       S_CANON, S_PKG2PATH, S_INST2PATH, S_INST2PKG, S_OPEN, S_CLOSE, S_READ, S_WRITE,
       S_SEEK, S_CLAIM, S_RELEASE, S_METHOD, S_INTERPRET, S_MS, S_TEST, S_QUIESCE };

/* Names no vofkit pairing has (never one that would end the run). */
static const char *const unknown_names[] = {
	"", " ", "getprop ", "GETPROP", "get", "finddevicefinddevice", "test-method",
	"instance-to-interposed-path", "set-callback", "set-symbol-lookup", "map", "unmap",
	"milliseconds\n", "\xff\xfe", "call-method\t", "vofkit-hostile",
	"a-name-longer-than-the-dispatcher-takes-0123456789012345678901234567890123456789",
};

static const char *const prop_names[] = {
	"name", "reg", "stdout", "stdin", "bootargs", "compatible", "device_type",
	"#address-cells", "#size-cells", "available", "linux,phandle", "phandle",
	"ibm,architecture-vec-5", "rtas-size", "power-off", "", "no-such-property",
	"a-property-name-of-more-than-thirty-one-characters-which-ieee-1275-allows-not",
};

/* Never a console path (writes to an instance of it would print). */
static const char *const paths[] = {
	"/", "/chosen", "/memory", "/memory@0", "/cpus", "/cpus/", "/rtas", "/vdevice",
	"/options", "/aliases", "disk", "net", "/no/such/node", "//", "/chosen:args",
	"/memory@0:1,2,3", "/memory@00000000", "/MEMORY@0", "", ":", "/@", "/cpus/@0",
	"scsi", "nvram", "/vdevice/nvram@71000000", "/pci@800000020000000",
	"/a/very/long/path/that/does/not/exist/0123456789/0123456789/0123456789/0123456789/"
	"0123456789/0123456789/0123456789/0123456789/0123456789/0123456789/0123456789/x",
};

static const char *const methods[] = {
	"instantiate-rtas", "ibm,client-architecture-support", "block-size", "#blocks",
	"color!", "open", "close", "read", "write", "seek", "no-such-method", "",
	"load", "dma-alloc", "test",
};

static const char *const forth[] = {
	"", " ", "output-device output", "cursor-on", "cursor-off", "1 2 +", "\" /\" find-device",
	"see see", "0 0 color!", ": x x ; x", "abort", "quit-not-a-word", "\\",
};

/*
 * The one CAS vector (see the rules above): a PVR pair with mask 0 that
 * matches any CPU, the terminator pair (~mask & value != 0), then one option
 * vector of one zero byte.  QEMU accepts it (and warns that option vector 5
 * is missing): no MMU or interrupt-mode request it would end the VM for.
 */
static const uint8_t cas_vector[] __attribute__((aligned(4))) = {
	0, 0, 0, 0, 0, 0, 0, 0,		/* mask 0, value 0: any PVR */
	0, 0, 0, 0, 0, 0, 0, 1,		/* mask 0, value 1: the end of the list */
	0,				/* number of option vectors - 1 */
	0, 0,				/* option vector 1: length - 1, one byte */
};

/* setprop names of the client's own (see the rules above). */
static const char *const own_props[] = {
	"hostile,a", "hostile,b", "hostile,c", "hostile,d",
};

#define N(a)	(sizeof(a) / sizeof((a)[0]))

/* ---------------------------------------------------------- cell makers */

static int in_client(uint32_t v)
{
	uint32_t s = cell(area.buf), e = cell(area.guard) + GUARD;

	return v >= client_lo && v < client_hi && !(v >= s && v < e);
}

/* Any word, but never one inside the client's code, data or stack. */
static uint32_t safe(uint32_t v)
{
	return in_client(v) ? v ^ 0x80000000u : v;
}

static uint32_t scratch_addr(void)
{
	uint32_t off = below(SCRATCH);

	return cell(area.buf) + (chance(70) ? off & ~3u : off);
}

/* An address a write through which can only hit scratch, the firmware, free RAM or nothing. */
static uint32_t buf_addr(void)
{
	switch (below(12)) {
	case 0: case 1: case 2: case 3: case 4:
		return scratch_addr();
	case 5:
		return below(FW_REGION_END);
	case 6:
		return 0;
	case 7:
		return 0xffffffffu - below(64);
	case 8:
		return ram_top + below(64 * MiB);
	case 9:
		return ram_top - 1 - below(4096);
	case 10:
		return FREE_RAM_LO + (below(ram_top - 2 * FREE_RAM_LO) & ~7u);
	default:
		return safe(rnd());
	}
}

/* A length for a buffer at `a`: one that fits the scratch area, or not safe to use at all. */
static uint32_t buf_len(uint32_t a)
{
	uint32_t s = cell(area.buf);

	switch (below(8)) {
	case 0:
		return 0;
	case 1:
		return 0xffffffffu;
	case 2:
		return 0x80000000u + below(16);
	case 3:		/* runs past the end of RAM by 1..4096 bytes */
		return a < ram_top ? ram_top - a + 1 + below(4096) : below(0x10000);
	default:
		if (a >= s && a < s + SCRATCH)
			return below(s + SCRATCH - a + 1);
		return below(0x10000);
	}
}

/* A phandle: real ones, near misses, the usual invalid values. */
static uint32_t a_phandle(void)
{
	switch (below(8)) {
	case 0: case 1: case 2: case 3:
		return phs[below(nph)];
	case 4:
		return phs[below(nph)] + 1 + below(4);
	case 5: {
		static const uint32_t v[] = { 0, 0xffffffffu, 0xdeadbeefu, 0x1111, 0xf0000000u, 1 };

		return v[below(N(v))];
	}
	case 6:
		return stdout_ih;	/* an ihandle where a phandle belongs */
	default:
		return safe(rnd());
	}
}

/* An ihandle: real ones (the console's too), near misses, invalid values. */
static uint32_t an_ihandle(void)
{
	switch (below(8)) {
	case 0: case 1:
		return stdout_ih;
	case 2:
		return stdin_ih;
	case 3:
		return ring[below(RING)];
	case 4:
		return rtas_ih ? rtas_ih : root_ih;
	case 5:
		return 0xf0000000u + below(70);
	case 6:
		return phs[below(nph)];
	default: {
		static const uint32_t v[] = { 0, 0xffffffffu, 0xdeadbeefu, 1, 0xefffffffu };

		return chance(50) ? v[below(N(v))] : safe(rnd());
	}
	}
}

/* An ihandle that is not the console (close and write must not reach it). */
static uint32_t not_console(uint32_t ih)
{
	return ih == stdout_ih || ih == stdin_ih ? 0xdeadbeefu : ih;
}

/* A random string in the scratch area: printable, control bytes, maybe unterminated. */
static uint32_t garbage_string(void)
{
	uint32_t len = below(chance(80) ? 40 : 400), at = below(SCRATCH - LONGRUN - 512), i;
	unsigned char *p = area.buf + at;

	for (i = 0; i < len; i++)
		p[i] = (unsigned char)(chance(80) ? 'a' + below(26) : 1 + below(255));
	if (chance(90))
		p[len] = 0;
	return cell(p);
}

/*
 * A service-name pointer into RAM may find the name of a real service there
 * (the firmware's image holds them all, "exit" and "claim" too): such a call
 * would be a real call the client did not mean -- one that ends the run, or
 * a claim or open it would not give back.  Those pointers are moved beyond RAM.
 */
static uint32_t name_ptr(uint32_t p)
{
	static const char *const ending[] = { "exit", "boot", "enter", "chain" };
	const char *q = (const char *)(uintptr_t)p;
	uint32_t k;

	if (p >= ram_top || ram_top - p < CI_MAX_NAME_CHECK)
		return p;
	for (k = 0; k < NSVC; k++)
		if (str_eq(q, svcs[k].name))
			return ram_top + 0x100;
	for (k = 0; k < N(ending); k++)
		if (str_eq(q, ending[k]))
			return ram_top + 0x100;
	return p;
}

/* A pointer for a string argument: pool names, garbage, unterminated, bad addresses. */
static uint32_t a_string(const char *const *pool, uint32_t n)
{
	switch (below(10)) {
	case 0: case 1: case 2: case 3: case 4:
		return cell(pool[below(n)]);
	case 5:
		return garbage_string();
	case 6:		/* 16 KiB without a NUL */
		return cell(area.buf + SCRATCH - LONGRUN + below(64));
	case 7: {	/* "abc" in the last bytes of RAM, no NUL before the end */
		static const uint32_t back[] = { 1, 2, 3 };

		return ram_top - back[below(3)];
	}
	case 8:
		return below(FW_REGION_END);
	default: {
		static const uint32_t v[] = { 0, 0xffffffffu, 0xfffffff0u, 0x7fffffffu };

		return chance(50) ? v[below(N(v))] : ram_top + below(MiB);
	}
	}
}

static uint32_t a_number(void)
{
	switch (below(6)) {
	case 0:
		return below(17);
	case 1: {
		static const uint32_t v[] = { 0, 1, 0xffffffffu, 0x80000000u, 0x7fffffffu,
					      0xfffffffeu, 0x1000, 0x10000 };

		return v[below(N(v))];
	}
	case 2:
		return below(ram_top);
	case 3:
		return ram_top - below(0x20000);
	default:
		return safe(rnd());
	}
}

/* ---------------------------------------------------------- one random call */

static void ring_add(uint32_t ih)
{
	uint32_t old = ring[ring_next], in[1];
	struct ci_args a;

	/* An instance of the console must not get random writes: closed at once. */
	if (ih == stdout_ih || ih == stdin_ih)
		return;
	in[0] = ih;
	if (ci1("instance-to-package", 1, in) == ci1("instance-to-package", 1, &stdout_ih)) {
		ci_call(&a, "close", 1, 0, in);
		return;
	}
	if (old && old != stdout_ih && old != stdin_ih) {
		in[0] = old;
		ci_call(&a, "close", 1, 0, in);
	}
	ring[ring_next] = ih;
	ring_next = (ring_next + 1) % RING;
}

/* Fill the cells of service s as its arguments (kind by position), all of them safe. */
static void fill_args(uint32_t s, uint32_t nargs)
{
	uint32_t *c = arr.cell, i;

	for (i = 0; i < MAX_CELLS; i++)
		c[i] = chance(50) ? a_number() : buf_addr();
	switch (s) {
	case S_FIND:
		c[0] = a_string(paths, N(paths));
		break;
	case S_GETPROP:
		c[0] = a_phandle();
		c[1] = a_string(prop_names, N(prop_names));
		c[2] = buf_addr();
		c[3] = buf_len(c[2]);
		break;
	case S_GETPROPLEN:
		c[0] = a_phandle();
		c[1] = a_string(prop_names, N(prop_names));
		break;
	case S_NEXTPROP:
		c[0] = a_phandle();
		c[1] = chance(20) ? 0 : a_string(prop_names, N(prop_names));
		c[2] = buf_addr();
		break;
	case S_SETPROP:
		if (!setprop_on) {	/* hostile.setprop=0: only calls every firmware refuses */
			static const uint32_t bad[] = { 0, 0xffffffffu, 0xdeadbeefu };

			c[0] = bad[below(N(bad))];
		} else {
			c[0] = a_phandle();
		}
		c[1] = chance(80) ? cell(own_props[below(N(own_props))]) :
		       (chance(50) ? 0xffffffffu : ram_top + below(4096));
		c[2] = chance(80) ? scratch_addr() : buf_addr();
		c[3] = chance(85) ? below(257) : a_number();
		break;
	case S_CHILD: case S_PEER: case S_PARENT:
		c[0] = a_phandle();
		break;
	case S_CANON:
		c[0] = a_string(paths, N(paths));
		c[1] = buf_addr();
		c[2] = buf_len(c[1]);
		break;
	case S_PKG2PATH:
		c[0] = a_phandle();
		c[1] = buf_addr();
		c[2] = buf_len(c[1]);
		break;
	case S_INST2PATH:
		c[0] = an_ihandle();
		c[1] = buf_addr();
		c[2] = buf_len(c[1]);
		break;
	case S_INST2PKG:
		c[0] = an_ihandle();
		break;
	case S_OPEN:
		c[0] = a_string(paths, N(paths));
		break;
	case S_CLOSE:
		c[0] = an_ihandle();
		break;
	case S_READ:
		c[0] = an_ihandle();
		c[1] = buf_addr();
		c[2] = buf_len(c[1]);
		break;
	case S_WRITE:
		c[0] = an_ihandle();
		c[1] = chance(60) ? scratch_addr() : buf_addr();
		c[2] = buf_len(c[1]);
		break;
	case S_SEEK:
		c[0] = an_ihandle();
		c[1] = a_number();
		c[2] = a_number();
		break;
	case S_CLAIM:
		c[0] = chance(30) ? buf_addr() : a_number();
		c[1] = chance(50) ? below(0x100000) : a_number();
		c[2] = chance(50) ? 0 : (chance(50) ? 1u << below(32) : a_number());
		break;
	case S_RELEASE:
		c[0] = a_number();
		c[1] = a_number();
		break;
	case S_METHOD: {
		uint32_t m = below(N(methods));

		c[0] = chance(85) ? cell(methods[m]) : a_string(methods, N(methods));
		c[1] = chance(70) ? (m == 0 ? rtas_ih : m == 1 ? root_ih : an_ihandle()) :
		       an_ihandle();
		/* instantiate-rtas's rtas-base: a buffer-safe address; CAS's vector: a valid one */
		c[2] = m == 1 ? cell(cas_vector) : buf_addr();
		break;
	}
	case S_INTERPRET:
		c[0] = a_string(forth, N(forth));
		break;
	case S_TEST:
		c[0] = chance(60) ? cell(svcs[below(NSVC)].name) :
		       a_string(unknown_names, N(unknown_names));
		break;
	default:
		break;
	}
	/*
	 * Every word above is safe by construction (safe(), buf_addr()); string
	 * pointers may point into the client's .rodata, which is only read.
	 */
	(void)nargs;
	if (s == S_CLOSE || s == S_WRITE)
		c[0] = not_console(c[0]);
	/* Extra cells of a wrong count: close/write rules hold whatever the shift. */
	for (i = 1; i < MAX_CELLS; i++)
		if (c[i] == stdout_ih || c[i] == stdin_ih)
			c[i] = 0xdeadbeefu;
}

static void trace_call(uint32_t i, const char *name, void *array)
{
	uint32_t k, n = arr.nargs < 12 ? arr.nargs : 12;

	put_str("HOSTILE: call ");
	put_dec(i);
	put_str(" ");
	put_str(name);
	put_str(" array ");
	put_hex(cell(array));
	put_str(" nargs ");
	put_hex(arr.nargs);
	put_str(" nret ");
	put_hex(arr.nret);
	for (k = 0; k < n; k++) {
		put_ch(' ');
		put_hex(arr.cell[k]);
	}
	put_ch('\n');
}

static void one_call(uint32_t i)
{
	uint32_t s, w, total = 0, k, nargs, nret;
	const char *name;
	char label[48];
	void *array = &arr;
	int32_t r3;

	for (k = 0; k < NSVC; k++)
		total += svcs[k].weight;
	/* The service: a weighted real one, rarely quiesce, else an unknown name or a bad pointer. */
	w = below(total + 10);
	if (w < total) {
		for (s = 0; w >= svcs[s].weight; s++)
			w -= svcs[s].weight;
	} else if (w < total + 9) {
		s = NSVC;	/* unknown */
	} else {
		s = below(1000) == 0 ? S_QUIESCE : S_MS;
	}
	if (s < NSVC) {
		name = svcs[s].name;
		arr.service = cell(name);
		if (chance(2))		/* the name as a string somewhere odd */
			arr.service = name_ptr(a_string(&name, 1));
	} else {
		arr.service = name_ptr(a_string(unknown_names, N(unknown_names)));
		name = "?";
	}

	/* Counts: mostly the service's own, else anything. */
	if (s < NSVC && svcs[s].nargs != ANY && chance(80)) {
		nargs = svcs[s].nargs;
		nret = svcs[s].nret;
	} else if (s < NSVC && svcs[s].nargs == ANY && chance(80)) {
		nargs = 1 + below(9);
		nret = below(11 - nargs);
		if (s == S_METHOD && chance(60)) {
			nargs = 3;
			nret = 2;
		}
	} else if (chance(90)) {
		nargs = below(21);
		nret = below(21);
	} else {
		static const uint32_t v[] = { 0xffffffffu, 0x80000000u, 0x7fffffff, 11, 10 };

		nargs = v[below(N(v))];
		nret = chance(50) ? v[below(N(v))] : below(3);
	}
	arr.nargs = nargs;
	arr.nret = nret;
	fill_args(s < NSVC ? s : NSVC, nargs);

	/* Sometimes the array itself is bad; the firmware must not write through it. */
	if (chance(2)) {
		switch (below(5)) {
		case 0:
			array = (char *)&arr + 1 + below(3);	/* unaligned */
			break;
		case 1:
			array = (void *)(uintptr_t)(below(FW_REGION_END) & ~3u);
			break;
		case 2:
			array = (void *)(uintptr_t)((ram_top - 4 * below(8)) & ~3u);
			break;
		case 3:
			array = (void *)(uintptr_t)(ram_top + 4 * below(0x1000));
			break;
		default:
			array = (void *)(uintptr_t)0xfffffff0u;
			break;
		}
	}

	if (i >= trace_from) {
		uint32_t n = str_len(name);

		memcpy(label, name, n < sizeof(label) - 1 ? n + 1 : sizeof(label));
		label[sizeof(label) - 1] = 0;
		trace_call(i, label, array);
	}
	r3 = ci((struct ci_args *)array);

	/* Give back what a successful call took (the rules above). */
	if (array != &arr || r3 != 0)
		return;
	/* The first CAS that ran: under the forward pairing QEMU rebuilds VOF's tree then. */
	if (s == S_METHOD && !cas_seen && arr.cell[0] == cell(methods[1]) && nargs >= 2 &&
	    nargs <= 10 && nret >= 1 && arr.cell[nargs] == 0) {
		cas_seen = 1;
		put_str("HOSTILE: note: call ");
		put_dec(i);
		put_str(" was the first ibm,client-architecture-support that ran (nargs ");
		put_dec(nargs);
		put_str(", vector ");
		put_hex(arr.cell[2]);
		put_str(")\n");
	}
	if (s == S_SETPROP && nargs == 4 && nret == 1 && arr.cell[4] != CI_ERR) {
		/* Shrink what was set to nothing: the client's additions stay a few bytes. */
		uint32_t in[4] = { arr.cell[0], arr.cell[1], cell(area.buf), 0 };
		struct ci_args a;

		ci_call(&a, "setprop", 4, 1, in);
	} else if (s == S_CLAIM && nargs == 3 && nret == 1 && arr.cell[3] != CI_ERR) {
		uint32_t in[2] = { arr.cell[3], arr.cell[1] };
		struct ci_args a;

		ci_call(&a, "release", 2, 0, in);
	} else if (s == S_OPEN && nargs == 1 && nret == 1 && arr.cell[1] &&
		   arr.cell[1] != CI_ERR) {
		ring_add(arr.cell[1]);
	}
}

/* ---------------------------------------------------------- setup */

static uint32_t parse_num(const char *p)
{
	uint32_t v = 0;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		for (p += 2;; p++) {
			if (*p >= '0' && *p <= '9')
				v = v * 16 + (uint32_t)(*p - '0');
			else if ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'f')
				v = v * 16 + (uint32_t)((*p | 0x20) - 'a' + 10);
			else
				return v;
		}
	}
	for (; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (uint32_t)(*p - '0');
	return v;
}

/* "key=value" anywhere in the bootargs: its value, or def. */
static uint32_t bootarg(const char *args, const char *key, uint32_t def)
{
	uint32_t kl = str_len(key);
	const char *p;

	for (p = args; *p; p++)
		if ((p == args || p[-1] == ' ') && mem_eq(p, key, kl))
			return parse_num(p + kl);
	return def;
}

/* Depth first, up to MAX_PH nodes. */
static void collect(uint32_t ph)
{
	uint32_t c;

	if (nph >= MAX_PH)
		return;
	phs[nph++] = ph;
	for (c = of_tree("child", ph); c && c != CI_ERR && nph < MAX_PH; c = of_tree("peer", c))
		collect(c);
}

static uint32_t open_path(const char *p)
{
	uint32_t ih = of_open(p);

	return ih == CI_ERR ? 0 : ih;
}

/* ---------------------------------------------------------- final checks */

/* What the final checks compare with, taken before the random calls. */
static struct {
	uint32_t root, chosen, stdout_ih, addr_cells, nprops;
	uint8_t memreg[32];
	uint32_t memreg_len, bootargs_len;
	char bootargs[512], stdout_path[256], props[32][32];
} before;

/* The names of /chosen's properties in nextprop order; returns the count, or -1. */
static int chosen_props(char names[][32], uint32_t max)
{
	char prev[32] = "", next[32];
	uint32_t n = 0, in[3];

	for (;;) {
		in[0] = chosen_ph;
		in[1] = cell(prev);
		in[2] = cell(next);
		uint32_t r = ci1("nextprop", 3, in);

		if (r == 0)
			return (int)n;
		if (r != 1 || n >= max)
			return -1;
		memcpy(names[n], next, 32);
		names[n][31] = 0;
		memcpy(prev, next, 32);
		n++;
	}
}

static void snapshot(void)
{
	uint32_t in[3];

	before.root = of_finddevice("/");
	before.chosen = chosen_ph;
	before.stdout_ih = stdout_ih;
	of_getprop(root_ph, "#address-cells", &before.addr_cells, 4);
	before.memreg_len = of_getprop(mem_ph, "reg", before.memreg, sizeof(before.memreg));
	before.bootargs_len = of_getprop(chosen_ph, "bootargs", before.bootargs,
					 sizeof(before.bootargs));
	before.nprops = (uint32_t)chosen_props(before.props, 32);
	in[0] = stdout_ih;
	in[1] = cell(before.stdout_path);
	in[2] = sizeof(before.stdout_path);
	ci1("instance-to-path", 3, in);
}

static int has_prop(char names[][32], uint32_t n, const char *name)
{
	uint32_t i, hits = 0;

	for (i = 0; i < n; i++)
		hits += str_eq(names[i], name);
	return hits == 1;
}

static void final_checks(void)
{
	static char names[64][32], pathbuf[256];
	static uint8_t reg[32];
	static char args[512];
	uint32_t v, w, in[3], i, bad;
	int n;

	v = of_finddevice("/");
	check(v == before.root, "finddevice(\"/\") is the root it was", "got ", v);
	v = of_finddevice("/chosen");
	check(v == before.chosen, "finddevice(\"/chosen\") is /chosen", "got ", v);
	w = 0;
	v = of_getprop(root_ph, "#address-cells", &w, 4);
	check(v == 4 && w == before.addr_cells, "getprop / #address-cells unchanged", "got ", w);
	memset(reg, 0, sizeof(reg));
	v = of_getprop(mem_ph, "reg", reg, sizeof(reg));
	check(v == before.memreg_len && mem_eq(reg, before.memreg, sizeof(reg)),
	      "getprop /memory@0 reg unchanged", "length ", v);
	memset(args, 0, sizeof(args));
	v = of_getprop(chosen_ph, "bootargs", args, sizeof(args));
	check(v == before.bootargs_len && mem_eq(args, before.bootargs, sizeof(args)),
	      "getprop /chosen bootargs unchanged", "length ", v);
	/*
	 * /chosen stdout: an instance of the same device.  Not necessarily the
	 * same ihandle: under the forward pairing QEMU rebuilds VOF's tree
	 * after CAS and opens a new stdout instance (the old one still works).
	 */
	w = 0;
	v = of_getprop(chosen_ph, "stdout", &w, 4);
	in[0] = w;
	in[1] = cell(pathbuf);
	in[2] = sizeof(pathbuf);
	memset(pathbuf, 0, sizeof(pathbuf));
	check(v == 4 && ci1("instance-to-path", 3, in) == str_len(before.stdout_path) &&
	      str_eq(pathbuf, before.stdout_path),
	      "getprop /chosen stdout: an instance of the console it was", "ihandle ", w);
	w = 0;
	v = of_getprop(chosen_ph, "stdin", &w, 4);
	in[0] = w;
	memset(pathbuf, 0, sizeof(pathbuf));
	check(v == 4 && ci1("instance-to-path", 3, in) == str_len(before.stdout_path) &&
	      str_eq(pathbuf, before.stdout_path),
	      "getprop /chosen stdin: an instance of the console", "length ", v);

	/* Every property /chosen had (stdin is checked above), each once, and the walk ends. */
	n = chosen_props(names, 64);
	bad = 0;
	for (i = 0; n >= 0 && i < before.nprops; i++)
		bad += !str_eq(before.props[i], "stdin") &&
		       !has_prop(names, (uint32_t)n, before.props[i]);
	check(n > 0 && bad == 0,
	      "nextprop walk of /chosen ends and has every other property it had, once",
	      "count ", (uint32_t)n);

	in[0] = chosen_ph;
	in[1] = cell(pathbuf);
	in[2] = sizeof(pathbuf);
	memset(pathbuf, 0x5a, sizeof(pathbuf));
	v = ci1("package-to-path", 3, in);
	check(v == 7 && str_eq(pathbuf, "/chosen"), "package-to-path(/chosen) = \"/chosen\"",
	      "length ", v);

	in[0] = stdout_ih;
	in[1] = cell(pathbuf);
	in[2] = sizeof(pathbuf);
	memset(pathbuf, 0, sizeof(pathbuf));
	v = ci1("instance-to-path", 3, in);
	check(v != CI_ERR && v == str_len(before.stdout_path) &&
	      str_eq(pathbuf, before.stdout_path),
	      "instance-to-path(stdout) is the path it was", "length ", v);

	/* More opens than vofkit has instance slots (64): none may have leaked. */
	bad = 0;
	for (i = 0; i < 80; i++) {
		uint32_t ih = open_path("/chosen");
		struct ci_args a;

		in[0] = ih;
		if (!ih || ci1("instance-to-package", 1, in) != chosen_ph)
			bad++;
		ci_call(&a, "close", 1, 0, in);
	}
	check(bad == 0, "80 x open(\"/chosen\"), instance-to-package, close", "failed ", bad);

	/* An aligned claim, then an exact claim of a free range, its release, the same claim again. */
	in[0] = 0;
	in[1] = 0x10000;
	in[2] = 0x10000;
	v = ci1("claim", 3, in);
	check(v != CI_ERR && v && !(v & 0xffff) && v + 0x10000 <= ram_top,
	      "claim of 64 KiB aligned to 64 KiB", "got ", v);
	if (v != CI_ERR) {
		struct ci_args a;
		uint32_t rel[2] = { v, 0x10000 };

		ci_call(&a, "release", 2, 0, rel);
	}
	{
		struct ci_args a;
		uint32_t at = 0x10000000u, rel[2] = { at, 0x10000 };

		in[0] = at;
		in[1] = 0x10000;
		in[2] = 0;
		v = ci1("claim", 3, in);
		if (v == at)
			ci_call(&a, "release", 2, 0, rel);
		w = ci1("claim", 3, in);
		if (w == at)
			ci_call(&a, "release", 2, 0, rel);
		check(v == at && w == at,
		      "exact claim of 64 KiB at 256 MiB, release, the same claim again", "got ", w);
	}

	v = ci1("milliseconds", 0, in);
	for (i = 0; i < 200000; i++)	/* a few ms under TCG */
		__asm__ volatile("" ::: "memory");
	w = ci1("milliseconds", 0, in);
	check(v != CI_ERR && w != CI_ERR && w >= v, "milliseconds answers and does not go back",
	      "second ", w);

	in[0] = cell("getprop");
	v = ci1("test", 1, in);
	in[0] = cell("no-such-service");
	w = ci1("test", 1, in);
	check(v == 0 && w == CI_ERR, "test(\"getprop\") = 0, test(\"no-such-service\") = -1",
	      "got ", v);
}

/* ---------------------------------------------------------- main */

void client_main(uint32_t entry)
{
	static char args[512];
	uint32_t seed, calls, i, reg[4], t0, t1;

	(void)entry;
	client_tag = "HOSTILE: ";
	console_init();
	root_ph = of_finddevice("/");
	chosen_ph = of_finddevice("/chosen");
	mem_ph = of_finddevice("/memory@0");
	if (of_getprop(chosen_ph, "bootargs", args, sizeof(args) - 1) == CI_ERR)
		args[0] = 0;
	seed = bootarg(args, "hostile.seed=", 1);
	calls = bootarg(args, "hostile.calls=", 100000);
	trace_from = bootarg(args, "hostile.trace=", 0xffffffffu);
	setprop_on = bootarg(args, "hostile.setprop=", 1);
	put_str("HOSTILE: seed ");
	put_dec(seed);
	put_str(" calls ");
	put_dec(calls);
	if (!setprop_on)
		put_str(" (setprop: bad phandles only)");
	put_ch('\n');
	seed_rng(seed);

	/* RAM: the first range of /memory@0 (2 address and 2 size cells), cut at 4 GiB. */
	ram_top = 0x10000000u;
	if (of_getprop(mem_ph, "reg", reg, sizeof(reg)) == 16)
		ram_top = reg[2] ? 0xfffff000u : reg[3];
	client_lo = cell(_start);
	client_hi = cell(__stack_top);
	of_getprop(chosen_ph, "stdin", &stdin_ih, 4);
	rtas_ih = open_path("/rtas");
	root_ih = open_path("/");
	collect(root_ph);
	put_str("HOSTILE: RAM top ");
	put_hex(ram_top);
	put_str(", client ");
	put_hex(client_lo);
	put_str("-");
	put_hex(client_hi);
	put_str(", scratch ");
	put_hex(cell(area.buf));
	put_str(", ");
	put_dec(nph);
	put_str(" nodes\n");

	/* The long unterminated run, and a no-NUL tail at the end of RAM (claimed first). */
	memset(area.buf + SCRATCH - LONGRUN, 'x', LONGRUN);
	{
		uint32_t in[3] = { ram_top - 0x1000, 0x1000, 0 };
		struct ci_args a;

		if (ci1("claim", 3, in) == ram_top - 0x1000) {
			memcpy((void *)(uintptr_t)(ram_top - 3), "abc", 3);
			ci_call(&a, "release", 2, 0, in);
		}
	}
	snapshot();

	t0 = ci1("milliseconds", 0, NULL);
	for (i = 0; i < calls; i++) {
		one_call(i);
		if ((i + 1) % PROGRESS == 0) {
			put_str("HOSTILE: progress ");
			put_dec(i + 1);
			put_str(" calls\n");
		}
	}
	t1 = ci1("milliseconds", 0, NULL);
	put_str("HOSTILE: ");
	put_dec(calls);
	put_str(" random calls in ");
	put_dec(t1 - t0);
	put_str(" ms\n");

	/* Close what is still open, then the well-formed calls. */
	for (i = 0; i < RING; i++) {
		if (ring[i]) {
			struct ci_args a;

			ci_call(&a, "close", 1, 0, &ring[i]);
		}
	}
	final_checks();
	put_str("HOSTILE: DONE ");
	put_dec(calls);
	put_str(" calls, ");
	put_dec(checks_passed);
	put_str(" checks passed, ");
	put_dec(checks_failed);
	put_str(" failed\n");
	client_power_off(1);
}
