/* SPDX-License-Identifier: Apache-2.0 */
/* NVMe driver: polled admin and I/O queues through the PHB's TCE window, every active namespace a disk. */

#define pr_fmt(fmt) "nvme: " fmt
#include <string.h>
#include <vofkit/core/device.h>
#include <vofkit/core/heap.h>
#include <vofkit/core/init.h>
#include <vofkit/core/mem.h>
#include <vofkit/core/time.h>
#include <vofkit/core/tree.h>
#include <vofkit/drivers/pci.h>
#include <vofkit/drivers/tce.h>
#include <vofkit/lib/byteorder.h>
#include <vofkit/lib/console.h>
#include <vofkit/lib/limits.h>
#include <vofkit/lib/log.h>
#include <vofkit/lib/util.h>

/*
 * DMA: unlike virtio, QEMU's NVMe device reaches memory only through the
 * PHB's TCE window (LIOBN and range in the PHB's "ibm,dma-window"), which
 * is empty at reset and has no bypass.  Each controller gets its own IOBA
 * span in that window: fixed pages for the queues, the Identify buffer,
 * the PRP list and a bounce page, then a scratch range where the caller's
 * buffer pages are mapped for one command and unmapped after it.  IOBA 0
 * is never used, so a stray zero PRP cannot hit a mapping.
 *
 * Registers are little-endian; 64-bit ones (CAP, ASQ, ACQ) go as two 32-bit
 * halves, low first, which QEMU accepts.  Everything is polled: MSI-X and
 * the INTx line stay off, and completions are found by their phase bit.
 */

#define NVME_CLASS		0x010802u	/* mass storage, NVM, NVMe */

/* Controller registers (BAR0) */
#define NVME_REG_CAP		0x00
#define NVME_REG_CC		0x14
#define NVME_REG_CSTS		0x1c
#define NVME_REG_AQA		0x24
#define NVME_REG_ASQ		0x28
#define NVME_REG_ACQ		0x30
#define NVME_REG_DBS		0x1000

#define NVME_CC_EN		0x1u
#define NVME_CC_SHN_NORMAL	(1u << 14)
/* IOSQES 6 (64-byte SQEs), IOCQES 4 (16-byte CQEs), CSS NVM, 4 KiB pages:
 * QEMU checks the entry sizes at enable and fails the controller when they are 0. */
#define NVME_CC_ENABLE		(NVME_CC_EN | 6u << 16 | 4u << 20)
#define NVME_CSTS_RDY		0x1u
#define NVME_CSTS_CFS		0x2u
#define NVME_CSTS_SHST_MASK	(3u << 2)
#define NVME_CSTS_SHST_DONE	(2u << 2)

/* Admin and NVM opcodes */
#define NVME_ADM_CREATE_SQ	0x01
#define NVME_ADM_CREATE_CQ	0x05
#define NVME_ADM_IDENTIFY	0x06
#define NVME_CMD_READ		0x02

#define NVME_CNS_NS		0
#define NVME_CNS_CTRL		1
#define NVME_CNS_ACTIVE_NS	2

/* Identify controller / namespace fields (byte offsets) */
#define NVME_ID_CTRL_MDTS	77
#define NVME_ID_CTRL_NN		516
#define NVME_ID_NS_NSZE		0
#define NVME_ID_NS_FLBAS	26
#define NVME_ID_NS_LBAF		128

#define NVME_PAGE		4096u
#define NVME_ADMIN_ENTRIES	16u
#define NVME_IO_ENTRIES		16u
#define NVME_MAX_XFER		0x40000u	/* 256 KiB per read command, before MDTS */
#define NVME_CMD_TIMEOUT_MS	5000u
#define NVME_MAX_NS		64u	/* namespaces registered per controller */

/* Pages of the per-controller DMA block, each at IOBA base + index * 4 KiB. */
enum { PG_ASQ, PG_ACQ, PG_IOSQ, PG_IOCQ, PG_IDENT, PG_PRPLIST, PG_BOUNCE, PG_COUNT };

/*
 * IOBA layout: controller k owns [NVME_IOBA_BASE + k * NVME_IOBA_SPAN, +span):
 * the pages above, then from +NVME_IOBA_DATA the scratch range for one read
 * (NVME_MAX_XFER plus one page for a buffer that does not start on a page).
 */
#define NVME_IOBA_BASE		0x100000ull
#define NVME_IOBA_SPAN		0x100000ull
#define NVME_IOBA_DATA		0x10000ull

