#!/usr/bin/env bash
# Installs what @roomkit/store-postgres's tests run for real: Debian's PostgreSQL server (initdb, pg_ctl, postgres under
# /usr/lib/postgresql/<major>/bin; the tests start a private cluster in a temp directory). Idempotent; as root on a
# fresh Debian it apt-installs, elsewhere it uses sudo.
set -euo pipefail
if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || command -v initdb >/dev/null 2>&1; then exit 0; fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "store-postgres: installing postgresql" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql >&2
