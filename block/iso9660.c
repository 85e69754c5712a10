/* SPDX-License-Identifier: Apache-2.0 */
/* ISO 9660 volumes (CDs, grub-mkrescue and installer images): volume descriptor, path lookup, file reads. */

#include <string.h>
#include <vofkit/block/block.h>
#include <vofkit/block/iso9660.h>
#include <vofkit/lib/util.h>

/*
 * Layout (ECMA-119): sectors of 2048 bytes; volume descriptors from sector
 * 16, one per sector, "CD001" at byte 1; the primary one (type 1) gives the
 * volume size, the logical block size and the root directory's record.
 * A directory is a run of records; a record never crosses a sector (a
 * zero length byte means "nothing more in this sector").  Every value read
 * from the image is checked against the image before it is used: the
 * image may be anything a user or an attacker attached.
 */
#define VD_FIRST		16
#define VD_MAX			32	/* descriptors read before giving up on a PVD */
#define VD_TYPE_PRIMARY		1
#define VD_TYPE_END		255
#define PVD_VOLUME_BLOCKS	80	/* LE32 */
#define PVD_BLOCK_SIZE		128	/* LE16 */
#define PVD_ROOT_RECORD		156
#define PVD_READ		(PVD_ROOT_RECORD + 34)

#define DR_LENGTH		0
#define DR_EXT_ATTR		1
#define DR_EXTENT		2	/* LE32 then BE32 */
#define DR_SIZE			10	/* LE32 then BE32 */
#define DR_FLAGS		25
#define DR_UNIT_SIZE		26
#define DR_GAP			27
#define DR_NAME_LEN		32
#define DR_NAME			33
#define DR_MIN			34	/* fixed part and a name of at least one byte */

#define DR_FLAG_DIR		0x02
#define DR_FLAG_ASSOCIATED	0x04	/* an Apple resource fork and the like: not the file */
#define DR_FLAG_MULTI_EXTENT	0x80

#define NAME_MAX_LEN		255

/*
 * Largest directory searched.  Real ones are far smaller (a Debian
 * installer's largest holds a few thousand entries, well under 1 MiB); the
 * bound keeps a hostile 4 GiB "directory" from costing minutes of reads.
 */
#define DIR_MAX			(4u << 20)

/* Records and descriptors are read one sector at a time into this buffer. */
static uint8_t sector[ISO9660_SECTOR];

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint8_t fold(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? (uint8_t)(c - 'A' + 'a') : c;
}

static bool same_name(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	size_t i;

	if (alen != blen)
		return false;
	for (i = 0; i < alen; i++) {
		if (fold(a[i]) != fold(b[i]))
			return false;
	}
	return true;
}

/* A name as SLOF and the CHRP boot scripts compare it: ";version" and then one trailing '.' dropped. */
static size_t plain_length(const uint8_t *name, size_t len)
{
	const uint8_t *semi = memchr(name, ';', len);

	if (semi)
		len = (size_t)(semi - name);
	if (len && name[len - 1] == '.')
		len--;
	return len;
}

/* An extent of `size` bytes at sector `lba` (+ extended attribute sectors) inside the volume? */
static int extent_offset(const struct iso9660_volume *vol, uint32_t lba, uint8_t ext_attr,
			 uint32_t size, uint64_t *off)
{
	uint64_t start = ((uint64_t)lba + ext_attr) * ISO9660_SECTOR;

	if (start > vol->limit || size > vol->limit - start)
		return -1;
	*off = start;
	return 0;
}

int iso9660_mount(struct block_dev *dev, uint64_t base, uint64_t size,
		  struct iso9660_volume *vol, const char **why)
{
	const uint8_t *root = &sector[PVD_ROOT_RECORD];
	uint64_t volume_bytes;
	unsigned int i;

