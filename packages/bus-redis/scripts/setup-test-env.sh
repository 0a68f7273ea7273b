#!/usr/bin/env bash
# Installs what @roomkit/bus-redis's tests run for real: Debian's redis-server (the tests start private instances on
# free loopback ports with no persistence). Idempotent; as root on a fresh Debian it apt-installs, elsewhere via sudo.
set -euo pipefail
if command -v redis-server >/dev/null 2>&1; then exit 0; fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "bus-redis: installing redis-server" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends redis-server >&2
