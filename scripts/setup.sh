#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# One idempotent setup of vofkit's host packages and download cache (Debian 12, run as root).
#
# Usage: scripts/setup.sh [--force]
#   --force   redo every cache step even when its stamp says it is done
# Environment:
#   VOFKIT_CACHE  cache directory (default: $HOME/.cache/vofkit)
#
# Cache layout (other scripts depend on it):
#   $CACHE/libfdt/                     libfdt sources + headers (flat: fdt.c, libfdt.h, libfdt_env.h, ...)
#   $CACHE/newlib/newlib/libc/         newlib 3.3.0 libc sources
#   $CACHE/guests/vmlinux              Debian ppc64el Linux 6.1 kernel (uncompressed ELF)
#   $CACHE/guests/vmlinux.version      its Debian package version
#   $CACHE/guests/busybox              static ppc64el busybox
#   $CACHE/guests/grub/powerpc-ieee1275/  GRUB 2.06 powerpc-ieee1275 modules
#   $CACHE/debs/                       downloaded .deb files (kept for offline re-extraction)
#   $CACHE/stamps/<step>               one per finished step, holding the source version
#   $CACHE/setup.log                   full output of the commands the last run executed

set -Eeuo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
VK_PROG=setup # read by lib/common.sh
# shellcheck source-path=SCRIPTDIR
. "$SCRIPT_DIR/lib/common.sh"

usage() {
    sed -n '5,8s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

FORCE=0
for arg in "$@"; do
    case "$arg" in
        --force) FORCE=1 ;;
        -h | --help) usage; exit 0 ;;
        *) vk_die "unknown argument '$arg'; run scripts/setup.sh --help" ;;
    esac
done

CACHE=$(vk_cache_dir)
LOG="$CACHE/setup.log"
STAMPS="$CACHE/stamps"
DEBS="$CACHE/debs"
GUESTS="$CACHE/guests"
GUEST_ARCH=ppc64el

HOST_PKGS=(
    cmake ninja-build gcc-powerpc64-linux-gnu binutils-powerpc64-linux-gnu
    qemu-system-ppc python3-kconfiglib python3-tk python3-yaml libfdt-dev device-tree-compiler
    libcmocka-dev linux-source-6.1 newlib-source cpio xz-utils gzip fdisk
    e2fsprogs grub-common xorriso mtools gdb-multiarch gcc libc6-dev pkg-config
    clang libclang-rt-14-dev
)

TMP_PATHS=()
cleanup() {
    local p
    for p in "${TMP_PATHS[@]+"${TMP_PATHS[@]}"}"; do
        rm -rf -- "$p"
    done
}
trap cleanup EXIT

# Any command failing without its own message ends up here: print one line.
on_err() {
    local rc=$1 line=$2 cmd=$3
    # Inside a command substitution: let the parent report it, once.
    if [ "${BASHPID:-$$}" != "$$" ]; then
        exit "$rc"
    fi
    trap - ERR
    printf 'setup: error: command failed (exit %s, line %s): %s; see %s, fix the cause and rerun scripts/setup.sh\n' \
        "$rc" "$line" "$cmd" "${LOG:-the output above}" >&2
    exit "$rc"
}
trap 'on_err $? $LINENO "$BASH_COMMAND"' ERR

T_START=$(vk_now)
DID_WORK=0

mkdir -p "$CACHE" "$STAMPS" "$DEBS" "$GUESTS" 2>/dev/null ||
    vk_die "cannot create cache directory $CACHE; set VOFKIT_CACHE to a writable directory"

# One setup at a time per cache (the other engineer's build may call us too).
exec 9>"$CACHE/.setup.lock"
if ! flock -n 9; then
    vk_msg "waiting for another setup run on $CACHE"
    flock -w 1800 9 || vk_die "timed out waiting for $CACHE/.setup.lock; stop the other setup run and retry"
fi
: >"$LOG"

# ---------------------------------------------------------------- helpers

# Mark a temp path for removal on exit.
track_tmp() {
    TMP_PATHS+=("$1")
}

# step_done NAME EXPECTED FILE...: stamp present (matching EXPECTED when it is
# non-empty) and all FILEs present.
step_done() {
    local name=$1 expected=$2 f
    shift 2
    [ "$FORCE" = 0 ] || return 1
    [ -f "$STAMPS/$name" ] || return 1
    if [ -n "$expected" ] && [ "$(cat "$STAMPS/$name")" != "$expected" ]; then
        return 1
    fi
    for f in "$@"; do
        [ -e "$f" ] || return 1
    done
    return 0
}

