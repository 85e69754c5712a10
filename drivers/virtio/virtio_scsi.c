/* SPDX-License-Identifier: Apache-2.0 */
/* virtio-scsi driver: a SCSI transport over the modern virtio-pci transport, one polled request queue. */

#define pr_fmt(fmt) "virtio-scsi: " fmt
#include <string.h>
#include <vofkit/core/heap.h>
#include <vofkit/core/init.h>
#include <vofkit/core/time.h>
#include <vofkit/core/tree.h>
#include <vofkit/drivers/pci.h>
#include <vofkit/drivers/scsi.h>
#include <vofkit/drivers/virtio.h>
#include <vofkit/lib/byteorder.h>
#include <vofkit/lib/limits.h>
#include <vofkit/lib/log.h>
#include <vofkit/lib/util.h>

/*
 * Only the first request queue (queue 2) is used; the control and event
 * queues stay disabled: nothing here aborts tasks or waits for hotplug
 * events.  One command at a time, so a chain of at most three descriptors
 * (request, response, data-in) and a small ring whatever the device
 * allows (QEMU offers 256 entries).
 *
 * Every device reset (status 0, which QEMU's virtio-scsi turns into a
 * cold reset of its SCSI bus) leaves a UNIT ATTENTION on every LUN; the
 * disk layer retries through it.
 */

#define VSCSI_QUEUE_SIZE	16u
#define VSCSI_TIMEOUT_MS	5000u
#define VSCSI_MAX_TRANSFER	0x100000u	/* 1 MiB per command (QEMU: max_sectors 0xffff) */
#define VSCSI_REPORT_MAX	255u		/* LUNs one REPORT LUNS may list (the layer's buffer) */

struct vscsi {
	struct scsi_host host;		/* host.priv points back here */
	struct vscsi *next;
	struct virtio_pci vp;
	struct virtq vq;		/* request queue 0 (virtio queue 2) */
	struct virtio_scsi_req *req;
	struct virtio_scsi_resp *resp;
	uint64_t tag;
	uint32_t max_target, max_lun;
	int live;			/* DRIVER_OK and in sync with our ring indexes */
	uint8_t last_response;		/* of the last command that completed */
	char path[OF_PATH_MAX];
};

static struct vscsi *vscsis;
static uint64_t report[VSCSI_REPORT_MAX];

/*
 * The 8 LUN bytes: 1, target, then the LUN in SAM's single-level form:
 * peripheral (00 LL) below 256, flat (40|hi lo) from 256 on.  Read as a
 * big-endian number this is the child's unit address, the same value QEMU
 * prints in qemu,boot-list: (0x1000000 | target << 16 | lun [| 0x4000]) << 32.
 */
static uint64_t vscsi_lun(uint32_t target, uint32_t lun)
{
	uint64_t l = lun < 256 ? lun : (0x4000u | lun);

	return (1ull << 56) | (uint64_t)target << 48 | l << 32;
}

static void vscsi_reset(struct vscsi *v)
{
	v->live = 0;
	virtio_pci_reset(&v->vp);
}

/*
 * Reset, VERSION_1 only (HOTPLUG and CHANGE would need the event queue),
 * the request queue, DRIVER_OK; then the limits from the device config.
 * Returns NULL or the reason it failed.
 */
static const char *vscsi_setup(struct vscsi *v)
{
	uint32_t cfg[VIRTIO_SCSI_CFG_SIZE / 4];
	const char *why;

	v->live = 0;
	why = virtio_pci_negotiate(&v->vp, 0, NULL);
	if (why)
		return why;
	if (virtio_pci_read_config(&v->vp, 0, cfg, VIRTIO_SCSI_CFG_SIZE / 4)) {
		virtio_pci_fail(&v->vp);
		return "device config too short";
	}
	if (!cfg[VIRTIO_SCSI_CFG_NUM_QUEUES / 4]) {
		virtio_pci_fail(&v->vp);
		return "no request queue";
	}
	/* QEMU lays requests out by these two, which a reset restores to 32 and 96. */
	if (cfg[VIRTIO_SCSI_CFG_CDB_SIZE / 4] != VIRTIO_SCSI_CDB_SIZE ||
	    cfg[VIRTIO_SCSI_CFG_SENSE_SIZE / 4] != VIRTIO_SCSI_SENSE_SIZE) {
		virtio_pci_fail(&v->vp);
		return "unexpected CDB or sense size";
	}
	why = virtq_setup(&v->vq, VIRTIO_SCSI_REQUEST_QUEUE);
	if (!why)
		why = virtio_pci_driver_ok(&v->vp);
	if (why)
		return why;
	/* the target is one LUN byte: a larger max_target cannot be addressed */
	v->max_target = MIN(cfg[VIRTIO_SCSI_CFG_MAX_CHANNEL / 4] >> 16, 255u);
	v->max_lun = cfg[VIRTIO_SCSI_CFG_MAX_LUN / 4];
	v->live = 1;
	return NULL;
}