struct nvme_sqe {
	le32 cdw0;	/* opcode [7:0], command id [31:16] */
	le32 nsid;
	le32 rsvd[2];
	le64 mptr;
	le64 prp1, prp2;
	le32 cdw10, cdw11, cdw12, cdw13, cdw14, cdw15;
};

struct nvme_cqe {
	le32 result;
	le32 rsvd;
	le16 sq_head, sq_id;
	le16 cid;
	le16 status;	/* phase [0], status field [15:1] */
};

_Static_assert(sizeof(struct nvme_sqe) == 64, "NVMe SQE is 64 bytes");
_Static_assert(sizeof(struct nvme_cqe) == 16, "NVMe CQE is 16 bytes");

struct nvme_queue {
	struct nvme_sqe *sq;
	volatile struct nvme_cqe *cq;
	uint16_t entries, sq_tail, cq_head;
	uint8_t phase;
	uint64_t sq_doorbell, cq_doorbell;
};

struct nvme_ctrl {
	struct nvme_ctrl *next;
	struct pci_dev *pci;
	char path[OF_PATH_MAX];
	uint64_t regs;		/* BAR0 CPU address */
	uint32_t liobn;
	uint64_t ioba;		/* start of this controller's IOBA span */
	uint32_t ready_timeout_ms;	/* CAP.TO */
	uint32_t max_xfer;	/* bytes per read command (MDTS and ours) */
	uint16_t cid;
	int live;		/* enabled, I/O queues created, pages mapped */
	uint8_t *pages;		/* PG_COUNT pages, 4 KiB-aligned */
	struct nvme_queue admin, io;
};

struct nvme_ns {
	struct block_dev bd;	/* bd.priv points back here */
	struct nvme_ctrl *ctrl;
	uint32_t nsid;
};

static struct nvme_ctrl *ctrls;
static unsigned int nctrls;

/* A full barrier ("sync" on ppc64): queue entries in memory before the doorbell store. */
static inline void mem_barrier(void)
{
	__sync_synchronize();
}

static uint32_t reg_read32(const struct nvme_ctrl *c, unsigned int reg)
{
	return pci_le32_read(c->regs + reg);
}

static void reg_write32(const struct nvme_ctrl *c, unsigned int reg, uint32_t val)
{
	pci_le32_write(c->regs + reg, val);
}

static void reg_write64(const struct nvme_ctrl *c, unsigned int reg, uint64_t val)
{
	reg_write32(c, reg, (uint32_t)val);
	reg_write32(c, reg + 4, (uint32_t)(val >> 32));
}

static void *page_of(const struct nvme_ctrl *c, unsigned int pg)
{
	return c->pages + (size_t)pg * NVME_PAGE;
}

static uint64_t ioba_of(const struct nvme_ctrl *c, unsigned int pg)
{
	return c->ioba + (uint64_t)pg * NVME_PAGE;
}

/*
 * Wait until CSTS.RDY equals `ready`, at most CAP.TO.  A controller that
 * reports fatal status (CSTS.CFS) will never get there.
 */
static const char *wait_ready(const struct nvme_ctrl *c, uint32_t ready)
{
	uint64_t end = time_deadline_ms(c->ready_timeout_ms);

	for (;;) {
		uint32_t csts = reg_read32(c, NVME_REG_CSTS);

		if (csts == 0xffffffffu)
			return "registers unreachable";
		if (csts & NVME_CSTS_CFS)
			return "controller fatal status (CSTS.CFS)";
		if ((csts & NVME_CSTS_RDY) == ready)
			return NULL;
		if (time_expired(end))
			return ready ? "timed out waiting for the controller to become ready" :
				       "timed out waiting for the controller to stop";
	}
}

/* Clear CC.EN (and SHN) and wait for RDY 0: the queues are gone, no DMA is in flight. */
static const char *ctrl_disable(struct nvme_ctrl *c)
{
	c->live = 0;
	if (!(reg_read32(c, NVME_REG_CC) & NVME_CC_EN) &&
	    !(reg_read32(c, NVME_REG_CSTS) & NVME_CSTS_RDY))
		return NULL;
	reg_write32(c, NVME_REG_CC, 0);
	return wait_ready(c, 0);
}