write_stamp() {
    printf '%s\n' "$2" >"$STAMPS/$1.tmp"
    mv -f "$STAMPS/$1.tmp" "$STAMPS/$1"
}

stamp_text() {
    cat "$STAMPS/$1"
}

# Replace directory DST by NEW with as short a window as possible.
replace_dir() {
    local new=$1 dst=$2
    chmod 755 "$new"
    rm -rf -- "$dst.old"
    if [ -e "$dst" ]; then
        mv -- "$dst" "$dst.old"
    fi
    mv -- "$new" "$dst"
    rm -rf -- "$dst.old"
}

# Copy file SRC to DST atomically, with MODE.
install_file() {
    local src=$1 dst=$2 mode=$3
    cp -- "$src" "$dst.tmp.$$"
    chmod "$mode" "$dst.tmp.$$"
    mv -f -- "$dst.tmp.$$" "$dst"
}

write_file() {
    printf '%s\n' "$2" >"$1.tmp.$$"
    mv -f -- "$1.tmp.$$" "$1"
}

# True when FILE is a 64-bit little-endian PowerPC ELF.
is_ppc64le_elf() {
    local hdr
    hdr=$(od -An -tx1 -N20 -- "$1" | tr -d ' \n')
    [[ $hdr == 7f454c460201* && ${hdr:36:4} == 1500 ]]
}

pkg_version() {
    dpkg-query -W -f='${Version}' "$1" 2>/dev/null || true
}

APT_UPDATED=0
apt_update() {
    local out
    [ "$APT_UPDATED" = 0 ] || return 0
    APT_UPDATED=1
    out=$(mktemp "$CACHE/.apt-update.XXXXXX")
    track_tmp "$out"
    if apt-get update >"$out" 2>&1; then
        cat "$out" >>"$LOG"
    else
        cat "$out" >>"$LOG"
        local why
        # First failed index and its reason, e.g. "...ppc64el Packages: File has unexpected size".
        why=$(awk '/^Err:/ { u = $0; sub(/^Err:[0-9]* */, "", u); getline r; sub(/^ */, "", r);
                             sub(/\. .*/, "", r); print u ": " r; exit }' "$out")
        vk_warn "apt-get update reported errors, continuing with the lists it has (${why:-see $LOG})"
    fi
}

GUEST_APT_READY=0
guest_apt_ready() {
    [ "$GUEST_APT_READY" = 0 ] || return 0
    local foreign
    foreign=$(dpkg --print-foreign-architectures)
    if ! grep -qx "$GUEST_ARCH" <<<"$foreign"; then
        vk_is_root || vk_die "run as root (dpkg --add-architecture $GUEST_ARCH needed for the guest downloads)"
        dpkg --add-architecture "$GUEST_ARCH"
        APT_UPDATED=0
        vk_msg "guests: added dpkg foreign architecture $GUEST_ARCH"
    fi
    if vk_is_root; then
        apt_update
    else
        vk_warn "not root: skipping apt-get update, using the package lists already present"
    fi
    apt-cache show "linux-image-powerpc64le:$GUEST_ARCH" >/dev/null 2>&1 ||
        vk_die "apt cannot see linux-image-powerpc64le:$GUEST_ARCH; make sure the apt sources carry Debian bookworm main, run 'apt-get update' as root (see $LOG), then rerun"
    GUEST_APT_READY=1
}

