/* SPDX-License-Identifier: Apache-2.0 */
/* spapr-vscsi transport: SRP over the VIO CRQ, polled; scans the bus and hands each LUN to the SCSI disk layer. */

#define pr_fmt(fmt) "v-scsi: " fmt
#include <string.h>
#include <vofkit/core/heap.h>
#include <vofkit/core/init.h>
#include <vofkit/core/mem.h>
#include <vofkit/core/time.h>
#include <vofkit/drivers/scsi.h>
#include <vofkit/drivers/tce.h>
#include <vofkit/drivers/vio.h>
#include <vofkit/lib/byteorder.h>
#include <vofkit/lib/console.h>
#include <vofkit/lib/log.h>
#include <vofkit/lib/util.h>

/*
 * One command at a time, polled: the firmware sends an SRP_CMD IU with
 * H_SEND_CRQ and polls the CRQ for the answer.  QEMU DMA-writes the
 * SRP_RSP over the request IU (same IOBA) and posts a CRQ entry whose
 * bytes 8-15 are the SRP tag, not the IU address, so the IU page must
 * stay mapped and writable and responses are matched by tag.
 *
 * The device's TCE window holds, at fixed IOBAs: the CRQ page, the IU's
 * page, and a data window the size of the largest transfer plus one page
 * (a buffer need not be page-aligned).  Data goes straight to the
 * caller's buffer, which is mapped into the data window per command
 * (skipped when the pages are mapped already), never through TCE bypass
 * (decision 51).
 */

#define VSCSI_IOBA_CRQ		0x0ull
#define VSCSI_IOBA_IU		0x1000ull
#define VSCSI_IOBA_DATA		0x10000ull
/*
 * SLOF's cap ("larger values seem to have problems with some CD-ROMs").
 * On QEMU 7.2, 128 KiB was no faster, and with 256 KiB GRUB's image
 * arrived corrupt, cause not found (decision 52).
 */
#define VSCSI_MAX_TRANSFER	0x10000u
#define VSCSI_DATA_WINDOW	(VSCSI_MAX_TRANSFER + 0x1000u)
#define VSCSI_IU_SIZE		256u	/* SRP_MAX_IU_LEN: QEMU drops longer IUs */
#define VSCSI_CMD_TIMEOUT_MS	10000u
#define VSCSI_INIT_TIMEOUT_MS	1000u
#define VSCSI_MAX_SCAN		256u	/* LUNs taken from one REPORT LUNS */

/* CRQ formats */
#define CRQ_FMT_INIT		0x01	/* with VIO_CRQ_INIT: "initialize" */
#define CRQ_FMT_INIT_DONE	0x02	/* with VIO_CRQ_INIT: "initialization complete" */
#define CRQ_FMT_SRP		0x01	/* with VIO_CRQ_PAYLOAD */

/* SRP opcodes and IU offsets (SRP rev. 16a, big-endian fields) */
#define SRP_LOGIN_REQ		0x00
#define SRP_CMD			0x02
#define SRP_LOGIN_RSP		0xC0
#define SRP_RSP			0xC1
#define SRP_TAG			8
#define SRP_LOGIN_REQ_LEN	64
#define SRP_LOGIN_IU_LEN	16	/* requested max initiator-to-target IU length */
#define SRP_LOGIN_BUF_FMT	24	/* 0x0006: direct and indirect descriptors */
#define SRP_CMD_BUF_FMT		5	/* low nibble: data-in format, 1 = direct */
#define SRP_CMD_DI_COUNT	7
#define SRP_CMD_LUN		20
#define SRP_CMD_CDB		32
#define SRP_CMD_DESC		48
#define SRP_CMD_LEN_NODATA	48
#define SRP_CMD_LEN_DATA	64	/* one 16-byte direct descriptor */
#define SRP_RSP_FLAGS		18
#define SRP_RSP_STATUS		19
#define SRP_RSP_SENSE_LEN	28
#define SRP_RSP_RESP_LEN	32
#define SRP_RSP_DATA		36
#define SRP_RSP_RSPVALID	0x01
#define SRP_RSP_SNSVALID	0x02

