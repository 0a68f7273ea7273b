#!/usr/bin/env bash
# Installs what @roomkit/transport-sip's tests drive as real SIP peers on 127.0.0.1: sipp (Debian package sip-tester),
# which places and answers calls with RTP, and baresip (baresip-core), a second user agent calling us and answering
# our dial() in G.722. Idempotent; runs as root on a fresh Debian.
set -euo pipefail
missing=()
command -v sipp >/dev/null 2>&1 || missing+=(sip-tester)
command -v baresip >/dev/null 2>&1 || missing+=(baresip-core)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "transport-sip: installing ${missing[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
