#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Build a GRUB CD image (grub-mkrescue, ISO 9660 + CHRP bootinfo.txt) that boots the test guest on pseries.
#
# Usage: tests/guests/mkgrubiso.sh OUTPUT.iso [--marker TEXT] [--append "ARGS"] [--no-bootinfo | --boot-file PATH] [--file SRC:DEST]...
#   OUTPUT.iso          ISO image to write (replaced atomically)
#   --marker TEXT       line the guest's init prints when it is done (default: VOFKIT-INIT-REACHED)
#   --append "ARGS"     kernel arguments GRUB passes to Linux (default: "console=hvc0 quiet")
#   --no-bootinfo       a plain ISO 9660 image with the same files but no GRUB and no /ppc/bootinfo.txt
#   --boot-file PATH    a plain ISO 9660 image whose /ppc/bootinfo.txt boots PATH: its
#                       <boot-script> is "boot &device;:PATH" (e.g. \boot\grub\missing.elf; what
#                       follows a space in PATH is the boot arguments)
#   --file SRC:DEST     also put the file SRC at DEST (e.g. /cdclient.elf) on the CD
#   --chrp-part         (plain images) an MBR partition 1 of type 0x96 over the whole ISO 9660
#                       volume, as the Debian installer CD has (xorriso -chrp-boot-part)
#   --prep-file DEST    (plain images) an MBR partition 1 of type 0x41 (PReP) over the data of
#                       the CD's file DEST: a CD that boots from PReP, not from bootinfo.txt
# Environment:
#   VOFKIT_CACHE       cache written by scripts/setup.sh (default: $HOME/.cache/vofkit); uses
#                      guests/vmlinux, guests/busybox and guests/grub/powerpc-ieee1275/
#   SOURCE_DATE_EPOCH  timestamp for the files and the volume (default: 0)
#
# The default image is what `grub-mkrescue -O powerpc-ieee1275` makes for a user (xorriso, level-1
# names without Joliet, Rock Ridge, a protective MBR and an Apple partition map in the system area):
#   /ppc/bootinfo.txt               GRUB's CHRP boot script: boot &device;:\boot\grub\powerpc.elf
#   /boot/grub/powerpc.elf          GRUB's core image; its prefix ()/boot/grub is the CD it came from
#   /boot/grub/powerpc-ieee1275/    GRUB's modules (POWERPC_ in level-1 names)
#   /boot/grub/grub.cfg             timeout 0, one entry: linux + initrd, "VOFKIT-GRUB:" echoes
#   /boot/vmlinux, /boot/initrd.img the cached Linux kernel and mkinitramfs.sh's output with the marker
# Linux then sees the command line "BOOT_IMAGE=/boot/vmlinux ARGS".

set -Eeuo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
VK_PROG=mkgrubiso # read by common.sh
# shellcheck source-path=SCRIPTDIR/../.. source=scripts/lib/common.sh
. "$SCRIPT_DIR/../../scripts/lib/common.sh"

usage() {
    sed -n '5,17s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
    exit 2
}

trap 'vk_on_err $? $LINENO "$BASH_COMMAND"' ERR

OUTPUT=
MARKER=VOFKIT-INIT-REACHED
APPEND="console=hvc0 quiet"
KIND=grub # grub | plain
SCRIPT=
EXTRA=()
CHRP_PART=()
PREP_FILE=