struct vscsi {
	struct scsi_host host;
	struct vio_dev vio;
	struct vio_crq crq;
	uint8_t *crq_page;
	uint8_t *iu;
	uint64_t iu_ioba;
	uint64_t tag;		/* never reused, so a late answer cannot pass for a new one */
	uint64_t data_first;	/* physical pages mapped at VSCSI_IOBA_DATA */
	uint64_t data_span;
	bool live;		/* CRQ registered, handshake and login done */
	char name[24];		/* "v-scsi@71000001" */
	struct vscsi *next;
};

static struct vscsi *adapters;


/* Clear the whole data window: a smaller mapping may have left pages of an earlier, larger one. */
static void vscsi_unmap_data(struct vscsi *v)
{
	tce_unmap(v->vio.unit, VSCSI_IOBA_DATA, VSCSI_DATA_WINDOW);
	v->data_span = 0;
}

/* Take the adapter down: the partner forgets the queue and no mapping is left for a late DMA. */
static void vscsi_stop(struct vscsi *v)
{
	vio_crq_free(&v->crq);
	if (v->iu_ioba != VIO_DMA_ERROR)
		vio_dma_unmap(&v->vio, VSCSI_IOBA_IU, v->iu, VSCSI_IU_SIZE);
	vscsi_unmap_data(v);
	v->live = false;
}

/*
 * Wait for the CRQ entry with `valid` and `format` (and, for a payload,
 * our tag).  Anything else is consumed: the answer to a command that
 * timed out earlier, or a transport event (the partner went away).
 */
static int vscsi_wait(struct vscsi *v, uint8_t valid, uint8_t format, uint64_t tag,
		      uint32_t timeout_ms, uint8_t entry[VIO_CRQ_ENTRY])
{
	uint64_t end = time_deadline_ms(timeout_ms);

	for (;;) {
		while (vio_crq_poll(&v->crq, entry)) {
			if (entry[0] == valid && entry[1] == format &&
			    (valid != VIO_CRQ_PAYLOAD || get_be64(entry + 8) == tag))
				return 0;
			if (entry[0] == VIO_CRQ_INIT && entry[1] == CRQ_FMT_INIT)
				/* The partner (re)started first: answer as it expects. */
				vio_crq_send(&v->crq, (uint64_t)VIO_CRQ_INIT << 56 |
					     (uint64_t)CRQ_FMT_INIT_DONE << 48, 0);
			if (entry[0] == VIO_CRQ_TRANSPORT) {
				pr_err("%s: the adapter closed the connection\n", v->name);
				return -1;
			}
		}
		if (time_expired(end))
			return -2;
	}
}

/* Send the IU (iu_len bytes at iu_ioba) and wait for its answer; 0, -1 (failed) or -2 (timeout). */
static int vscsi_send_iu(struct vscsi *v, uint64_t tag, unsigned int iu_len, uint32_t timeout_ms)
{
	uint8_t entry[VIO_CRQ_ENTRY];
	int rc;

	if (vio_crq_send(&v->crq, (uint64_t)VIO_CRQ_PAYLOAD << 56 | (uint64_t)CRQ_FMT_SRP << 48 | iu_len,
			 v->iu_ioba))
		return -1;
	rc = vscsi_wait(v, VIO_CRQ_PAYLOAD, CRQ_FMT_SRP, tag, timeout_ms, entry);
	if (rc)
		return rc;
	/* status 0x10: QEMU could not DMA the IU or its answer */
	if (entry[3] || get_be64(v->iu + SRP_TAG) != tag)
		return -1;
	return 0;
}

/*
 * SRP login, as Linux's ibmvscsi does before its first command.  QEMU
 * would take commands without it (SLOF never logs in); a real VIOS does
 * not, and QEMU answers at once, so it costs one round trip.
 */