static void queue_init(struct nvme_ctrl *c, struct nvme_queue *q, unsigned int sq_pg,
		       unsigned int cq_pg, uint16_t entries, uint64_t sq_doorbell,
		       uint64_t cq_doorbell)
{
	q->sq = page_of(c, sq_pg);
	q->cq = page_of(c, cq_pg);
	memset(q->sq, 0, NVME_PAGE);
	memset((void *)q->cq, 0, NVME_PAGE);
	q->entries = entries;
	q->sq_tail = q->cq_head = 0;
	q->phase = 1;	/* the controller writes phase 1 on its first pass */
	q->sq_doorbell = sq_doorbell;
	q->cq_doorbell = cq_doorbell;
}

/*
 * Submit one command and poll for its completion.  Returns 0, the NVMe
 * status (> 0) or -1 on a timeout (the caller disables the controller, so
 * a late completion cannot write into memory that has moved on).
 */
static int nvme_submit(struct nvme_ctrl *c, struct nvme_queue *q, struct nvme_sqe *cmd,
		       uint32_t *result)
{
	volatile struct nvme_cqe *cqe;
	uint16_t cid = ++c->cid, status;
	uint64_t end;

	cmd->cdw0 = cpu_to_le32((le32_to_cpu(cmd->cdw0) & 0xffffu) | (uint32_t)cid << 16);
	q->sq[q->sq_tail] = *cmd;
	q->sq_tail = (uint16_t)((q->sq_tail + 1) % q->entries);
	mem_barrier();		/* the entry before the doorbell that publishes it */
	pci_le32_write(q->sq_doorbell, q->sq_tail);

	cqe = &q->cq[q->cq_head];
	end = time_deadline_ms(NVME_CMD_TIMEOUT_MS);
	while ((le16_to_cpu(cqe->status) & 1u) != q->phase) {
		if (time_expired(end))
			return -1;
	}
	mem_barrier();		/* the entry's fields after its phase bit */
	status = le16_to_cpu(cqe->status) >> 1;
	if (result)
		*result = le32_to_cpu(cqe->result);
	if (le16_to_cpu(cqe->cid) != cid)
		status = 0x7fff;	/* not ours: treat as failed */
	if (++q->cq_head == q->entries) {
		q->cq_head = 0;
		q->phase ^= 1;
	}
	pci_le32_write(q->cq_doorbell, q->cq_head);
	return status;
}

static int admin_cmd(struct nvme_ctrl *c, struct nvme_sqe *cmd)
{
	int rc = nvme_submit(c, &c->admin, cmd, NULL);

	if (rc < 0) {
		pr_err("%s: admin command 0x%x timed out; controller disabled\n", c->path,
		       (unsigned int)(le32_to_cpu(cmd->cdw0) & 0xff));
		ctrl_disable(c);
	}
	return rc;
}

/* Identify into the Identify page (PRP1 only: 4 KiB, page-aligned). */
static int identify(struct nvme_ctrl *c, uint32_t cns, uint32_t nsid)
{
	struct nvme_sqe cmd = { 0 };

	cmd.cdw0 = cpu_to_le32(NVME_ADM_IDENTIFY);
	cmd.nsid = cpu_to_le32(nsid);
	cmd.prp1 = cpu_to_le64(ioba_of(c, PG_IDENT));
	cmd.cdw10 = cpu_to_le32(cns);
	memset(page_of(c, PG_IDENT), 0, NVME_PAGE);
	return admin_cmd(c, &cmd);
}

/*
 * Bring the controller up: map the fixed pages, disable it if it was left
 * enabled, admin queues, CC, wait RDY, then one I/O completion and one
 * submission queue (physically contiguous, as CAP.CQR requires on QEMU).
 */