# fetch_deb PKG: the guest-arch .deb of PKG's candidate version in $DEBS.
# Sets DEB_PATH and DEB_VERSION.
fetch_deb() {
    local pkg=$1 ver f tmp
    ver=$({ apt-cache show --no-all-versions "$pkg:$GUEST_ARCH" 2>/dev/null || true; } |
        awk '/^Version:/ && v == "" { v = $2 } END { print v }')
    [ -n "$ver" ] ||
        vk_die "no installable version of $pkg:$GUEST_ARCH; run 'apt-get update' as root and check the apt sources, then rerun"
    for f in "$DEBS/${pkg}_"*"_$GUEST_ARCH.deb"; do
        [ -f "$f" ] || continue
        if [ "$(dpkg-deb -f "$f" Version 2>/dev/null || true)" = "$ver" ]; then
            DEB_PATH=$f
            DEB_VERSION=$ver
            return 0
        fi
    done
    tmp=$(mktemp -d "$DEBS/.download.XXXXXX")
    track_tmp "$tmp"
    (cd "$tmp" && apt-get download "$pkg:$GUEST_ARCH=$ver") >>"$LOG" 2>&1 ||
        vk_die "apt-get download $pkg:$GUEST_ARCH=$ver failed (see $LOG); check network and apt sources, then rerun"
    f=$(find "$tmp" -maxdepth 1 -name '*.deb' -print -quit)
    [ -n "$f" ] || vk_die "apt-get download $pkg:$GUEST_ARCH left no .deb (see $LOG); rerun"
    rm -f -- "$DEBS/${pkg}_"*"_$GUEST_ARCH.deb"
    mv -- "$f" "$DEBS/"
    DEB_PATH="$DEBS/${f##*/}"
    DEB_VERSION=$ver
}

# deb_extract DEB DIR MEMBER...: extract only MEMBERs (wildcards allowed) of DEB into DIR.
deb_extract() {
    local deb=$1 dir=$2
    shift 2
    dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$dir" --wildcards "$@" 2>>"$LOG"
}

# ---------------------------------------------------------------- steps