static int vscsi_exec(struct scsi_host *host, uint64_t lun, const uint8_t *cdb,
		      unsigned int cdb_len, void *buf, uint32_t len,
		      uint8_t sense[SCSI_SENSE_MAX])
{
	struct vscsi *v = host->priv;
	struct virtio_scsi_req *req = v->req;
	struct virtio_scsi_resp *resp = v->resp;
	struct virtq_buf chain[3] = {
		{ req, sizeof(*req), 0 },
		{ resp, sizeof(*resp), 1 },
		{ buf, len, 1 },
	};
	unsigned int i;

	if (sense)
		memset(sense, 0, SCSI_SENSE_MAX);
	if (!v->live) {
		/* After quiesce or a timeout: set the device up again. */
		const char *why = vscsi_setup(v);

		if (why) {
			pr_err("%s: restart failed: %s\n", v->path, why);
			return SCSI_ERR_TRANSPORT;
		}
	}
	if (!cdb_len || cdb_len > VIRTIO_SCSI_CDB_SIZE || (len && !buf))
		return SCSI_ERR_TRANSPORT;

	memset(req, 0, sizeof(*req));
	for (i = 0; i < 8; i++)
		req->lun[i] = (uint8_t)(lun >> (56 - 8 * i));
	req->tag = cpu_to_le64(++v->tag);
	memcpy(req->cdb, cdb, cdb_len);
	memset(resp, 0, sizeof(*resp));
	resp->response = 0xff;	/* not written: a device that completed nothing */

	if (virtq_run(&v->vq, chain, len ? 3 : 2, VSCSI_TIMEOUT_MS, NULL)) {
		/* The device may still own the buffers: reset it before anyone reuses them. */
		pr_err("%s: command 0x%x to LUN %llx timed out; device reset\n", v->path,
		       cdb[0], (unsigned long long)lun);
		vscsi_reset(v);
		return SCSI_ERR_TRANSPORT;
	}
	v->last_response = resp->response;
	switch (resp->response) {
	case VIRTIO_SCSI_S_OK:
		if (resp->status == SCSI_STATUS_CHECK && sense) {
			uint32_t n = MIN(le32_to_cpu(resp->sense_len), (uint32_t)SCSI_SENSE_MAX);

			memcpy(sense, resp->sense, n);
		}
		return resp->status;
	case VIRTIO_SCSI_S_BAD_TARGET:
	case VIRTIO_SCSI_S_INCORRECT_LUN:
		return SCSI_ERR_NO_DEVICE;
	case VIRTIO_SCSI_S_BUSY:
	case VIRTIO_SCSI_S_RESET:
		return SCSI_STATUS_BUSY;	/* the layer waits and retries */
	default:
		pr_warn("%s: command 0x%x to LUN %llx failed (virtio-scsi response %u)\n",
			v->path, cdb[0], (unsigned long long)lun, resp->response);
		return SCSI_ERR_TRANSPORT;
	}
}

/*
 * A REPORT LUNS entry (SAM single-level: peripheral 00 LL or flat 40|hi lo)
 * as this target's 8 LUN bytes, or 0 for a form QEMU does not use.
 */
static uint64_t lun_from_report(uint32_t target, uint64_t entry, uint32_t max_lun)
{
	uint32_t lun;

	if (entry & 0xffffffffffffull)
		return 0;	/* a second level: not a virtio-scsi LUN */
	switch (entry >> 62) {
	case 0:			/* peripheral: bus 0 only */
		if ((entry >> 56) & 0x3f)
			return 0;
		lun = (uint32_t)(entry >> 48) & 0xff;
		break;
	case 1:			/* flat */
		lun = (uint32_t)(entry >> 48) & 0x3fff;
		break;
	default:
		return 0;
	}
	return lun <= max_lun ? vscsi_lun(target, lun) : 0;
}

/*
 * Every target from 0 to max_target gets REPORT LUNS at its LUN 0, which
 * QEMU answers for the whole target even when LUN 0 itself is absent; a
 * missing target answers BAD_TARGET at once, so an empty target costs one
 * round trip.  Then the disk layer probes each LUN listed.
 */
