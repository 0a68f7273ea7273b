/** Deterministic "speech" for the fake: a tone whose length follows the text, cut into wire chunks. */
export interface SyntheticSpeechOptions {
  text: string;
  sampleRate: number;
  chunkMs: number;
  dbfs: number;
}

/** `max(200, 60 × characters)` milliseconds, as protocols.md E prescribes. */
export function speechDurationMs(text: string): number {
  return Math.max(200, 60 * text.length);
}

/** PCM16 LE chunks of a 330 Hz tone at `dbfs`; the last chunk may be shorter. */
export function synthesizeSpeech(options: SyntheticSpeechOptions): Uint8Array[] {
  const totalSamples = Math.round((speechDurationMs(options.text) * options.sampleRate) / 1000);
  const chunkSamples = Math.round((options.chunkMs * options.sampleRate) / 1000);
  const amplitude = 32767 * 10 ** (options.dbfs / 20);
  const chunks: Uint8Array[] = [];
  for (let start = 0; start < totalSamples; start += chunkSamples) {
    const count = Math.min(chunkSamples, totalSamples - start);
    const bytes = new Uint8Array(count * 2);
    const view = new DataView(bytes.buffer);
    for (let index = 0; index < count; index++) {
      const sample = Math.round(amplitude * Math.sin((2 * Math.PI * 330 * (start + index)) / options.sampleRate));
      view.setInt16(index * 2, sample, true);
    }
    chunks.push(bytes);
  }
  return chunks;
}

/** Splits `text` into word chunks (each keeps its leading space), as the real server streams transcripts. */
export function wordChunks(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [];
}

/** `durationMs` of PCM16 caller audio cut into `frameMs` frames: a 440 Hz tone at −12 dBFS ("speech") or zeros. */
export function callerAudioFrames(options: {
  durationMs: number;
  sampleRate?: number;
  frameMs?: number;
  silent?: boolean;
}): Uint8Array[] {
  const sampleRate = options.sampleRate ?? 16000;
  const frameSamples = Math.round(((options.frameMs ?? 20) * sampleRate) / 1000);
  const total = Math.round((options.durationMs * sampleRate) / 1000);
  const amplitude = 32767 * 10 ** (-12 / 20);
  const frames: Uint8Array[] = [];
  for (let start = 0; start < total; start += frameSamples) {
    const count = Math.min(frameSamples, total - start);
    const bytes = new Uint8Array(count * 2);
    if (!options.silent) {
      const view = new DataView(bytes.buffer);
      for (let index = 0; index < count; index++) {
        view.setInt16(
          index * 2,
          Math.round(amplitude * Math.sin((2 * Math.PI * 440 * (start + index)) / sampleRate)),
          true,
        );
      }
    }
    frames.push(bytes);
  }
  return frames;
}
