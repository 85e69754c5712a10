#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Build a distro-style GRUB disk image (PReP + ext2, MBR or GPT) that boots the test guest on pseries.
#
# Usage: tests/guests/mkgrubdisk.sh OUTPUT.img {mbr|gpt} [--marker TEXT] [--append "ARGS"] [--no-prep | --empty-prep]
#   OUTPUT.img         raw disk image to write (sparse, replaced atomically)
#   mbr | gpt          partition table type
#   --marker TEXT      line the guest's init prints when it is done (default: VOFKIT-INIT-REACHED)
#   --append "ARGS"    kernel arguments GRUB passes to Linux (default: "console=hvc0 quiet")
#   --no-prep          no PReP partition at all: the disk holds only the ext2 partition
#   --empty-prep       a PReP partition that holds only zeros (no boot program)
# Environment:
#   VOFKIT_CACHE       cache written by scripts/setup.sh (default: $HOME/.cache/vofkit); uses
#                      guests/vmlinux, guests/busybox and guests/grub/powerpc-ieee1275/
#   SOURCE_DATE_EPOCH  timestamp for files and the filesystem (default: 0); equal inputs give
#                      byte-identical images
#
# Layout of the 96 MiB image (1 MiB aligned, 512-byte sectors):
#   partition 1  PReP boot, 8 MiB at 1 MiB (MBR type 0x41, bootable; or the GPT PReP type GUID),
#                holding GRUB's core image (an ELF that IEEE 1275 firmware loads) from its start
#   partition 2  ext2 over the rest of the disk, label "vofkit-boot":
#                  /boot/vmlinux        copy of the cached Linux kernel
#                  /boot/initrd.img     tests/guests/mkinitramfs.sh output with the marker
#                  /boot/grub/grub.cfg  timeout 0, one entry: linux + initrd, "VOFKIT-GRUB:" echoes
# Linux then sees the command line "BOOT_IMAGE=/boot/vmlinux ARGS" (GRUB adds BOOT_IMAGE and joins
# the arguments with single spaces; quotes and backslashes are refused, GRUB would escape them).
# With --no-prep the ext2 partition is partition 1, at 1 MiB.
#
# How GRUB finds its files: the core image has prefix (ieee1275/disk,<table>2)/boot/grub, i.e.
# the ext2 partition of the disk the firmware calls "disk", and an embedded early config that
# looks the ext2 filesystem up by its UUID (trying that partition first) and resets root and
# prefix to where it was found. The UUID search keeps the image bootable when the disk is not the
# "disk" alias (a second disk, other firmware); the fixed prefix is the fallback if the search
# fails. The firmware's bootpath is not used: it names the PReP partition, not the ext2 one.
# All modules GRUB needs (partition tables, ext2, search, normal, linux, echo) are in the core
# image; the ext2 partition carries no module directory.
#
# The UUIDs and identifiers are derived from the options, so rebuilding is reproducible. No root
# needed: the filesystem is made with mkfs.ext2 -d on a separate file and copied into place.

set -Eeuo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
VK_PROG=mkgrubdisk # read by common.sh
# shellcheck source-path=SCRIPTDIR/../.. source=scripts/lib/common.sh
. "$SCRIPT_DIR/../../scripts/lib/common.sh"

usage() {
    sed -n '5,11s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
    exit 2
}

trap 'vk_on_err $? $LINENO "$BASH_COMMAND"' ERR

# ---------------------------------------------------------------- arguments

OUTPUT=
TABLE=
MARKER=VOFKIT-INIT-REACHED
APPEND="console=hvc0 quiet"
PREP=core # core | none | empty