static const char *ctrl_start(struct nvme_ctrl *c, uint16_t io_entries)
{
	struct nvme_sqe cmd = { 0 };
	const char *why;
	/* doorbell stride: 4 << CAP.DSTRD (0 on QEMU) */
	uint64_t stride = 4u << (reg_read32(c, NVME_REG_CAP + 4) & 0xf);
	uint64_t db = c->regs + NVME_REG_DBS;

	if (tce_map(c->liobn, c->ioba, virt_to_phys(c->pages), PG_COUNT * NVME_PAGE,
		    TCE_READ | TCE_WRITE))
		return "cannot map its queues in the DMA window";
	why = ctrl_disable(c);
	if (why)
		return why;

	queue_init(c, &c->admin, PG_ASQ, PG_ACQ, NVME_ADMIN_ENTRIES, db, db + stride);
	reg_write32(c, NVME_REG_AQA, (NVME_ADMIN_ENTRIES - 1) << 16 | (NVME_ADMIN_ENTRIES - 1));
	reg_write64(c, NVME_REG_ASQ, ioba_of(c, PG_ASQ));
	reg_write64(c, NVME_REG_ACQ, ioba_of(c, PG_ACQ));
	mem_barrier();
	reg_write32(c, NVME_REG_CC, NVME_CC_ENABLE);
	why = wait_ready(c, 1);
	if (why)
		return why;

	queue_init(c, &c->io, PG_IOSQ, PG_IOCQ, io_entries, db + 2 * stride, db + 3 * stride);
	cmd.cdw0 = cpu_to_le32(NVME_ADM_CREATE_CQ);
	cmd.prp1 = cpu_to_le64(ioba_of(c, PG_IOCQ));
	cmd.cdw10 = cpu_to_le32((uint32_t)(io_entries - 1) << 16 | 1);
	cmd.cdw11 = cpu_to_le32(1);		/* physically contiguous, no interrupts */
	if (admin_cmd(c, &cmd))
		return "cannot create the I/O completion queue";
	memset(&cmd, 0, sizeof(cmd));
	cmd.cdw0 = cpu_to_le32(NVME_ADM_CREATE_SQ);
	cmd.prp1 = cpu_to_le64(ioba_of(c, PG_IOSQ));
	cmd.cdw10 = cpu_to_le32((uint32_t)(io_entries - 1) << 16 | 1);
	cmd.cdw11 = cpu_to_le32(1u << 16 | 1);	/* completions to CQ 1, contiguous */
	if (admin_cmd(c, &cmd))
		return "cannot create the I/O submission queue";
	c->live = 1;
	return NULL;
}

/* Stop the controller and take every mapping back (after a failure too). */
static void ctrl_stop(struct nvme_ctrl *c)
{
	ctrl_disable(c);
	tce_unmap(c->liobn, c->ioba, PG_COUNT * NVME_PAGE);
}

/*
 * One read command into `buf` (any address with 4-byte alignment, which
 * PRP entries require): the buffer's pages are mapped at the scratch range
 * for this command only.  PRP1 carries the offset into the first page; PRP2
 * is the second page, or the PRP list when the transfer spans more.
 */
static int read_cmd(struct nvme_ns *ns, uint64_t lba, uint32_t count, void *buf)
{
	struct nvme_ctrl *c = ns->ctrl;
	uint64_t phys = virt_to_phys(buf), first = ALIGN_DOWN(phys, NVME_PAGE);
	uint64_t len = (uint64_t)count * ns->bd.block_size;
	uint64_t data = c->ioba + NVME_IOBA_DATA, off = phys - first;
	uint32_t npages = (uint32_t)((off + len + NVME_PAGE - 1) / NVME_PAGE), i;
	struct nvme_sqe cmd = { 0 };
	int rc;

	if (tce_map(c->liobn, data, first, (uint64_t)npages * NVME_PAGE, TCE_WRITE)) {
		pr_err("%s: cannot map a read buffer at 0x%llx in the DMA window\n", c->path,
		       (unsigned long long)phys);
		tce_unmap(c->liobn, data, (uint64_t)npages * NVME_PAGE);
		return -1;
	}
	cmd.cdw0 = cpu_to_le32(NVME_CMD_READ);
	cmd.nsid = cpu_to_le32(ns->nsid);
	cmd.prp1 = cpu_to_le64(data + off);
	if (npages == 2) {
		cmd.prp2 = cpu_to_le64(data + NVME_PAGE);
	} else if (npages > 2) {
		le64 *list = page_of(c, PG_PRPLIST);

		for (i = 1; i < npages; i++)
			list[i - 1] = cpu_to_le64(data + (uint64_t)i * NVME_PAGE);
		cmd.prp2 = cpu_to_le64(ioba_of(c, PG_PRPLIST));
	}
	cmd.cdw10 = cpu_to_le32((uint32_t)lba);
	cmd.cdw11 = cpu_to_le32((uint32_t)(lba >> 32));
	cmd.cdw12 = cpu_to_le32(count - 1);
	rc = nvme_submit(c, &c->io, &cmd, NULL);
	if (rc < 0) {
		pr_err("%s: read of block 0x%llx timed out; controller disabled\n", c->path,
		       (unsigned long long)lba);
		/* disabled before the unmap: a late completion cannot land */
		ctrl_disable(c);
	} else if (rc) {
		pr_err("%s: read of block 0x%llx failed (status 0x%x)\n", c->path,
		       (unsigned long long)lba, (unsigned int)rc);
	}
	tce_unmap(c->liobn, data, (uint64_t)npages * NVME_PAGE);
	return rc ? -1 : 0;
}