static const char *vscsi_login(struct vscsi *v)
{
	uint64_t tag = ++v->tag;
	int rc;

	memset(v->iu, 0, VSCSI_IU_SIZE);
	v->iu[0] = SRP_LOGIN_REQ;
	put_be64(v->iu + SRP_TAG, tag);
	put_be32(v->iu + SRP_LOGIN_IU_LEN, VSCSI_IU_SIZE);
	put_be16(v->iu + SRP_LOGIN_BUF_FMT, 0x0006);
	rc = vscsi_send_iu(v, tag, SRP_LOGIN_REQ_LEN, VSCSI_INIT_TIMEOUT_MS);
	if (rc == -2)
		return "no answer to the SRP login";
	if (rc || v->iu[0] != SRP_LOGIN_RSP)
		return "SRP login refused";
	return NULL;
}

/* Register the CRQ, do the init handshake and log in; NULL or why not. */
static const char *vscsi_start(struct vscsi *v)
{
	uint8_t entry[VIO_CRQ_ENTRY];
	const char *why;
	int rc;

	if (vio_crq_register(&v->crq, &v->vio, v->crq_page, VSCSI_IOBA_CRQ))
		return "no command queue";
	v->iu_ioba = vio_dma_map(&v->vio, VSCSI_IOBA_IU, v->iu, VSCSI_IU_SIZE);
	if (v->iu_ioba == VIO_DMA_ERROR) {
		vscsi_stop(v);
		return "cannot map the request buffer";
	}
	if (vio_crq_send(&v->crq, (uint64_t)VIO_CRQ_INIT << 56 | (uint64_t)CRQ_FMT_INIT << 48, 0)) {
		vscsi_stop(v);
		return "the adapter refused the queue initialisation";
	}
	rc = vscsi_wait(v, VIO_CRQ_INIT, CRQ_FMT_INIT_DONE, 0, VSCSI_INIT_TIMEOUT_MS, entry);
	if (rc) {
		vscsi_stop(v);
		return "no answer to the queue initialisation";
	}
	why = vscsi_login(v);
	if (why) {
		vscsi_stop(v);
		return why;
	}
	v->live = true;
	return NULL;
}

/* The IOBA of [buf, buf + len) in the data window, mapping its pages unless they are already. */
static uint64_t vscsi_map_data(struct vscsi *v, void *buf, uint32_t len)
{
	uint64_t phys = virt_to_phys(buf);
	uint64_t ioba;

	if (v->data_span && phys >= v->data_first && phys + len <= v->data_first + v->data_span)
		return VSCSI_IOBA_DATA + (phys - v->data_first);
	v->data_span = 0;
	ioba = vio_dma_map(&v->vio, VSCSI_IOBA_DATA, buf, len);
	if (ioba == VIO_DMA_ERROR)
		return ioba;
	v->data_first = phys & ~0xfffull;
	v->data_span = ALIGN_UP(phys + len, 0x1000ull) - v->data_first;
	return ioba;
}