	if (size < (VD_FIRST + 1) * (uint64_t)ISO9660_SECTOR)
		return 1;
	for (i = 0; i < VD_MAX; i++) {
		uint64_t at = (uint64_t)(VD_FIRST + i) * ISO9660_SECTOR;

		if (at + ISO9660_SECTOR > size ||
		    block_read_bytes(dev, base + at, sector, PVD_READ)) {
			*why = "cannot read the volume descriptors";
			return i ? -1 : 1;
		}
		if (memcmp(&sector[1], "CD001", 5)) {
			if (!i)
				return 1;
			*why = "the volume descriptors end without a terminator";
			return -1;
		}
		if (sector[0] == VD_TYPE_PRIMARY)
			break;
		if (sector[0] == VD_TYPE_END) {
			*why = "no primary volume descriptor";
			return -1;
		}
	}
	if (i == VD_MAX) {
		*why = "no primary volume descriptor among the first 32";
		return -1;
	}
	/* every CD and every image tool uses 2048; the CHRP and SLOF readers assume it */
	if (sector[PVD_BLOCK_SIZE] != (ISO9660_SECTOR & 0xff) ||
	    sector[PVD_BLOCK_SIZE + 1] != ISO9660_SECTOR >> 8) {
		*why = "the volume's logical block size is not 2048 bytes";
		return -1;
	}
	volume_bytes = (uint64_t)get_le32(&sector[PVD_VOLUME_BLOCKS]) * ISO9660_SECTOR;
	if (volume_bytes <= VD_FIRST * (uint64_t)ISO9660_SECTOR) {
		*why = "the volume size in the primary descriptor is too small";
		return -1;
	}
	vol->dev = dev;
	vol->base = base;
	vol->limit = MIN(size, volume_bytes);
	vol->root_size = get_le32(&root[DR_SIZE]);
	if (root[DR_LENGTH] < DR_MIN || !(root[DR_FLAGS] & DR_FLAG_DIR) ||
	    extent_offset(vol, get_le32(&root[DR_EXTENT]), root[DR_EXT_ATTR], vol->root_size,
			  &vol->root)) {
		*why = "the root directory record is bad or lies beyond the image";
		return -1;
	}
	return 0;
}

/* The Rock Ridge name (SUSP "NM" entries) of a record, assembled into out; its length or 0. */
static size_t rock_ridge_name(const uint8_t *rec, size_t len, uint8_t *out)
{
	size_t name_len = rec[DR_NAME_LEN];
	size_t su = DR_NAME + name_len + !(name_len & 1);	/* the name is padded to even */
	size_t n = 0;

	while (su + 4 <= len) {
		size_t elen = rec[su + 2];

		if (elen < 4 || su + elen > len)
			break;	/* malformed System Use: no Rock Ridge name, the ISO name still counts */
		/* NM: flags at 4 (bit 0 continue, bits 1-2 "." and ".."), name from 5 */
		if (rec[su] == 'N' && rec[su + 1] == 'M' && elen >= 5 && !(rec[su + 4] & 6)) {
			size_t part = elen - 5;

			if (n + part > NAME_MAX_LEN)
				return 0;
			memcpy(out + n, &rec[su + 5], part);
			n += part;
			if (!(rec[su + 4] & 1))
				break;
		}
		su += elen;
	}
	return n;
}

/*
 * Find `name` in the directory [dir, dir + dir_size) (offsets from the
 * volume base).  Every record is checked to lie inside its sector and the
 * directory before its fields are read.  0 and *found, or -1 with *why.
 */