static int nvme_read(struct block_dev *bd, uint64_t lba, uint32_t count, void *buf)
{
	struct nvme_ns *ns = bd->priv;
	struct nvme_ctrl *c = ns->ctrl;
	uint32_t per_cmd = c->max_xfer / bd->block_size;

	/* Refused before any command: the controller would fail it anyway, or worse, wrap. */
	if (lba >= bd->blocks || count > bd->blocks - lba)
		return count ? -1 : 0;
	if (!c->live) {
		/* After quiesce or a timeout: set the controller up again. */
		const char *why = ctrl_start(c, c->io.entries);

		if (why) {
			pr_err("%s: restart failed: %s\n", c->path, why);
			ctrl_stop(c);
			return -1;
		}
	}
	if (virt_to_phys(buf) & 3) {
		/* PRP entries are dword-aligned: go block by block through the bounce page. */
		uint8_t *bounce = page_of(c, PG_BOUNCE);

		for (; count; count--, lba++, buf = (uint8_t *)buf + bd->block_size) {
			if (read_cmd(ns, lba, 1, bounce))
				return -1;
			memcpy(buf, bounce, bd->block_size);
		}
		return 0;
	}
	while (count) {
		uint32_t n = MIN(count, per_cmd);

		if (read_cmd(ns, lba, n, buf))
			return -1;
		lba += n;
		count -= n;
		buf = (uint8_t *)buf + (size_t)n * bd->block_size;
	}
	return 0;
}

/* ---- discovery ---- */

/* "namespace@<nsid in hex>": the unit address ofpathname writes after "namespace@". */
static void ns_node_name(char *out, uint32_t nsid)
{
	strcpy(out, "namespace@");
	fw_format_hex(out + strlen(out), nsid);
}

/*
 * Identify one namespace and register it as a disk under the controller's
 * node `namespace@<nsid>`.  An inactive namespace (NSZE 0), a block size
 * outside 512..4096 or metadata interleaved with the data is skipped with
 * one line.  Returns the new namespace or NULL.
 */
static struct nvme_ns *ns_probe(struct nvme_ctrl *c, uint32_t nsid)
{
	const uint8_t *id = page_of(c, PG_IDENT);
	uint64_t nsze;
	uint32_t lbaf, node, reg;
	unsigned int fmt, lbads;
	struct nvme_ns *ns;
	char name[24];
	int rc;

	rc = identify(c, NVME_CNS_NS, nsid);
	if (rc) {
		if (rc > 0)
			pr_warn("%s: namespace %u: Identify failed (status 0x%x); skipped\n",
				c->path, nsid, (unsigned int)rc);
		return NULL;
	}
	memcpy(&nsze, id + NVME_ID_NS_NSZE, 8);
	nsze = le64_to_cpu(nsze);
	if (!nsze) {
		pr_info("%s: namespace %u is not active; skipped\n", c->path, nsid);
		return NULL;
	}
	fmt = id[NVME_ID_NS_FLBAS] & 0xf;
	memcpy(&lbaf, id + NVME_ID_NS_LBAF + 4 * fmt, 4);
	lbaf = le32_to_cpu(lbaf);
	lbads = (lbaf >> 16) & 0xff;
	if (lbads < 9 || lbads > 12) {
		pr_warn("%s: namespace %u: blocks of 2^%u bytes (only 512 to 4096); skipped\n",
			c->path, nsid, lbads);
		return NULL;
	}
	if ((lbaf & 0xffff) && (id[NVME_ID_NS_FLBAS] & 0x10)) {
		pr_warn("%s: namespace %u: metadata inside the data blocks; skipped\n",
			c->path, nsid);
		return NULL;
	}

	ns = fw_heap_alloc(sizeof(*ns), 8);
	if (!ns)
		return NULL;
	ns->ctrl = c;
	ns->nsid = nsid;
	ns->bd.block_size = 1u << lbads;
	ns->bd.blocks = nsze;
	ns->bd.flags = BLOCK_DEV_NVME;
	ns->bd.read = nvme_read;
	ns->bd.priv = ns;