static int vscsi_exec(struct scsi_host *host, uint64_t lun, const uint8_t *cdb,
		      unsigned int cdb_len, void *buf, uint32_t len,
		      uint8_t sense[SCSI_SENSE_MAX])
{
	struct vscsi *v = host->priv;
	unsigned int iu_len = SRP_CMD_LEN_NODATA;
	uint64_t tag, data_ioba = 0;
	uint32_t sense_len, sense_off;
	int rc;

	if (sense)
		memset(sense, 0, SCSI_SENSE_MAX);
	if (cdb_len > 16 || len > VSCSI_MAX_TRANSFER)
		return SCSI_ERR_TRANSPORT;
	if (!v->live) {
		/* First use after quiesce or a timeout. */
		const char *why = vscsi_start(v);

		if (why) {
			pr_err("%s: restart failed: %s\n", v->name, why);
			return SCSI_ERR_TRANSPORT;
		}
	}
	if (len) {
		data_ioba = vscsi_map_data(v, buf, len);
		if (data_ioba == VIO_DMA_ERROR) {
			pr_err("%s: cannot map a %u-byte buffer\n", v->name, len);
			return SCSI_ERR_TRANSPORT;
		}
		iu_len = SRP_CMD_LEN_DATA;
	}

	tag = ++v->tag;
	memset(v->iu, 0, SRP_CMD_LEN_DATA);
	v->iu[0] = SRP_CMD;
	put_be64(v->iu + SRP_TAG, tag);
	put_be64(v->iu + SRP_CMD_LUN, lun);
	memcpy(v->iu + SRP_CMD_CDB, cdb, cdb_len);
	if (len) {
		v->iu[SRP_CMD_BUF_FMT] = 0x01;	/* data-in: one direct descriptor */
		v->iu[SRP_CMD_DI_COUNT] = 1;
		put_be64(v->iu + SRP_CMD_DESC, data_ioba);
		put_be32(v->iu + SRP_CMD_DESC + 12, len);
	}

	rc = vscsi_send_iu(v, tag, iu_len, VSCSI_CMD_TIMEOUT_MS);
	if (rc == -2) {
		pr_err("%s: SCSI command 0x%x to LUN %llx timed out after %u s; adapter reset\n",
		       v->name, cdb[0], (unsigned long long)lun, VSCSI_CMD_TIMEOUT_MS / 1000);
		vscsi_stop(v);
		return SCSI_ERR_TRANSPORT;
	}
	if (rc || v->iu[0] != SRP_RSP) {
		pr_err("%s: SCSI command 0x%x to LUN %llx: no valid response\n",
		       v->name, cdb[0], (unsigned long long)lun);
		vscsi_stop(v);
		return SCSI_ERR_TRANSPORT;
	}
	if (sense && (v->iu[SRP_RSP_FLAGS] & SRP_RSP_SNSVALID)) {
		sense_off = SRP_RSP_DATA;
		if (v->iu[SRP_RSP_FLAGS] & SRP_RSP_RSPVALID)
			sense_off += get_be32(v->iu + SRP_RSP_RESP_LEN);
		sense_len = get_be32(v->iu + SRP_RSP_SENSE_LEN);
		if (sense_off < VSCSI_IU_SIZE)
			memcpy(sense, v->iu + sense_off,
			       MIN(MIN(sense_len, (uint32_t)SCSI_SENSE_MAX), VSCSI_IU_SIZE - sense_off));
	}
	return v->iu[SRP_RSP_STATUS];
}

/* ---- the bus scan ---- */

/* The unit (8-byte SRP LUN, SAM logical unit addressing) QEMU, SLOF and Linux use. */
static uint64_t vscsi_unit(unsigned int channel, unsigned int target, unsigned int lun)
{
	return (uint64_t)(0x8000u | target << 8 | channel << 5 | lun) << 48;
}

/*
 * A LUN as the adapter's REPORT LUNS lists it, in the form above; 0 for a
 * form this firmware does not address.  QEMU lists target 0 on channel 0
 * in the simple form (00 LL), every other device as 0x80|target,
 * channel << 5 | lun, which is already the form above.
 */
static uint64_t vscsi_unit_of_reported(uint64_t reported)
{
	unsigned int b0 = (unsigned int)(reported >> 56), b1 = (unsigned int)(reported >> 48) & 0xff;

	if ((b0 >> 6) == 2)
		return reported & 0xffff000000000000ull;
	if (b0 == 0 && b1 < 32)
		return vscsi_unit(0, 0, b1);
	return 0;
}

static uint64_t scan_luns[VSCSI_MAX_SCAN];

/* Sort and drop duplicates and zeros: disks are probed, and so named, in unit order. */
static unsigned int vscsi_sort_units(uint64_t *u, unsigned int n)
{
	unsigned int i, j, out = 0;

	for (i = 1; i < n; i++) {
		uint64_t x = u[i];

		for (j = i; j > 0 && u[j - 1] > x; j--)
			u[j] = u[j - 1];
		u[j] = x;
	}
	for (i = 0; i < n; i++)
		if (u[i] && (!out || u[out - 1] != u[i]))
			u[out++] = u[i];
	return out;
}