static int dir_find(const struct iso9660_volume *vol, uint64_t dir, uint32_t dir_size,
		    const uint8_t *name, size_t name_len, struct iso9660_file *found,
		    const char **why)
{
	static uint8_t rr_name[NAME_MAX_LEN];
	uint64_t done;

	if (dir_size > DIR_MAX) {
		*why = "a directory is larger than 4 MiB";
		return -1;
	}
	for (done = 0; done < dir_size; done += ISO9660_SECTOR) {
		size_t avail = (size_t)MIN((uint64_t)ISO9660_SECTOR, dir_size - done), off = 0;

		if (block_read_bytes(vol->dev, vol->base + dir + done, sector, avail)) {
			*why = "cannot read a directory";
			return -1;
		}
		while (off < avail && sector[off + DR_LENGTH]) {
			const uint8_t *rec = &sector[off];
			size_t len = rec[DR_LENGTH], nl, rl;

			if (len < DR_MIN || len > avail - off) {
				*why = "a directory record overruns its sector or its directory";
				return -1;
			}
			nl = rec[DR_NAME_LEN];
			if (!nl || DR_NAME + nl > len) {
				*why = "a directory record's name overruns the record";
				return -1;
			}
			off += len;
			/* "." and ".." are the one-byte names 0 and 1 */
			if ((nl == 1 && rec[DR_NAME] <= 1) || (rec[DR_FLAGS] & DR_FLAG_ASSOCIATED))
				continue;
			rl = rock_ridge_name(rec, len, rr_name);
			if (!same_name(&rec[DR_NAME], plain_length(&rec[DR_NAME], nl), name, name_len) &&
			    !same_name(rr_name, rl, name, name_len))
				continue;
			if (rec[DR_FLAGS] & DR_FLAG_MULTI_EXTENT) {
				*why = "a file in several extents (over 4 GiB) is not supported";
				return -1;
			}
			if (rec[DR_UNIT_SIZE] || rec[DR_GAP]) {
				*why = "interleaved files are not supported";
				return -1;
			}
			found->dir = rec[DR_FLAGS] & DR_FLAG_DIR;
			found->size = get_le32(&rec[DR_SIZE]);
			if (extent_offset(vol, get_le32(&rec[DR_EXTENT]), rec[DR_EXT_ATTR],
					  (uint32_t)found->size, &found->offset)) {
				*why = "a file or directory extends beyond the image";
				return -1;
			}
			return 0;
		}
	}
	*why = "not found";
	return -1;
}

int iso9660_lookup(const struct iso9660_volume *vol, const char *path,
		   struct iso9660_file *file, const char **why)
{
	/* the directories walked so far, root first: a record pointing back at one is a loop */
	uint64_t walked[ISO9660_MAX_DEPTH + 1];
	const uint8_t *p = (const uint8_t *)path;
	unsigned int depth = 0, i;

	file->offset = vol->root;
	file->size = vol->root_size;
	file->dir = true;
	walked[0] = vol->root;
	for (;;) {
		const uint8_t *name;
		size_t len;

		while (*p == '\\' || *p == '/')
			p++;
		if (!*p)
			break;
		name = p;
		while (*p && *p != '\\' && *p != '/')
			p++;
		len = plain_length(name, (size_t)(p - name));
		if (!file->dir) {
			*why = "a path component is a file, not a directory";
			return -1;
		}
		if (depth == ISO9660_MAX_DEPTH) {
			*why = "the path is deeper than 16 directories";
			return -1;
		}
		if ((size_t)(p - name) > NAME_MAX_LEN) {
			*why = "a path component is longer than 255 bytes";
			return -1;
		}
		if (dir_find(vol, file->offset, (uint32_t)file->size, name, len, file, why))
			return -1;
		if (file->dir) {
			for (i = 0; i <= depth; i++) {
				if (walked[i] == file->offset) {
					*why = "a directory record loops back to a directory above it";
					return -1;
				}
			}
		}
		walked[++depth] = file->offset;
	}
	file->offset += vol->base;
	return 0;
}

int iso9660_read(const struct iso9660_volume *vol, const struct iso9660_file *file,
		 uint64_t off, void *buf, size_t len)
{
	if (off > file->size || len > file->size - off)
		return -1;
	return block_read_bytes(vol->dev, file->offset + off, buf, len);
}
