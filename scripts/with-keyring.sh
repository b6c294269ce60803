#!/usr/bin/env bash
# Run a command inside a private D-Bus session with an unlocked, throwaway GNOME Keyring.
#
#   scripts/with-keyring.sh uv run pytest tests/test_vault.py
#
# Why: the vault tests need a real Secret Service keyring, and CI machines have no desktop
# session. The keyring lives in a temporary folder (created fresh, with the password
# "pass", and deleted afterwards), so this never reads, unlocks or changes the keyring of
# the person running it. Exits with the command's exit code; 127 if a tool is missing,
# 125 if the keyring did not come up.
set -euo pipefail

if [[ "${1-}" != "--inside-private-session" ]]; then
    if [[ $# -eq 0 ]]; then
        echo "usage: $0 COMMAND [ARG]..." >&2
        exit 2
    fi
    for tool in dbus-run-session dbus-send gnome-keyring-daemon; do
        if ! command -v "$tool" >/dev/null 2>&1; then
            echo "with-keyring: '$tool' is missing (Debian: apt-get install dbus gnome-keyring)" >&2
            exit 127
        fi
    done
    exec dbus-run-session -- bash "${BASH_SOURCE[0]}" --inside-private-session "$@"
fi
shift

keyring_home="$(mktemp -d "${TMPDIR:-/tmp}/smmod-keyring.XXXXXX")"
daemon_pid=""

# shellcheck disable=SC2329  # run by the EXIT trap
cleanup() {
    if [[ -n "$daemon_pid" ]]; then
        kill "$daemon_pid" 2>/dev/null || true
        for _ in $(seq 50); do
            kill -0 "$daemon_pid" 2>/dev/null || break
            sleep 0.1
        done
    fi
    rm -rf "$keyring_home"
}
trap cleanup EXIT

secrets_has_owner() {
    dbus-send --session --dest=org.freedesktop.DBus --type=method_call --print-reply \
        /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner \
        string:org.freedesktop.secrets 2>/dev/null | grep -q "boolean true"
}

secrets_owner_pid() {
    dbus-send --session --dest=org.freedesktop.DBus --type=method_call --print-reply \
        /org/freedesktop/DBus org.freedesktop.DBus.GetConnectionUnixProcessID \
        string:org.freedesktop.secrets 2>/dev/null | awk '/uint32/ {print $2}'
}

mkdir -m 700 "$keyring_home/data" "$keyring_home/run"
# The daemon alone gets the private folders: keyring files in data/keyrings, its control
# socket in run/keyring. The command keeps the caller's own XDG folders.
daemon_env=$(printf pass | XDG_DATA_HOME="$keyring_home/data" \
    XDG_RUNTIME_DIR="$keyring_home/run" \
    gnome-keyring-daemon --unlock --components=secrets)

# Some versions print GNOME_KEYRING_CONTROL=... and GNOME_KEYRING_PID=... lines; take
# only those two names rather than eval'ing whatever came out.
while IFS='=' read -r name value; do
    case "$name" in
        GNOME_KEYRING_CONTROL | GNOME_KEYRING_PID) export "$name=$value" ;;
    esac
done <<<"$daemon_env"

for _ in $(seq 100); do
    secrets_has_owner && break
    sleep 0.1
done
if ! secrets_has_owner; then
    echo "with-keyring: gnome-keyring did not claim org.freedesktop.secrets within 10 s" >&2
    exit 125
fi
# Version 42 prints nothing when it starts the daemon, so ask D-Bus who owns the name.
daemon_pid="${GNOME_KEYRING_PID:-$(secrets_owner_pid)}"

unset DISPLAY WAYLAND_DISPLAY
status=0
"$@" || status=$?
exit "$status"