/*
 * REPORT LUNS to the all-zero LUN is answered by the adapter itself with
 * every device on the bus: one command instead of SLOF's 512 probes.
 * When it fails, each target on each channel is asked for its own LUNs.
 */
static int vscsi_scan(struct vscsi *v)
{
	unsigned int i, n = 0, ch, t;
	int found = 0, rc;

	rc = scsi_report_luns(&v->host, 0, scan_luns, VSCSI_MAX_SCAN);
	if (rc >= 0) {
		for (i = 0; i < (unsigned int)rc; i++)
			scan_luns[n++] = vscsi_unit_of_reported(scan_luns[i]);
	} else {
		pr_warn("%s: the adapter cannot list its devices; probing every target\n", v->name);
		for (ch = 0; ch < 8; ch++) {
			for (t = 0; t < 64; t++) {
				uint64_t tluns[32];
				int k, m = scsi_report_luns(&v->host, vscsi_unit(ch, t, 0), tluns, 32);

				for (k = 0; k < m && n < VSCSI_MAX_SCAN; k++) {
					/* a target lists its LUNs as 00 LL */
					if (!(tluns[k] >> 56) && (tluns[k] >> 48 & 0xff) < 32)
						scan_luns[n++] = vscsi_unit(ch, t, tluns[k] >> 48 & 0xff);
				}
			}
		}
	}
	n = vscsi_sort_units(scan_luns, n);
	for (i = 0; i < n; i++)
		if (scsi_disk_probe(&v->host, scan_luns[i]) > 0)
			found++;
	return found;
}

/* "v-scsi@<reg>", as the node is named: messages say which adapter. */
static void vscsi_set_name(struct vscsi *v)
{
	memcpy(v->name, "v-scsi@", sizeof("v-scsi@") - 1);
	fw_format_hex(v->name + sizeof("v-scsi@") - 1, v->vio.unit);
}

static void vscsi_probe(const struct vio_dev *dev)
{
	struct vscsi *v = fw_heap_alloc(sizeof(*v), 8);
	const char *why;

	if (!v)
		return;
	v->vio = *dev;
	v->iu_ioba = VIO_DMA_ERROR;
	vscsi_set_name(v);
	v->crq_page = fw_heap_alloc(VIO_CRQ_SIZE, VIO_CRQ_SIZE);
	v->iu = fw_heap_alloc(VSCSI_IU_SIZE, VSCSI_IU_SIZE);
	if (!v->crq_page || !v->iu) {
		pr_warn("%s: out of firmware memory; skipped\n", v->name);
		return;
	}
	if (dev->window_size < VSCSI_IOBA_DATA + VSCSI_DATA_WINDOW) {
		pr_warn("%s: DMA window too small; skipped\n", v->name);
		return;
	}
	why = vscsi_start(v);
	if (why) {
		pr_warn("%s: %s; skipped\n", v->name, why);
		return;
	}
	v->host.phandle = dev->phandle;
	v->host.max_transfer = VSCSI_MAX_TRANSFER;
	v->host.name = v->name;
	v->host.exec = vscsi_exec;
	v->host.priv = v;
	v->next = adapters;
	adapters = v;
	if (!vscsi_scan(v))
		pr_info("%s: no disk or CD-ROM\n", v->name);
}

static int vscsi_init(void)
{
	struct vio_dev dev;
	uint32_t node = 0;

	while ((node = vio_next(node, "IBM,v-scsi", NULL, &dev)))
		vscsi_probe(&dev);
	return 0;
}
FW_INIT(vscsi_init, FW_INIT_DRIVER, "v-scsi adapters");

/*
 * Hand the OS the adapter as after a reset: no CRQ (Linux's ibmvscsi
 * registers its own) and no TCE left pointing into memory it will reuse.
 */
static void vscsi_quiesce(void)
{
	struct vscsi *v;

	for (v = adapters; v; v = v->next)
		vscsi_stop(v);
}
FW_QUIESCE(vscsi_quiesce);
