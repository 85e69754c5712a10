#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Write hostile ISO 9660 images, one per flaw, for the CD boot tests and the ISO 9660 unit tests.

Usage: tests/guests/mkbadiso.py OUTDIR

Each image is a small, otherwise valid ISO 9660 volume (2048-byte sectors,
a primary volume descriptor at sector 16, a terminator at 17) built from
scratch here, so the flaw is exactly where the name says:

  loop.iso          /PPC is a directory whose extent is the root directory
  loop_self.iso     /PPC/BOOTINFO.TXT is a directory whose extent is /PPC itself
  overrun.iso       the root's last record claims more bytes than its sector has left
  name255.iso       a record with a 255-byte name (longer than any record can hold)
  zero_skip.iso     the root's first sector ends in zero bytes and /PPC is in its second
                    sector (valid: a reader must skip to the next sector); the boot
                    script names /BOOT/BAD.ELF, which is not an ELF image
  extent_beyond.iso /PPC's extent lies far beyond the image
  file_beyond.iso   /PPC/BOOTINFO.TXT's size runs past the end of the image
  deep.iso          the boot script names a file 20 directories deep (all present)
  blocksize.iso     the primary volume descriptor says 512-byte logical blocks
  volsize.iso       the primary volume descriptor's volume size ends after the root directory:
                    /PPC, inside the file, lies beyond the volume
  no_script.iso     /PPC/BOOTINFO.TXT has no <boot-script> element
  args.iso          valid: "boot &device;:,\\BOOT\\BAD.ELF quiet  x=1" with Rock Ridge
                    names (boot/bad.elf) next to the level-1 ones

