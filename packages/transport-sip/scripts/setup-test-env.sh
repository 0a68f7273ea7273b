#!/usr/bin/env bash
# Installs what @roomkit/transport-sip's tests drive as a real SIP peer: sipp (Debian package sip-tester), which
# places calls with RTP against our UAS on 127.0.0.1. Idempotent; runs as root on a fresh Debian.
set -euo pipefail
missing=()
command -v sipp >/dev/null 2>&1 || missing+=(sip-tester)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "transport-sip: installing ${missing[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
