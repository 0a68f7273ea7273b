#!/usr/bin/env bash
# Installs what @roomkit/transport-webrtc's browser test drives for real: Debian's Chromium (at /usr/bin/chromium,
# driven by playwright-core; never `playwright install`), plus iproute2 for the test's private network namespace.
# Idempotent; runs as root on a fresh Debian (sudo otherwise).
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium fonts-liberation)
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
command -v unshare >/dev/null 2>&1 || missing+=(util-linux)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "transport-webrtc: installing ${missing[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