while [ $# -gt 0 ]; do
    case "$1" in
        -h | --help) usage ;;
        --marker)
            [ $# -ge 2 ] || vk_die "--marker needs a value"
            MARKER=$2
            shift 2
            ;;
        --append)
            [ $# -ge 2 ] || vk_die "--append needs a value"
            APPEND=$2
            shift 2
            ;;
        --no-bootinfo)
            [ "$KIND" = grub ] || vk_die "--no-bootinfo and --boot-file exclude each other"
            KIND=plain
            shift
            ;;
        --boot-file)
            [ $# -ge 2 ] || vk_die "--boot-file needs a value"
            [ "$KIND" = grub ] || vk_die "--no-bootinfo and --boot-file exclude each other"
            KIND=plain
            [ -n "$2" ] || vk_die "--boot-file must not be empty"
            SCRIPT="boot &device;:$2"
            shift 2
            ;;
        --file)
            [ $# -ge 2 ] || vk_die "--file needs SRC:DEST"
            case "$2" in
                *:/?*) ;;
                *) vk_die "--file takes SRC:DEST with an absolute DEST, not '$2'" ;;
            esac
            [ -f "${2%%:*}" ] || vk_die "--file: ${2%%:*} not found"
            EXTRA+=("$2")
            shift 2
            ;;
        --chrp-part) CHRP_PART=(-chrp-boot-part); shift ;;
        --prep-file)
            [ $# -ge 2 ] || vk_die "--prep-file needs a value"
            PREP_FILE=$2
            shift 2
            ;;
        -*) vk_die "unknown option '$1' (see --help)" ;;
        *)
            [ -z "$OUTPUT" ] || vk_die "unexpected argument '$1' (see --help)"
            OUTPUT=$1
            shift
            ;;
    esac
