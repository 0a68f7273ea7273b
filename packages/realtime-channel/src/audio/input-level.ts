/**
 * RMS level of PCM16 LE in dBFS, clamped to [-60, 0] (the agreed `rmsDb` of `@roomkit/audio`; kept here until that
 * export lands, then this file re-exports it).
 */
export function rmsDb(pcm: Uint8Array): number {
  const samples = pcm.byteLength >> 1;
  if (samples === 0) return -60;
  const view = new DataView(pcm.buffer, pcm.byteOffset, samples * 2);
  let sum = 0;
  for (let index = 0; index < samples; index++) {
    const value = view.getInt16(index * 2, true) / 32768;
    sum += value * value;
  }
  const rms = Math.sqrt(sum / samples);
  if (rms < 1e-10) return -60;
  return Math.max(-60, Math.min(0, 20 * Math.log10(rms)));
}
