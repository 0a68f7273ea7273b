#!/usr/bin/env bash
# Regenerates packages/audio/fixtures/ with real reference tools (ffmpeg, sox). Not run in CI: the outputs are
# committed and the tests only read them. Usage: bash packages/audio/scripts/make-fixtures.sh
# All raw files are headerless signed 16-bit little-endian mono ("s16") unless the extension says otherwise.
set -euo pipefail

if ! command -v ffmpeg >/dev/null || ! command -v sox >/dev/null; then
  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y ffmpeg sox
fi

OUT="$(cd "$(dirname "$0")/.." && pwd)/fixtures"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT"
FF="ffmpeg -hide_banner -loglevel error -y"
SOXRAW="-t raw -e signed-integer -b 16 -c 1 -L"

# Speech-like test signal at rate $1, band-limited to $2 Hz: a log sweep plus three band-limited noise bursts.
speech_like() {
  local rate=$1 limit=$2 seconds=$3 out=$4
  sox -n -r "$rate" -b 16 -c 1 "$WORK/sweep.wav" synth "$seconds" sine 120:"$limit" vol 0.35
  sox -n -r "$rate" -b 16 -c 1 "$WORK/burst.wav" synth 0.18 whitenoise vol 0.3 fade 0.02 0.18 0.04
  local parts=()
  for start in 0.25 0.9 1.6; do
    local tail; tail=$(echo "$seconds - $start - 0.18" | bc -l)
    sox "$WORK/burst.wav" "$WORK/burst-$start.wav" pad "$start" "$tail"
    parts+=("$WORK/burst-$start.wav")
  done
  sox -m "$WORK/sweep.wav" "${parts[@]}" "$WORK/mix.wav"
  sox -D "$WORK/mix.wav" $SOXRAW "$out" sinc -"$limit" trim 0 "$seconds"
}

# --- G.711: ffmpeg's encoding of every 16-bit input and decoding of every code --------------------------------
perl -e 'print pack("s<*", -32768 .. 32767)' > "$WORK/ramp.s16"
$FF -f s16le -ar 8000 -ac 1 -i "$WORK/ramp.s16" -acodec pcm_mulaw -f mulaw "$OUT/g711-all-inputs.ffmpeg.ulaw"
$FF -f s16le -ar 8000 -ac 1 -i "$WORK/ramp.s16" -acodec pcm_alaw -f alaw "$OUT/g711-all-inputs.ffmpeg.alaw"
perl -e 'print pack("C*", 0 .. 255)' > "$WORK/codes.u8"
$FF -f mulaw -ar 8000 -ac 1 -i "$WORK/codes.u8" -f s16le "$OUT/g711-all-codes.ffmpeg-ulaw.s16"
$FF -f alaw -ar 8000 -ac 1 -i "$WORK/codes.u8" -f s16le "$OUT/g711-all-codes.ffmpeg-alaw.s16"

# --- G.722: speech-like signal, a loud noise, and a random bitstream -----------------------------------------
speech_like 16000 7600 3 "$OUT/g722-speech.s16"
sox -n -r 16000 -b 16 -c 1 -D $SOXRAW "$OUT/g722-noise.s16" synth 0.5 whitenoise vol 0.9
for name in speech noise; do
  $FF -f s16le -ar 16000 -ac 1 -i "$OUT/g722-$name.s16" -acodec g722 -f g722 "$OUT/g722-$name.ffmpeg.g722"
  $FF -f g722 -i "$OUT/g722-$name.ffmpeg.g722" -f s16le -ac 1 -ar 16000 "$OUT/g722-$name.ffmpeg-decoded.s16"
done
head -c 4000 /dev/urandom > "$OUT/g722-random.g722"
$FF -f g722 -i "$OUT/g722-random.g722" -f s16le -ac 1 -ar 16000 "$OUT/g722-random.ffmpeg-decoded.s16"

# --- Resampler: sox "rate -v" (very high quality, linear phase) on band-limited speech-like input -----------
# from to band-limit(Hz, below 0.45 x the lower rate)
while read -r from to limit; do
  src="$OUT/resample-src-$from.s16"
  [ -f "$src" ] || speech_like "$from" "$limit" 2 "$src"
  sox -D -r "$from" $SOXRAW "$src" -r "$to" $SOXRAW "$OUT/resample-$from-to-$to.sox.s16" rate -v
done <<'PAIRS'
24000 16000 3000
24000 8000 3000
16000 24000 3000
16000 8000 3000
8000 16000 3000
48000 16000 3000
44100 16000 3000
22050 24000 3000
PAIRS

ls -l "$OUT"
du -sh "$OUT"
