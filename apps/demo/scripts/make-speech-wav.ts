// Writes fixtures/speech.wav: a synthetic, speech-like test signal for Chromium's fake microphone
// (--use-file-for-fake-audio-capture). Deterministic; run once: `bun run scripts/make-speech-wav.ts`.
// Five voiced "syllables" (glottal-like harmonic series with a moving pitch, shaped by two moving formants and a
// syllable envelope) ≈ 1.1 s, then ≈ 0.9 s of near-silence. Chromium loops the file, so the "caller" speaks again
// while the assistant's echo is still playing: that is the barge-in the browser test needs.
import { writeFileSync } from "node:fs";
import { join } from "node:path";

const SAMPLE_RATE = 16000;
const SYLLABLES = [
  { ms: 200, f0: [120, 140], formants: [700, 1200] },
  { ms: 180, f0: [140, 150], formants: [400, 2000] },
  { ms: 240, f0: [150, 130], formants: [600, 1000] },
  { ms: 200, f0: [130, 125], formants: [300, 2300] },
  { ms: 260, f0: [125, 105], formants: [650, 1100] },
];
const GAP_MS = 30;
const SILENCE_MS = 900;

function formantGain(frequency: number, center: number, bandwidth: number): number {
  const x = (frequency - center) / bandwidth;
  return 1 / (1 + x * x);
}

const samples: number[] = [];
let phase = 0;
let noiseState = 12345;
const noise = () => {
  noiseState = (noiseState * 1103515245 + 12345) & 0x7fffffff;
  return noiseState / 0x7fffffff - 0.5;
};
for (const syllable of SYLLABLES) {
  const count = Math.round((SAMPLE_RATE * syllable.ms) / 1000);
  for (let index = 0; index < count; index++) {
    const t = index / count;
    const f0 = syllable.f0[0]! + (syllable.f0[1]! - syllable.f0[0]!) * t;
    phase += (2 * Math.PI * f0) / SAMPLE_RATE;
    let value = 0;
    for (let harmonic = 1; harmonic * f0 < SAMPLE_RATE / 2 - 200; harmonic++) {
      const frequency = harmonic * f0;
      const gain =
        formantGain(frequency, syllable.formants[0]!, 120) + 0.6 * formantGain(frequency, syllable.formants[1]!, 180);
      value += (gain / Math.sqrt(harmonic)) * Math.sin(harmonic * phase);
    }
    const envelope = Math.sin(Math.PI * t) ** 0.3;
    samples.push(0.33 * envelope * value + 0.01 * noise());
  }
  for (let index = 0; index < (SAMPLE_RATE * GAP_MS) / 1000; index++) samples.push(0.003 * noise());
}
for (let index = 0; index < (SAMPLE_RATE * SILENCE_MS) / 1000; index++) samples.push(0.001 * noise());

const peak = samples.reduce((max, value) => Math.max(max, Math.abs(value)), 0);
const scale = 0.9 / peak;
const data = Buffer.alloc(samples.length * 2);
for (let index = 0; index < samples.length; index++) {
  data.writeInt16LE(Math.round(samples[index]! * scale * 32767), index * 2);
}
const header = Buffer.alloc(44);
header.write("RIFF", 0);
header.writeUInt32LE(36 + data.length, 4);
header.write("WAVEfmt ", 8);
header.writeUInt32LE(16, 16);
header.writeUInt16LE(1, 20);
header.writeUInt16LE(1, 22);
header.writeUInt32LE(SAMPLE_RATE, 24);
header.writeUInt32LE(SAMPLE_RATE * 2, 28);
header.writeUInt16LE(2, 32);
header.writeUInt16LE(16, 34);
header.write("data", 36);
header.writeUInt32LE(data.length, 40);
const path = join(import.meta.dir, "..", "fixtures", "speech.wav");
writeFileSync(path, Buffer.concat([header, data]));
console.log(`wrote ${path}: ${(samples.length / SAMPLE_RATE).toFixed(2)} s, peak scale ${scale.toFixed(2)}`);