step_packages() {
    local status missing=() p name rest t
    declare -A ok=()
    status=$(dpkg-query -W -f='${Package} ${Status}\n' "${HOST_PKGS[@]}" 2>/dev/null || true)
    while read -r name rest; do
        if [ "$rest" = "install ok installed" ]; then
            ok[$name]=1
        fi
    done <<<"$status"
    for p in "${HOST_PKGS[@]}"; do
        [ -n "${ok[$p]:-}" ] || missing+=("$p")
    done
    if [ "${#missing[@]}" -eq 0 ]; then
        vk_msg "packages: ok (${#HOST_PKGS[@]} installed)"
        return 0
    fi
    vk_is_root || vk_die "run as root (apt-get needed for: ${missing[*]})"
    DID_WORK=1
    t=$(vk_now)
    vk_msg "packages: installing ${missing[*]}"
    apt_update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >>"$LOG" 2>&1 ||
        vk_die "apt-get install failed for: ${missing[*]} (see $LOG); check the apt sources and network, then rerun"
    for p in "${missing[@]}"; do
        [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" = "install ok installed" ] ||
            vk_die "package $p is still not installed after apt-get install (see $LOG); install it by hand, then rerun"
    done
    vk_msg "packages: installed ${#missing[@]} ($(vk_elapsed "$t") s)"
}

step_libfdt() {
    local src=/usr/src/linux-source-6.1.tar.xz dst="$CACHE/libfdt" want tmp t f
    want="linux-source-6.1 $(pkg_version linux-source-6.1)"
    if step_done libfdt "$want" "$dst/fdt.c" "$dst/libfdt.h" "$dst/libfdt_env.h"; then
        vk_msg "libfdt: ok ($(stamp_text libfdt))"
        return 0
    fi
    [ -f "$src" ] || vk_die "$src is missing; run 'apt-get install --reinstall linux-source-6.1', then rerun"
    DID_WORK=1
    t=$(vk_now)
    vk_msg "libfdt: extracting from $src (~15 s)"
    tmp=$(mktemp -d "$CACHE/.libfdt.XXXXXX")
    track_tmp "$tmp"
    tar -xJf "$src" -C "$tmp" --strip-components=4 linux-source-6.1/scripts/dtc/libfdt 2>>"$LOG" ||
        vk_die "extracting linux-source-6.1/scripts/dtc/libfdt from $src failed (see $LOG); reinstall linux-source-6.1, then rerun"
    for f in fdt.c libfdt.h libfdt_env.h; do
        [ -f "$tmp/$f" ] || vk_die "libfdt/$f not found in $src; reinstall linux-source-6.1, then rerun"
    done
    replace_dir "$tmp" "$dst"
    write_stamp libfdt "$want"
    vk_msg "libfdt: done ($(vk_elapsed "$t") s)"
}

step_newlib() {
    local src=/usr/src/newlib/newlib-3.3.0.tar.xz dst="$CACHE/newlib" want tmp t top members
    want="newlib-source $(pkg_version newlib-source)"
    if step_done newlib "$want" "$dst/newlib/libc/string/memcpy.c"; then
        vk_msg "newlib: ok ($(stamp_text newlib))"
        return 0
    fi
    [ -f "$src" ] || vk_die "$src is missing; run 'apt-get install --reinstall newlib-source', then rerun"
    DID_WORK=1
    t=$(vk_now)
    vk_msg "newlib: extracting newlib/libc from $src"
    # The top directory is not necessarily newlib-3.3.0 (Debian's is newlib-salsa).
    local listing
    listing=$(tar -tJf "$src" 2>>"$LOG") ||
        vk_die "cannot list $src (see $LOG); reinstall newlib-source, then rerun"
    top=$(awk 'NR == 1 { sub(/\/.*/, ""); print }' <<<"$listing")
    [ -n "$top" ] || vk_die "$src looks empty; reinstall newlib-source, then rerun"
    members=("$top/newlib/libc")
    if grep -qx "$top/COPYING.NEWLIB" <<<"$listing"; then
        members+=("$top/COPYING.NEWLIB")
    fi
    tmp=$(mktemp -d "$CACHE/.newlib.XXXXXX")
    track_tmp "$tmp"
    tar -xJf "$src" -C "$tmp" --strip-components=1 "${members[@]}" 2>>"$LOG" ||
        vk_die "extracting $top/newlib/libc from $src failed (see $LOG); reinstall newlib-source, then rerun"
    [ -f "$tmp/newlib/libc/string/memcpy.c" ] ||
        vk_die "newlib/libc/string/memcpy.c not found in $src; reinstall newlib-source, then rerun"
    replace_dir "$tmp" "$dst"
    write_stamp newlib "$want"
    vk_msg "newlib: done ($(vk_elapsed "$t") s)"
}

step_kernel() {
    local out="$GUESTS/vmlinux" deps real tmp t src
    if step_done kernel "" "$out" "$out.version"; then
        vk_msg "guest kernel: ok ($(stamp_text kernel))"
        return 0
    fi
    DID_WORK=1
    t=$(vk_now)
    guest_apt_ready
    deps=$(apt-cache depends "linux-image-powerpc64le:$GUEST_ARCH" 2>/dev/null || true)
    real=$(awk 'match($0, /linux-image-[0-9]+\.[0-9]+\.[0-9]+-[0-9]+-powerpc64le/) {
                    print substr($0, RSTART, RLENGTH); exit }' <<<"$deps")
    [ -n "$real" ] ||
        vk_die "cannot resolve linux-image-powerpc64le:$GUEST_ARCH to a kernel package; run 'apt-get update' as root, then rerun"
    vk_msg "guest kernel: fetching $real:$GUEST_ARCH (~50 MB)"
    fetch_deb "$real"
    tmp=$(mktemp -d "$CACHE/.kernel.XXXXXX")
    track_tmp "$tmp"
    deb_extract "$DEB_PATH" "$tmp" './boot/vmlinux-*' ||
        vk_die "no /boot/vmlinux-* in $DEB_PATH (see $LOG); delete it and rerun"
    src="$tmp/boot/vmlinux-${real#linux-image-}"
    [ -f "$src" ] || vk_die "$DEB_PATH has no /boot/vmlinux-${real#linux-image-}; delete it and rerun"
    is_ppc64le_elf "$src" ||
        vk_die "$src is not an uncompressed ppc64le ELF kernel; delete $DEB_PATH and rerun"
    install_file "$src" "$out" 644
    write_file "$out.version" "$DEB_VERSION"
    rm -rf -- "$tmp"
    write_stamp kernel "$real $DEB_VERSION"
    vk_msg "guest kernel: done, $real $DEB_VERSION ($(vk_elapsed "$t") s)"
}

step_busybox() {
    local out="$GUESTS/busybox" tmp t
    if step_done busybox "" "$out"; then
        vk_msg "guest busybox: ok ($(stamp_text busybox))"
        return 0
    fi
    DID_WORK=1
    t=$(vk_now)
    guest_apt_ready
    fetch_deb busybox-static
    tmp=$(mktemp -d "$CACHE/.busybox.XXXXXX")
    track_tmp "$tmp"
    deb_extract "$DEB_PATH" "$tmp" './bin/busybox' ||
        vk_die "no /bin/busybox in $DEB_PATH (see $LOG); delete it and rerun"
    is_ppc64le_elf "$tmp/bin/busybox" ||
        vk_die "/bin/busybox from $DEB_PATH is not a ppc64le ELF; delete it and rerun"
    install_file "$tmp/bin/busybox" "$out" 755
    write_file "$out.version" "$DEB_VERSION"
    rm -rf -- "$tmp"
    write_stamp busybox "busybox-static $DEB_VERSION"
    vk_msg "guest busybox: done, busybox-static $DEB_VERSION ($(vk_elapsed "$t") s)"
}

step_grub() {
    local dst="$GUESTS/grub/powerpc-ieee1275" tmp t
    if step_done grub "" "$dst/normal.mod" "$dst/moddep.lst"; then
        vk_msg "guest grub: ok ($(stamp_text grub))"
        return 0
    fi
    DID_WORK=1
    t=$(vk_now)
    guest_apt_ready
    fetch_deb grub-ieee1275-bin
    tmp=$(mktemp -d "$CACHE/.grub.XXXXXX")
    track_tmp "$tmp"
    deb_extract "$DEB_PATH" "$tmp" './usr/lib/grub/powerpc-ieee1275' ||
        vk_die "no /usr/lib/grub/powerpc-ieee1275 in $DEB_PATH (see $LOG); delete it and rerun"
    [ -f "$tmp/usr/lib/grub/powerpc-ieee1275/normal.mod" ] ||
        vk_die "$DEB_PATH lacks powerpc-ieee1275/normal.mod; delete it and rerun"
    mkdir -p "$GUESTS/grub"
    replace_dir "$tmp/usr/lib/grub/powerpc-ieee1275" "$dst"
    write_file "$GUESTS/grub/version" "$DEB_VERSION"
    rm -rf -- "$tmp"
    write_stamp grub "grub-ieee1275-bin $DEB_VERSION"
    vk_msg "guest grub: done, grub-ieee1275-bin $DEB_VERSION ($(vk_elapsed "$t") s)"
}

step_verify() {
    local spec cmd pkg f
    for spec in powerpc64-linux-gnu-gcc:gcc-powerpc64-linux-gnu qemu-system-ppc64:qemu-system-ppc \
        cmake:cmake ninja:ninja-build clang:clang; do
        cmd=${spec%%:*}
        pkg=${spec#*:}
        command -v "$cmd" >/dev/null 2>&1 ||
            vk_die "'$cmd' not found on PATH; run 'apt-get install $pkg' (or rerun scripts/setup.sh as root)"
    done
    /usr/bin/python3 -c 'import kconfiglib' >/dev/null 2>&1 ||
        vk_die "/usr/bin/python3 cannot import kconfiglib; run 'apt-get install python3-kconfiglib'"
    # The boot tests read each sample's console harness from its sample.yaml.
    /usr/bin/python3 -c 'import yaml' >/dev/null 2>&1 ||
        vk_die "/usr/bin/python3 cannot import yaml; run 'apt-get install python3-yaml'"
    for f in "$CACHE/libfdt/fdt.c" "$CACHE/libfdt/libfdt.h" "$CACHE/libfdt/libfdt_env.h" \
        "$CACHE/newlib/newlib/libc/string/memcpy.c" "$GUESTS/vmlinux" "$GUESTS/vmlinux.version" \
        "$GUESTS/busybox" "$GUESTS/grub/powerpc-ieee1275/normal.mod"; do
        [ -s "$f" ] || vk_die "$f is missing or empty; rerun scripts/setup.sh --force"
    done
    [ -x "$GUESTS/busybox" ] || vk_die "$GUESTS/busybox is not executable; rerun scripts/setup.sh --force"
    vk_msg "verify: ok (tools on PATH, kconfiglib and yaml importable, cache complete)"
}

# ---------------------------------------------------------------- main

step_packages
step_libfdt
step_newlib
step_kernel
step_busybox
step_grub
step_verify

if [ "$DID_WORK" = 0 ]; then
    vk_msg "everything already in place ($(vk_elapsed "$T_START") s)"
else
    vk_msg "all steps finished ($(vk_elapsed "$T_START") s)"
fi
vk_msg "done (cache: $CACHE)"
