#!/usr/bin/env bash
# Installs what @roomkit/transport-local's tests drive for real: a PulseAudio daemon and its CLI tools (parec, pacat,
# pactl), plus alsa-utils and the ALSA pulse plugin for the ALSA driver. Idempotent; runs as root on a fresh Debian.
set -euo pipefail
missing=()
command -v pulseaudio >/dev/null 2>&1 || missing+=(pulseaudio)
command -v pacat >/dev/null 2>&1 || missing+=(pulseaudio-utils)
command -v aplay >/dev/null 2>&1 || missing+=(alsa-utils)
[ -e /usr/lib/x86_64-linux-gnu/alsa-lib/libasound_module_pcm_pulse.so ] || [ -e /usr/lib/aarch64-linux-gnu/alsa-lib/libasound_module_pcm_pulse.so ] || missing+=(libasound2-plugins)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "transport-local: installing ${missing[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
