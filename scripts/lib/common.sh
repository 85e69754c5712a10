# SPDX-License-Identifier: Apache-2.0
# Small shell helpers shared by vofkit's setup and test scripts (source, do not run).
# shellcheck shell=bash

# Guard against double sourcing.
if [ -n "${VK_COMMON_SH_LOADED:-}" ]; then
    return 0
fi
VK_COMMON_SH_LOADED=1

# Name printed in front of every message; callers may override it.
VK_PROG="${VK_PROG:-vofkit}"

# vk_home: the invoking user's home directory, even when $HOME is unset.
vk_home() {
    if [ -n "${HOME:-}" ]; then
        printf '%s\n' "$HOME"
    else
        getent passwd "$(id -u)" | cut -d: -f6
    fi
}

# vk_cache_dir: the download/extraction cache shared by setup and tests.
vk_cache_dir() {
    if [ -n "${VOFKIT_CACHE:-}" ]; then
        printf '%s\n' "$VOFKIT_CACHE"
    else
        printf '%s/.cache/vofkit\n' "$(vk_home)"
    fi
}

# vk_msg TEXT...: one progress line on stdout.
vk_msg() {
    printf '%s: %s\n' "$VK_PROG" "$*"
}

# vk_warn TEXT...: one warning line on stderr.
vk_warn() {
    printf '%s: warning: %s\n' "$VK_PROG" "$*" >&2
}

# vk_die TEXT...: one error line on stderr, then exit 1.
vk_die() {
    printf '%s: error: %s\n' "$VK_PROG" "$*" >&2
    exit 1
}

# vk_is_root: true when running with uid 0.
vk_is_root() {
    [ "$(id -u)" -eq 0 ]
}

# vk_now: seconds since the epoch with sub-second precision.
vk_now() {
    date +%s.%N
}

# vk_elapsed START: seconds since START (from vk_now), one decimal.
vk_elapsed() {
    awk -v s="$1" -v e="$(vk_now)" 'BEGIN { printf "%.1f", e - s }'
}

# vk_on_err STATUS LINE COMMAND: the ERR trap of the scripts: report the
# failed command as one "<prog>: error: ..." line and exit with its status.
# Inside a command substitution the parent reports it, once.
# Use: trap 'vk_on_err $? $LINENO "$BASH_COMMAND"' ERR
vk_on_err() {
    if [ "${BASHPID:-$$}" != "$$" ]; then
        exit "$1"
    fi
    trap - ERR
    printf '%s: error: command failed (exit %s, line %s): %s\n' "$VK_PROG" "$1" "$2" "$3" >&2
    exit "$1"
}
