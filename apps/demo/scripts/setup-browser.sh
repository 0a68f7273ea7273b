#!/usr/bin/env bash
# Installs the browser the demo's real-browser tests drive (Debian's chromium at /usr/bin/chromium).
# Idempotent: does nothing when it is already installed. Needs root (CI runs as root) or sudo.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  echo "chromium already installed: $(/usr/bin/chromium --version 2>/dev/null | grep -i chromium || echo present)"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends chromium fonts-liberation
/usr/bin/chromium --version 2>/dev/null | grep -i chromium || true
