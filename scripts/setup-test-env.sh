#!/usr/bin/env bash
# Installs the system packages the test suite drives as real peers (idempotent): each app or package that needs one
# has its own scripts/setup-*.sh (today: apps/demo/scripts/setup-browser.sh installs Debian's chromium;
# packages/transport-local/scripts/setup-test-env.sh installs pulseaudio, pulseaudio-utils, alsa-utils and the ALSA
# pulse plugin for its private-daemon tests; packages/transport-sip/scripts/setup-test-env.sh installs sip-tester,
# i.e. sipp, the real SIP caller/callee of its tests).
set -euo pipefail
cd "$(dirname "$0")/.."
for script in apps/*/scripts/setup-browser.sh packages/*/scripts/setup-test-env.sh; do
  [ -f "$script" ] || continue
  bash "$script" >&2
done