while [ $# -gt 0 ]; do
    case "$1" in
        -h | --help) usage ;;
        --marker)
            [ $# -ge 2 ] || vk_die "--marker needs a value"
            MARKER=$2
            shift 2
            ;;
        --marker=*) MARKER=${1#--marker=}; shift ;;
        --append)
            [ $# -ge 2 ] || vk_die "--append needs a value"
            APPEND=$2
            shift 2
            ;;
        --append=*) APPEND=${1#--append=}; shift ;;
        --no-prep | --empty-prep)
            [ "$PREP" = core ] || vk_die "--no-prep and --empty-prep exclude each other"
            if [ "$1" = --no-prep ]; then PREP=none; else PREP=empty; fi
            shift
            ;;
        --) shift; break ;;
        -*) vk_die "unknown option '$1' (see --help)" ;;
        *)
            if [ -z "$OUTPUT" ]; then
                OUTPUT=$1
            elif [ -z "$TABLE" ]; then
                TABLE=$1
            else
                vk_die "unexpected argument '$1' (see --help)"
            fi
            shift
            ;;
    esac
done
[ $# -eq 0 ] || vk_die "unexpected argument '$1' (see --help)"
if [ -z "$OUTPUT" ] || [ -z "$TABLE" ]; then
    usage
fi
[ ! -d "$OUTPUT" ] || vk_die "$OUTPUT is a directory"
case "$TABLE" in
    mbr | gpt) ;;
    *) vk_die "partition table must be 'mbr' or 'gpt', not '$TABLE'" ;;
esac
case "$MARKER" in
    *[[:cntrl:]]* | "") vk_die "--marker must be a single non-empty line" ;;
