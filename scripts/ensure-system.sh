#!/usr/bin/env bash
# Install the Debian packages veerkracht's tests need, only when they are missing.
#
#   scripts/ensure-system.sh [PACKAGE ...]
#
# Without arguments it ensures: postgresql (a real database for the store tests), chromium (the
# headless browser test), fonts-dejavu-core (so screenshots have readable text), libpango (for
# WeasyPrint's PDF reports) and poppler-utils (pdftoppm: the report tests look at PDF pages).
# Runs `apt-get update` once, and only when something must be installed. Works as root without a
# terminal (CI); as another user it uses sudo when available. Idempotent: a second run does nothing.
set -euo pipefail

packages=("$@")
if [ ${#packages[@]} -eq 0 ]; then
    packages=(postgresql chromium fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 poppler-utils)
fi

log() { echo "ensure-system: $*" >&2; }

installed() {
    dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null | grep -qx installed
}

if ! command -v dpkg-query >/dev/null 2>&1; then
    log "not a Debian-like system; make sure these are installed yourself: ${packages[*]}"
    exit 0
fi

missing=()
for package in "${packages[@]}"; do
    installed "$package" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
    log "all present: ${packages[*]}"
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo --non-interactive)
else
    log "missing ${missing[*]} and not root (no sudo): install them with apt-get as root"
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
log "installing ${missing[*]}"
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
    -o Dpkg::Options::=--force-confdef \
    -o Dpkg::Options::=--force-confold "${missing[@]}"

for package in "${missing[@]}"; do
    if ! installed "$package"; then
        log "apt-get finished but $package is still not installed"
        exit 1
    fi
done
log "installed ${missing[*]}"