done
[ -n "$OUTPUT" ] || usage
[ ${#CHRP_PART[@]} -eq 0 ] || [ "$KIND" = plain ] || vk_die "--chrp-part needs --no-bootinfo or --boot-file"
[ -z "$PREP_FILE" ] || [ "$KIND" = plain ] || vk_die "--prep-file needs --no-bootinfo or --boot-file"
[ -z "$PREP_FILE" ] || [ ${#CHRP_PART[@]} -eq 0 ] || vk_die "--chrp-part and --prep-file exclude each other"
[ ! -d "$OUTPUT" ] || vk_die "$OUTPUT is a directory"
case "$MARKER" in
    *[[:cntrl:]]* | "") vk_die "--marker must be a single non-empty line" ;;
esac
case "$APPEND" in
    *[[:cntrl:]]*) vk_die "--append must be a single line" ;;
    *[\'\"\\]*) vk_die "--append must not contain quotes or backslashes (GRUB would alter them)" ;;
esac

CACHE=$(vk_cache_dir)
VMLINUX="$CACHE/guests/vmlinux"
GRUB_DIR="$CACHE/guests/grub/powerpc-ieee1275"
[ -f "$VMLINUX" ] || vk_die "$VMLINUX not found; run scripts/setup.sh (as root) first"
[ -f "$CACHE/guests/busybox" ] || vk_die "$CACHE/guests/busybox not found; run scripts/setup.sh (as root) first"
need_tools=(xorriso sha256sum)
if [ "$KIND" = grub ]; then
    [ -f "$GRUB_DIR/kernel.img" ] || vk_die "$GRUB_DIR/kernel.img not found; run scripts/setup.sh (as root) first"
    need_tools+=(grub-mkrescue)
fi
for t in "${need_tools[@]}"; do
    command -v "$t" >/dev/null 2>&1 || vk_die "'$t' not found (install xorriso, grub-common; scripts/setup.sh does)"
done
epoch=${SOURCE_DATE_EPOCH:-0}

OUT_DIR=$(dirname -- "$OUTPUT")
mkdir -p -- "$OUT_DIR" 2>/dev/null || vk_die "cannot create directory $OUT_DIR"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/vofkit-grubiso.XXXXXX")
TMP_OUT=$(mktemp "$OUTPUT.tmp.XXXXXX" 2>/dev/null) || {
    rm -rf -- "$WORK"
    vk_die "cannot write in $OUT_DIR"
}
trap 'rm -rf -- "$WORK" "$TMP_OUT"' EXIT
start=$(vk_now)

# ---------------------------------------------------------------- the CD's files

ROOT="$WORK/root"
mkdir -p "$ROOT/boot/grub"
cp -- "$VMLINUX" "$ROOT/boot/vmlinux"
"$SCRIPT_DIR/mkinitramfs.sh" "$ROOT/boot/initrd.img" "$MARKER" >"$WORK/initramfs.log" 2>&1 ||
    vk_die "mkinitramfs.sh failed: $(tr '\n' ' ' <"$WORK/initramfs.log")"
# One GRUB word per kernel argument (see mkgrubdisk.sh).
linux_args=
read -r -a append_words <<<"$APPEND"
for w in ${append_words[@]+"${append_words[@]}"}; do
    linux_args+=" '$w'"
done
cat >"$ROOT/boot/grub/grub.cfg" <<EOF
# vofkit test CD: one entry, booted at once (tests/guests/mkgrubiso.sh)
set timeout=0
set default=0
echo "VOFKIT-GRUB: config loaded from \$prefix, root=\$root"
menuentry "vofkit test guest" {
    echo "VOFKIT-GRUB: loading /boot/vmlinux from \$root"
    linux /boot/vmlinux$linux_args
    echo "VOFKIT-GRUB: loading /boot/initrd.img"
    initrd /boot/initrd.img
    echo "VOFKIT-GRUB: booting Linux"
}
EOF
if [ -n "$SCRIPT" ]; then
    mkdir -p "$ROOT/ppc"
    printf '<chrp-boot>\n<description>vofkit test CD</description>\n<boot-script>%s</boot-script>\n</chrp-boot>\n' \
        "$SCRIPT" >"$ROOT/ppc/bootinfo.txt"
fi
for f in ${EXTRA[@]+"${EXTRA[@]}"}; do
    mkdir -p "$ROOT/$(dirname "${f#*:}")"
    cp -- "${f%%:*}" "$ROOT/${f#*:}"
done
chmod -R u=rwX,go=rX "$ROOT"
find "$ROOT" -exec touch -h -d "@$epoch" {} +

# ---------------------------------------------------------------- image

if [ "$KIND" = grub ]; then
    SOURCE_DATE_EPOCH=$epoch grub-mkrescue -d "$GRUB_DIR" -o "$TMP_OUT" "$ROOT" >"$WORK/mkrescue.log" 2>&1 ||
        vk_die "grub-mkrescue failed: $(tr '\n' ' ' <"$WORK/mkrescue.log")"
    what="grub-mkrescue, GRUB's bootinfo.txt"
else
    SOURCE_DATE_EPOCH=$epoch xorriso -as mkisofs -r -sysid PPC -V VOFKIT_TEST ${CHRP_PART[@]+"${CHRP_PART[@]}"} -o "$TMP_OUT" "$ROOT" \
        >"$WORK/xorriso.log" 2>&1 || vk_die "xorriso failed: $(tr '\n' ' ' <"$WORK/xorriso.log")"
    if [ -n "$SCRIPT" ]; then what="plain ISO 9660, boot script '$SCRIPT'"; else what="plain ISO 9660, no bootinfo.txt"; fi
    if [ -n "$PREP_FILE" ]; then
        # "File data lba:  0 , <lba> , <blocks> , <size> , '<path>'" (2048-byte sectors)
        report=$(xorriso -indev "$TMP_OUT" -find "$PREP_FILE" -exec report_lba -- 2>/dev/null |
            sed -n 's/^File data lba: *0 *, *\([0-9]*\) *, *[0-9]* *, *\([0-9]*\) *,.*/\1 \2/p')
        [ -n "$report" ] || vk_die "--prep-file: $PREP_FILE is not on the CD"
        read -r lba size <<<"$report"
        command -v sfdisk >/dev/null 2>&1 || PATH=$PATH:/usr/sbin:/sbin
        printf 'label: dos\nunit: sectors\n\nstart=%d, size=%d, type=41, bootable\n' \
            $((lba * 4)) $(((size + 511) / 512)) |
            sfdisk --no-reread --no-tell-kernel -q "$TMP_OUT" >"$WORK/sfdisk.log" 2>&1 ||
            vk_die "sfdisk failed: $(tr '\n' ' ' <"$WORK/sfdisk.log")"
        what="$what, PReP partition over $PREP_FILE"
    fi
fi
chmod 644 "$TMP_OUT"
mv -f -- "$TMP_OUT" "$OUTPUT"
vk_msg "wrote $OUTPUT ($what, $(stat -c %s "$OUTPUT") bytes, marker '$MARKER') in $(vk_elapsed "$start") s"