The images are reproducible (no timestamps) and a few sectors long.
"""
import os
import struct
import sys

S = 2048


def both16(v):
    return struct.pack('<H', v) + struct.pack('>H', v)


def both32(v):
    return struct.pack('<I', v) + struct.pack('>I', v)


def record(name, lba, size, flags=0, length=None, name_len=None, su=b''):
    """One directory record; length/name_len override the computed fields (hostile images)."""
    pad = b'\0' if len(name) % 2 == 0 else b''
    body = (bytes([0, 0]) + both32(lba) + both32(size) + bytes(7) + bytes([flags, 0, 0]) +
            both16(1) + bytes([len(name) if name_len is None else name_len]) + name + pad + su)
    n = len(body) if length is None else length
    return bytes([n & 0xff]) + body[1:]


def rr_name(name):
    """A Rock Ridge NM entry (SUSP): the POSIX name of a record."""
    return b'NM' + bytes([5 + len(name), 1, 0]) + name


class Image:
    def __init__(self):
        self.sectors = {}
        self.next = 18

    def alloc(self, nbytes):
        lba = self.next
        self.next += max(1, -(-nbytes // S))
        return lba

    def put(self, lba, data):
        for i in range(0, max(len(data), 1), S):
            self.sectors[lba + i // S] = data[i:i + S].ljust(S, b'\0')

    def directory(self, lba, parent, records, nsectors=1, split=None):
        """Pack records into sectors (never across one); split = index that starts sector 2."""
        secs, cur = [], b''
        dot = record(b'\0', lba, nsectors * S, 2)
        dotdot = record(b'\1', parent, S, 2)
        for i, r in enumerate([dot, dotdot] + records):
            if len(cur) + len(r) > S or (split is not None and i == split + 2):
                secs.append(cur)
                cur = b''
            cur += r
        secs.append(cur)
        while len(secs) < nsectors:
            secs.append(b'')
        self.put(lba, b''.join(s.ljust(S, b'\0') for s in secs))

    def write(self, path, root_lba, root_size, block_size=S, volume_blocks=None):
        total = self.next
        pvd = bytearray(S)
        pvd[0:7] = b'\x01CD001\x01'
        pvd[8:40] = b'PPC'.ljust(32)
        pvd[40:72] = b'VOFKIT_HOSTILE'.ljust(32)
        pvd[80:88] = both32(total if volume_blocks is None else volume_blocks)
        pvd[120:124] = both16(1)
        pvd[124:128] = both16(1)
        pvd[128:132] = both16(block_size)
        pvd[156:190] = record(b'\0', root_lba, root_size, 2)
        pvd[881] = 1
        self.put(16, bytes(pvd))
        self.put(17, b'\xffCD001\x01')
        with open(path, 'wb') as f:
            for lba in range(total):
                f.write(self.sectors.get(lba, bytes(S)))


def bootinfo(script):
    return ('<chrp-boot>\n<description>vofkit hostile CD</description>\n'
            '<boot-script>%s</boot-script>\n</chrp-boot>\n' % script).encode()


NOT_ELF = b'This is not an ELF image.\n' * 8


def standard(img, flaw=None, script='boot &device;:\\BOOT\\BAD.ELF', text=None):
    """/PPC/BOOTINFO.TXT and /BOOT/BAD.ELF; flaw patches one record. Returns (root, size)."""
    root = img.alloc(2 * S if flaw == 'zero_skip' else S)
    ppc, boot = img.alloc(S), img.alloc(S)
    text = bootinfo(script) if text is None else text
    info = img.alloc(len(text))
    img.put(info, text)
    bad = img.alloc(len(NOT_ELF))
    img.put(bad, NOT_ELF)
    info_size = 0x7ffff000 if flaw == 'file_beyond' else len(text)
    ppc_records = [record(b'BOOTINFO.TXT;1', info, info_size, su=rr_name(b'bootinfo.txt'))]
    if flaw == 'loop_self':
        ppc_records = [record(b'BOOTINFO.TXT;1', ppc, S, 2)]
    img.directory(ppc, root, ppc_records)
    img.directory(boot, root, [record(b'BAD.ELF;1', bad, len(NOT_ELF), su=rr_name(b'bad.elf'))])
    ppc_lba = {'loop': root, 'extent_beyond': 0x00ffff00}.get(flaw, ppc)
    boot_rec = record(b'BOOT', boot, S, 2, su=rr_name(b'boot'))
    ppc_rec = record(b'PPC', ppc_lba, S, 2, su=rr_name(b'ppc'))
    records = [boot_rec, ppc_rec]
    nsec, split = 1, None
    if flaw == 'overrun':
        # fill the sector so that a 36-byte PPC record is its last, then claim 200 bytes for it
        filler, used = [], 68 + len(boot_rec)
        while used + 44 + 36 <= S:
            filler.append(record(b'F%03d.TXT;1' % len(filler), bad, 16))
            used += 44
        records = filler + [boot_rec, record(b'PPC', ppc, S, 2, length=200)]
        assert S - used < 200
    elif flaw == 'name255':
        records = [record(b'N' * 220, bad, 16, length=255, name_len=255), boot_rec, ppc_rec]
    elif flaw == 'zero_skip':
        nsec, split = 2, 1
    img.directory(root, root, records, nsec, split)
    return root, nsec * S


def deep(img, depth=20):
    root = img.alloc(S)
    lbas = [img.alloc(S) for _ in range(depth)]
    f = img.alloc(len(NOT_ELF))
    img.put(f, NOT_ELF)
    for i, lba in enumerate(lbas):
        parent = root if i == 0 else lbas[i - 1]
        child = [record(b'D', lbas[i + 1], S, 2)] if i + 1 < depth else [record(b'F.ELF;1', f, len(NOT_ELF))]
        img.directory(lba, parent, child)
    path = '\\D' * depth + '\\F.ELF'
    ppc = img.alloc(S)
    text = bootinfo('boot &device;:' + path)
    info = img.alloc(len(text))
    img.put(info, text)
    img.directory(ppc, root, [record(b'BOOTINFO.TXT;1', info, len(text))])
    img.directory(root, root, [record(b'D', lbas[0], S, 2), record(b'PPC', ppc, S, 2)])
    return root, S


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for flaw in ('loop', 'loop_self', 'overrun', 'name255', 'zero_skip', 'extent_beyond',
                 'file_beyond', 'blocksize', 'volsize', 'no_script', 'args', 'deep'):
        img = Image()
        if flaw == 'deep':
            root, size = deep(img)
        elif flaw == 'no_script':
            root, size = standard(img, text=b'<chrp-boot><os-name>none</os-name></chrp-boot>\n')
        elif flaw == 'args':
            root, size = standard(img, script='boot &device;:,\\BOOT\\BAD.ELF quiet\n x=1 ')
        else:
            root, size = standard(img, flaw)
        img.write(os.path.join(out, flaw + '.iso'), root, size, 512 if flaw == 'blocksize' else S,
                  root + 1 if flaw == 'volsize' else None)
    print('mkbadiso: wrote 12 images in %s' % out)


if __name__ == '__main__':
    main()