esac
# GRUB's linux command re-escapes quotes and backslashes, so they would not reach Linux as given.
case "$APPEND" in
    *[[:cntrl:]]*) vk_die "--append must be a single line" ;;
    *[\'\"\\]*) vk_die "--append must not contain quotes or backslashes (GRUB would alter them)" ;;
esac

# ---------------------------------------------------------------- inputs and tools

CACHE=$(vk_cache_dir)
VMLINUX="$CACHE/guests/vmlinux"
GRUB_DIR="$CACHE/guests/grub/powerpc-ieee1275"
[ -f "$VMLINUX" ] || vk_die "$VMLINUX not found; run scripts/setup.sh (as root) first"
[ -f "$CACHE/guests/busybox" ] || vk_die "$CACHE/guests/busybox not found; run scripts/setup.sh (as root) first"

# Modules in the core image. linux pulls in elf and boot; normal pulls in terminal, gettext, crypto...
GRUB_MODULES=(part_msdos part_gpt ext2 search search_fs_uuid search_fs_file search_label
    normal configfile linux echo test)
need_tools=(sfdisk mkfs.ext2 debugfs truncate dd sha256sum)
if [ "$PREP" = core ]; then
    [ -f "$GRUB_DIR/kernel.img" ] ||
        vk_die "$GRUB_DIR/kernel.img not found; run scripts/setup.sh (as root) first"
    for m in "${GRUB_MODULES[@]}"; do
        [ -f "$GRUB_DIR/$m.mod" ] || vk_die "GRUB module $GRUB_DIR/$m.mod not found"
    done
    need_tools+=(grub-mkimage)
fi
PATH=$PATH:/usr/sbin:/sbin # sfdisk and mkfs.ext2 live here for non-root users
for t in "${need_tools[@]}"; do
    command -v "$t" >/dev/null 2>&1 || vk_die "'$t' not found (install util-linux, e2fsprogs, grub-common)"
done

# ---------------------------------------------------------------- geometry (512-byte sectors)

MiB=2048
DISK_SECTORS=$((96 * MiB))
PREP_START=$((1 * MiB))
PREP_SECTORS=$((8 * MiB))
if [ "$PREP" = none ]; then
    FS_START=$((1 * MiB))
    FS_PART=1
else
    FS_START=$((PREP_START + PREP_SECTORS))
    FS_PART=2
fi
# GPT keeps a 33-sector backup table at the end; stop the filesystem 1 MiB short for both tables.
FS_SECTORS=$((DISK_SECTORS - MiB - FS_START))
FS_BLOCKS=$((FS_SECTORS / 8)) # 4 KiB blocks
if [ "$TABLE" = mbr ]; then GRUB_PART=msdos$FS_PART; else GRUB_PART=gpt$FS_PART; fi

# Identifiers derived from every input that shapes the image.
seed=$(printf 'vofkit-grubdisk\n%s\n%s\n%s\n%s\n' "$TABLE" "$PREP" "$MARKER" "$APPEND" | sha256sum)
hex_uuid() { # NAME: an RFC 4122 version-4 style UUID from the seed and NAME
    local h
    h=$(printf '%s%s\n' "$seed" "$1" | sha256sum)
    printf '%s-%s-4%s-8%s-%s\n' "${h:0:8}" "${h:8:4}" "${h:13:3}" "${h:17:3}" "${h:20:12}"
}
FS_UUID=$(hex_uuid fs)
DISK_GUID=$(hex_uuid disk)
PART1_GUID=$(hex_uuid part1)
PART2_GUID=$(hex_uuid part2)
MBR_ID=0x${seed:40:8}
epoch=${SOURCE_DATE_EPOCH:-0}

# ---------------------------------------------------------------- work area

OUT_DIR=$(dirname -- "$OUTPUT")
mkdir -p -- "$OUT_DIR" 2>/dev/null || vk_die "cannot create directory $OUT_DIR"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/vofkit-grubdisk.XXXXXX")
TMP_OUT=$(mktemp "$OUTPUT.tmp.XXXXXX" 2>/dev/null) || {
    rm -rf -- "$WORK"
    vk_die "cannot write in $OUT_DIR"
}
trap 'rm -rf -- "$WORK" "$TMP_OUT"' EXIT
start=$(vk_now)

# ---------------------------------------------------------------- GRUB core image

if [ "$PREP" = core ]; then
    # Runs before normal mode, in GRUB's minimal parser: plain commands only.
    cat >"$WORK/early.cfg" <<EOF
search --no-floppy --fs-uuid --set=root --hint-ieee1275=ieee1275/disk,$GRUB_PART $FS_UUID
set prefix=(\$root)/boot/grub
echo "VOFKIT-GRUB: core image running, prefix=\$prefix"
EOF
    grub-mkimage -O powerpc-ieee1275 -d "$GRUB_DIR" \
        -p "(ieee1275/disk,$GRUB_PART)/boot/grub" -c "$WORK/early.cfg" \
        -o "$WORK/core.elf" "${GRUB_MODULES[@]}" >"$WORK/mkimage.log" 2>&1 ||
        vk_die "grub-mkimage failed: $(tr '\n' ' ' <"$WORK/mkimage.log")"
    core_size=$(stat -c %s "$WORK/core.elf")
    [ "$core_size" -le $((PREP_SECTORS * 512)) ] ||
        vk_die "GRUB core image ($core_size bytes) does not fit the $((PREP_SECTORS / MiB)) MiB PReP partition"
fi

# ---------------------------------------------------------------- ext2 contents

ROOT="$WORK/root"
mkdir -p "$ROOT/boot/grub"
cp -- "$VMLINUX" "$ROOT/boot/vmlinux"
"$SCRIPT_DIR/mkinitramfs.sh" "$ROOT/boot/initrd.img" "$MARKER" >"$WORK/initramfs.log" 2>&1 ||
    vk_die "mkinitramfs.sh failed: $(tr '\n' ' ' <"$WORK/initramfs.log")"

# One GRUB word per kernel argument: GRUB joins them with single spaces (and would wrap an
# argument containing a space in double quotes). Single quotes keep $, ;, { etc. literal.
linux_args=
read -r -a append_words <<<"$APPEND"
for w in ${append_words[@]+"${append_words[@]}"}; do
    linux_args+=" '$w'"
done
cat >"$ROOT/boot/grub/grub.cfg" <<EOF
# vofkit test disk: one entry, booted at once (tests/guests/mkgrubdisk.sh)
set timeout=0
set default=0
echo "VOFKIT-GRUB: config loaded from \$prefix"
menuentry "vofkit test guest" {
    echo "VOFKIT-GRUB: loading /boot/vmlinux from \$root"
    linux /boot/vmlinux$linux_args
    echo "VOFKIT-GRUB: loading /boot/initrd.img"
    initrd /boot/initrd.img
    echo "VOFKIT-GRUB: booting Linux"
}
EOF
chmod -R u=rwX,go=rX "$ROOT"
find "$ROOT" -exec touch -h -d "@$epoch" {} +

# ---------------------------------------------------------------- filesystem

# mke2fs reads E2FSPROGS_FAKE_TIME=0 as "not set", hence at least 1 s after the epoch.
E2FSPROGS_FAKE_TIME=$((epoch > 0 ? epoch : 1)) mkfs.ext2 -q -F -b 4096 -m 0 -L vofkit-boot -U "$FS_UUID" \
    -E "hash_seed=$FS_UUID,root_owner=0:0" -d "$ROOT" "$WORK/fs.img" "$FS_BLOCKS" \
    >"$WORK/mkfs.log" 2>&1 ||
    vk_die "mkfs.ext2 failed (contents too large for $((FS_SECTORS / MiB)) MiB?): $(tr '\n' ' ' <"$WORK/mkfs.log")"
# mke2fs -d copies each file's change time, which touch cannot set; pin it for reproducibility.
(cd "$ROOT" && find . -mindepth 1 -printf 'set_inode_field /%P ctime '"$epoch"'\n') >"$WORK/ctime.debugfs"
E2FSPROGS_FAKE_TIME=$((epoch > 0 ? epoch : 1)) debugfs -w -f "$WORK/ctime.debugfs" "$WORK/fs.img" \
    >"$WORK/debugfs.log" 2>&1 || vk_die "debugfs failed: $(tr '\n' ' ' <"$WORK/debugfs.log")"

# ---------------------------------------------------------------- disk

truncate -s $((DISK_SECTORS * 512)) "$TMP_OUT"
{
    if [ "$TABLE" = mbr ]; then
        printf 'label: dos\nlabel-id: %s\nunit: sectors\n\n' "$MBR_ID"
        if [ "$PREP" != none ]; then
            printf 'start=%d, size=%d, type=41, bootable\n' "$PREP_START" "$PREP_SECTORS"
        fi
        printf 'start=%d, size=%d, type=83\n' "$FS_START" "$FS_SECTORS"
    else
        printf 'label: gpt\nlabel-id: %s\nunit: sectors\n\n' "$DISK_GUID"
        if [ "$PREP" != none ]; then
            printf 'start=%d, size=%d, type=9E1A2D38-C612-4316-AA26-8B49521E5A8B, uuid=%s, name="PReP"\n' \
                "$PREP_START" "$PREP_SECTORS" "$PART1_GUID"
        fi
        printf 'start=%d, size=%d, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, uuid=%s, name="vofkit-boot"\n' \
            "$FS_START" "$FS_SECTORS" "$PART2_GUID"
    fi
} >"$WORK/layout.sfdisk"
sfdisk --no-reread --no-tell-kernel -q "$TMP_OUT" <"$WORK/layout.sfdisk" >"$WORK/sfdisk.log" 2>&1 ||
    vk_die "sfdisk failed: $(tr '\n' ' ' <"$WORK/sfdisk.log")"

dd if="$WORK/fs.img" of="$TMP_OUT" bs=512 seek="$FS_START" conv=notrunc,sparse status=none
if [ "$PREP" = core ]; then
    dd if="$WORK/core.elf" of="$TMP_OUT" bs=512 seek="$PREP_START" conv=notrunc status=none
fi
# --empty-prep: the PReP partition is a hole in the sparse file, which reads as zeros.

chmod 644 "$TMP_OUT"
mv -f -- "$TMP_OUT" "$OUTPUT"
what="ext2 only"
case "$PREP" in
    core) what="PReP with GRUB core ($core_size bytes) + ext2" ;;
    empty) what="empty PReP + ext2" ;;
esac
vk_msg "wrote $OUTPUT ($TABLE, $what, fs UUID $FS_UUID, marker '$MARKER') in $(vk_elapsed "$start") s"
