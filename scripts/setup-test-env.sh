#!/usr/bin/env bash
# Installs the system packages the test suite drives as real peers (idempotent): each app or package that needs one
# has its own scripts/setup-*.sh (today: apps/demo/scripts/setup-browser.sh installs Debian's chromium;
# packages/transport-local/scripts/setup-test-env.sh installs pulseaudio, pulseaudio-utils, alsa-utils and the ALSA
# pulse plugin for its private-daemon tests; packages/store-postgres/scripts/setup-test-env.sh installs postgresql and
# packages/bus-redis/scripts/setup-test-env.sh redis-server, whose tests start private servers on loopback ports;
# packages/transport-sip/scripts/setup-test-env.sh installs sip-tester (sipp) and baresip-core, its real SIP peers;
# packages/transport-webrtc/scripts/setup-test-env.sh installs chromium for its browser end-to-end test).
set -euo pipefail
cd "$(dirname "$0")/.."
for script in apps/*/scripts/setup-browser.sh packages/*/scripts/setup-test-env.sh; do
  [ -f "$script" ] || continue
  bash "$script" >&2
done
