/**
 * Synthetic assistant speech: a 400 Hz tone. At 24 kHz and 8 kHz one period is a whole number of samples, so every
 * 100 ms chunk is identical and is encoded once.
 */
export const TONE_HZ = 400;

export function speechMsFor(text: string): number {
  return Math.max(200, 60 * text.length);
}

/** PCM16 LE samples of the tone (`durationMs` at `sampleRate`, level `dbfs`). */
export function toneSamples(durationMs: number, sampleRate: number, dbfs: number): Int16Array {
  const count = Math.round((durationMs * sampleRate) / 1000);
  const amplitude = 32767 * 10 ** (dbfs / 20);
  const samples = new Int16Array(count);
  for (let index = 0; index < count; index++) {
    samples[index] = Math.round(amplitude * Math.sin((2 * Math.PI * TONE_HZ * index) / sampleRate));
  }
  return samples;
}

/** Nearest-sample rate change (good enough to echo caller audio at another rate). */
export function changeRate(samples: Int16Array, fromRate: number, toRate: number): Int16Array {
  if (fromRate === toRate) return samples;
  const count = Math.floor((samples.length * toRate) / fromRate);
  const result = new Int16Array(count);
  for (let index = 0; index < count; index++) result[index] = samples[Math.floor((index * fromRate) / toRate)]!;
  return result;
}

export function bytesOf(samples: Int16Array): Uint8Array {
  return new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
}

export function samplesOf(bytes: Uint8Array): Int16Array {
  if (bytes.byteOffset % 2 === 0 && bytes.byteLength % 2 === 0) {
    return new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
  }
  const copy = bytes.slice(0, bytes.byteLength - (bytes.byteLength % 2));
  return new Int16Array(copy.buffer);
}