	ns_node_name(name, nsid);
	node = tree_add_node(c->pci->phandle, name);
	if (!node) {
		pr_warn("%s: namespace %u: no room for its node; skipped\n", c->path, nsid);
		return NULL;
	}
	reg = cpu_to_be32(nsid);
	tree_setprop(node, "reg", &reg, sizeof(reg));
	tree_setprop(node, "device_type", "block", sizeof("block"));
	ns->bd.phandle = node;
	pr_info("%s/%s: %llu blocks of %u bytes (%llu MiB)\n", c->path, name,
		(unsigned long long)nsze, ns->bd.block_size,
		(unsigned long long)((nsze * ns->bd.block_size) >> 20));
	return ns;
}

/*
 * Only the namespace nodes are disks: QEMU's qemu,boot-list names just the
 * controller (pseries drops the "/namespace@1,0" suffix), and the boot
 * order takes a path naming a controller for the disks below it
 * (boot/boot_order.c, decision 46).
 */
static void register_ns(struct nvme_ctrl *c, struct nvme_ns *ns)
{
	if (block_dev_register(&ns->bd) < 0)
		pr_warn("%s: namespace %u: too many disks; skipped\n", c->path, ns->nsid);
}

/* The active namespaces (CNS 2: ascending, zero-terminated), else 1..NN. */
static unsigned int list_namespaces(struct nvme_ctrl *c, uint32_t nn, uint32_t *out)
{
	const le32 *list = page_of(c, PG_IDENT);
	unsigned int n = 0, i;

	if (!identify(c, NVME_CNS_ACTIVE_NS, 0)) {
		for (i = 0; i < NVME_PAGE / 4 && n < NVME_MAX_NS && list[i]; i++) {
			uint32_t nsid = le32_to_cpu(list[i]);

			if (nsid <= nn)
				out[n++] = nsid;
		}
		return n;
	}
	if (!c->live)
		return 0;	/* timed out: the controller is off */
	/* NVMe 1.0 controllers have no CNS 2: try every NSID, inactive ones are skipped */
	for (i = 1; i <= nn && n < NVME_MAX_NS; i++)
		out[n++] = i;
	return n;
}

/* The PHB's DMA window: LIOBN, start and size (ibm,#dma-*-cells, 2 and 2 by default). */
static const char *dma_window(struct nvme_ctrl *c, uint64_t *start, uint64_t *size)
{
	uint32_t phb = tree_parent(c->pci->phandle), acells = 2, scells = 2;
	be32 cell, cells[9];
	int len, i;

	if (!tree_read_exact(phb, "ibm,#dma-address-cells", &cell, 4))
		acells = be32_to_cpu(cell);
	if (!tree_read_exact(phb, "ibm,#dma-size-cells", &cell, 4))
		scells = be32_to_cpu(cell);
	len = tree_read_prop(phb, "ibm,dma-window", cells, sizeof(cells));
	if (acells > 2 || scells > 2 || acells + scells == 0 ||
	    len != (int)(4 * (1 + acells + scells)))
		return "its PHB has no usable ibm,dma-window";
	c->liobn = be32_to_cpu(cells[0]);
	*start = *size = 0;
	for (i = 0; i < (int)acells; i++)
		*start = *start << 32 | be32_to_cpu(cells[1 + i]);
	for (i = 0; i < (int)scells; i++)
		*size = *size << 32 | be32_to_cpu(cells[1 + acells + i]);
	return NULL;
}