static void vscsi_scan(struct vscsi *v)
{
	uint64_t start = time_ms();
	unsigned int targets = 0, found = 0;
	uint32_t t;

	for (t = 0; t <= v->max_target; t++) {
		uint64_t lun0 = vscsi_lun(t, 0);
		int i, n = scsi_report_luns(&v->host, lun0, report, VSCSI_REPORT_MAX);

		if (n < 0) {
			if (!v->live) {
				/* timed out and reset: 5 s per target would stall the boot */
				pr_err("%s: scan stopped at target %u\n", v->path, (unsigned int)t);
				break;
			}
			if (v->last_response == VIRTIO_SCSI_S_BAD_TARGET)
				continue;	/* no such target */
			/* The target is there but REPORT LUNS failed: LUN 0 at least. */
			pr_warn("%s: target %u: REPORT LUNS failed; trying LUN 0 only\n",
				v->path, (unsigned int)t);
			report[0] = 0;
			n = 1;
		}
		targets++;
		for (i = 0; i < n; i++) {
			uint64_t lun = lun_from_report(t, report[i], v->max_lun);

			if (!lun) {
				pr_warn("%s: target %u: LUN %llx not in a form virtio-scsi takes; skipped\n",
					v->path, (unsigned int)t, (unsigned long long)report[i]);
				continue;
			}
			if (scsi_disk_probe(&v->host, lun) > 0)
				found++;
		}
	}
	pr_info("%s: %u disk%s on %u target%s (scan took %llu ms)\n", v->path, found,
		found == 1 ? "" : "s", targets, targets == 1 ? "" : "s",
		(unsigned long long)(time_ms() - start));
}

/*
 * Linux 6.x (virtio_device_of_init) refuses a virtio PCI device whose node
 * has more than one available child: a WARN, the probe fails with -EINVAL
 * and the OS sees none of the disks.  SLOF has one generic "disk" child;
 * here every LUN has its own node, which bootindex paths, aliases and GRUB
 * open by path.  With two or more, they get status "disabled": Linux's
 * count skips them, and nothing that opens a node by path reads status.
 */
static void vscsi_hide_luns_from_linux(const struct vscsi *v)
{
	static const char disabled[] = "disabled";
	uint32_t c = tree_child(v->host.phandle);

	if (!c || !tree_peer(c))
		return;		/* one child is allowed (not "virtio,device8" compatible) */
	for (; c; c = tree_peer(c))
		tree_setprop(c, "status", disabled, sizeof(disabled));
}

static int is_virtio_scsi(const struct pci_dev *d)
{
	return d->vendor == VIRTIO_PCI_VENDOR &&
	       (d->device == VIRTIO_PCI_DEVICE_SCSI_TRANS ||
		d->device == VIRTIO_PCI_DEVICE_MODERN_BASE + VIRTIO_ID_SCSI);
}

static void vscsi_probe(struct pci_dev *d)
{
	struct vscsi *v = fw_heap_alloc(sizeof(*v), 8);
	be32 addr_cells = cpu_to_be32(2), size_cells = cpu_to_be32(0);
	const char *why;

	if (!v)
		return;
	memset(v, 0, sizeof(*v));
	if (tree_path(d->phandle, v->path, sizeof(v->path)) < 0)
		strcpy(v->path, "virtio-scsi");
	why = virtio_pci_find_caps(&v->vp, d);
	if (!why) {
		v->req = fw_heap_alloc(sizeof(*v->req), 16);
		v->resp = fw_heap_alloc(sizeof(*v->resp), 16);
		why = !virtq_alloc(&v->vq, &v->vp, VSCSI_QUEUE_SIZE) && v->req && v->resp ?
		      vscsi_setup(v) : "out of firmware memory";
	}
	if (why) {
		pr_warn("%s: %s; skipped\n", v->path, why);
		return;
	}
	v->host.phandle = d->phandle;
	v->host.max_transfer = VSCSI_MAX_TRANSFER;
	v->host.name = "virtio-scsi";
	v->host.exec = vscsi_exec;
	v->host.priv = v;
	v->next = vscsis;
	vscsis = v;
	/* Children are "disk@<8 LUN bytes>": two address cells, as SLOF has them. */
	tree_setprop(d->phandle, "#address-cells", &addr_cells, sizeof(addr_cells));
	tree_setprop(d->phandle, "#size-cells", &size_cells, sizeof(size_cells));
	vscsi_scan(v);
	vscsi_hide_luns_from_linux(v);
}

static int virtio_scsi_init(void)
{
	struct pci_dev *d;

	for (d = pci_next(NULL); d; d = pci_next(d))
		if (is_virtio_scsi(d))
			vscsi_probe(d);
	return 0;
}
FW_INIT(virtio_scsi_init, FW_INIT_DRIVER, "virtio-scsi disks");

/* Hand the OS idle devices: no queue pointing into memory it will reuse. */
static void virtio_scsi_quiesce(void)
{
	struct vscsi *v;

	for (v = vscsis; v; v = v->next)
		vscsi_reset(v);
}
FW_QUIESCE(virtio_scsi_quiesce);
