#!/usr/bin/env bash
# Installs the system packages the test suite drives as real peers (idempotent).
# Today: Debian's Chromium for the browser tests of apps/demo. Runs apt-get only when something is missing.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup-test-env: installing ${missing[*]} (apt-get)" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >&2
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" fonts-liberation >&2
fi
for script in apps/*/scripts/setup-browser.sh; do
  [ -f "$script" ] && bash "$script" >&2
done
exit 0