static const char *ctrl_setup(struct nvme_ctrl *c, uint32_t *nn_out)
{
	uint64_t cap, win_start, win_size, span_end;
	uint32_t nn, mdts_bytes;
	uint16_t io_entries;
	const uint8_t *id;
	const char *why;
	uint8_t mdts;

	why = dma_window(c, &win_start, &win_size);
	if (why)
		return why;
	c->ioba = NVME_IOBA_BASE + (uint64_t)nctrls * NVME_IOBA_SPAN;
	span_end = c->ioba + NVME_IOBA_SPAN;
	if (c->ioba < win_start || span_end > win_start + win_size)
		return "no room left in the PHB's DMA window";

	c->regs = pci_bar_cpu_addr(c->pci, 0, 0, NVME_REG_DBS + 16);
	if (!c->regs)
		return "BAR0 not assigned";
	cap = reg_read32(c, NVME_REG_CAP) | (uint64_t)reg_read32(c, NVME_REG_CAP + 4) << 32;
	if (cap == ~0ull)
		return "registers unreachable";
	if (!(cap >> 37 & 1))
		return "no NVM command set";
	if ((cap >> 48) & 0xf)
		return "smallest memory page size is not 4 KiB";
	c->ready_timeout_ms = MAX((uint32_t)((cap >> 24) & 0xff) * 500u, 500u);
	io_entries = (uint16_t)MIN((uint32_t)(cap & 0xffff) + 1, NVME_IO_ENTRIES);
	if (io_entries < 2)
		return "queues too small";

	c->pages = fw_heap_alloc(PG_COUNT * NVME_PAGE, NVME_PAGE);
	if (!c->pages)
		return "out of firmware memory";
	why = ctrl_start(c, io_entries);
	if (why)
		return why;

	if (identify(c, NVME_CNS_CTRL, 0))
		return "Identify controller failed";
	id = page_of(c, PG_IDENT);
	mdts = id[NVME_ID_CTRL_MDTS];
	memcpy(&nn, id + NVME_ID_CTRL_NN, 4);
	nn = le32_to_cpu(nn);
	/* MDTS: 2^n minimum-size (4 KiB) pages; 0 means no limit */
	mdts_bytes = mdts && mdts < 20 ? NVME_PAGE << mdts : NVME_MAX_XFER;
	c->max_xfer = MIN(mdts_bytes, NVME_MAX_XFER);
	*nn_out = nn;
	return NULL;
}

static void ctrl_probe(struct pci_dev *d)
{
	struct nvme_ctrl *c = fw_heap_alloc(sizeof(*c), 8);
	uint32_t nn = 0, nsids[NVME_MAX_NS];
	be32 one = cpu_to_be32(1), zero = 0;
	unsigned int i, n, registered = 0;
	const char *why;

	if (!c)
		return;
	c->pci = d;
	c->path[0] = '\0';
	tree_path(d->phandle, c->path, sizeof(c->path));
	why = ctrl_setup(c, &nn);
	if (!why && !nn)
		why = "no namespaces (NN = 0)";
	if (why) {
		pr_warn("%s: %s; skipped\n", c->path, why);
		if (c->pages)
			ctrl_stop(c);
		return;
	}
	c->next = ctrls;
	ctrls = c;
	nctrls++;

	n = list_namespaces(c, nn, nsids);
	/* the namespace nodes' "reg" is one cell, the NSID */
	tree_setprop(d->phandle, "#address-cells", &one, 4);
	tree_setprop(d->phandle, "#size-cells", &zero, 4);
	for (i = 0; i < n && c->live; i++) {
		struct nvme_ns *ns = ns_probe(c, nsids[i]);

		if (ns) {
			register_ns(c, ns);
			registered++;
		}
	}
	if (!registered)
		pr_warn("%s: no active namespace; skipped\n", c->path);
}

/* Named to sort after pci_init (hooks of one level run in name order): BARs are assigned by then. */
static int pci_nvme_init(void)
{
	struct pci_dev *d;

	for (d = pci_next(NULL); d; d = pci_next(d))
		if (d->class_code == NVME_CLASS)
			ctrl_probe(d);
	return 0;
}
FW_INIT(pci_nvme_init, FW_INIT_DRIVER, "NVMe disks");

/*
 * Hand Linux idle controllers and an empty DMA window: shutdown
 * notification (CC.SHN, wait CSTS.SHST), then disable, then unmap every
 * TCE this driver set (data pages are unmapped after each command).
 */
static void nvme_quiesce(void)
{
	struct nvme_ctrl *c;

	for (c = ctrls; c; c = c->next) {
		if (c->live) {
			uint64_t end = time_deadline_ms(c->ready_timeout_ms);

			reg_write32(c, NVME_REG_CC, NVME_CC_ENABLE | NVME_CC_SHN_NORMAL);
			while ((reg_read32(c, NVME_REG_CSTS) & NVME_CSTS_SHST_MASK) !=
			       NVME_CSTS_SHST_DONE) {
				if (time_expired(end)) {
					pr_warn("%s: shutdown timed out; disabling\n", c->path);
					break;
				}
			}
		}
		ctrl_stop(c);
	}
}
FW_QUIESCE(nvme_quiesce);
