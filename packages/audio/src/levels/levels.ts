import { assertFiniteInRange, assertPcm16 } from "../validate.ts";

/** Floor of `rmsDb` (and its value for empty or silent input). */
export const RMS_DB_FLOOR = -60;

function sumOfSquares(pcm: Uint8Array): number {
  let sum = 0;
  for (let j = 0; j < pcm.byteLength; j += 2) {
    const sample = ((pcm[j] | (pcm[j + 1] << 8)) << 16) >> 16;
    sum += sample * sample;
  }
  return sum;
}

/**
 * RMS level of PCM16 samples in dBFS (RMS / 32768), clamped to [−60, 0]. Empty or silent input gives −60.
 * Odd byte length ⇒ `InvalidArgumentError`.
 */
export function rmsDb(pcm: Uint8Array): number {
  assertPcm16(pcm);
  const count = pcm.byteLength >> 1;
  if (count === 0) return RMS_DB_FLOOR;
  const rms = Math.sqrt(sumOfSquares(pcm) / count) / 32768;
  if (rms < 1e-10) return RMS_DB_FLOOR;
  const db = 20 * Math.log10(rms);
  return Math.min(Math.max(db, RMS_DB_FLOOR), 0);
}

/** Peak absolute sample as a fraction of full scale, in [0, 1] (−32768 gives exactly 1). Empty ⇒ 0. */
export function peakLevel(pcm: Uint8Array): number {
  assertPcm16(pcm);
  let peak = 0;
  for (let j = 0; j < pcm.byteLength; j += 2) {
    const sample = ((pcm[j] | (pcm[j + 1] << 8)) << 16) >> 16;
    const magnitude = sample < 0 ? -sample : sample;
    if (magnitude > peak) peak = magnitude;
  }
  return peak / 32768;
}

export interface EnergyVadOptions {
  /** A frame at or above this RMS level (dBFS) counts as voiced (default −40). */
  thresholdDb?: number;
  /** Consecutive voiced frames needed to start speech (default 2). */
  attackFrames?: number;
  /** Consecutive quiet frames needed to end speech (default 15, i.e. 300 ms of 20 ms frames). */
  hangoverFrames?: number;
}

/**
 * A cheap energy-threshold voice activity detector with attack and hangover counters. It is not a speech model:
 * loud noise counts as voice. Meant for metering, silence detection and tests; use a real VAD for barge-in.
 */
export class EnergyVad {
  readonly thresholdDb: number;
  readonly attackFrames: number;
  readonly hangoverFrames: number;
  private voicedRun = 0;
  private quietRun = 0;
  private active = false;

  constructor(options: EnergyVadOptions = {}) {
    this.thresholdDb = options.thresholdDb ?? -40;
    this.attackFrames = options.attackFrames ?? 2;
    this.hangoverFrames = options.hangoverFrames ?? 15;
    assertFiniteInRange(this.thresholdDb, "thresholdDb", RMS_DB_FLOOR, 0);
    assertFiniteInRange(this.attackFrames, "attackFrames", 1, 1000);
    assertFiniteInRange(this.hangoverFrames, "hangoverFrames", 0, 100_000);
  }

  /** Whether speech is currently detected. */
  get speaking(): boolean {
    return this.active;
  }

  /** Feeds one frame; returns `speaking` after it. An empty frame changes nothing. */
  process(pcm: Uint8Array): boolean {
    assertPcm16(pcm);
    if (pcm.byteLength === 0) return this.active;
    if (rmsDb(pcm) >= this.thresholdDb) {
      this.voicedRun++;
      this.quietRun = 0;
      if (!this.active && this.voicedRun >= this.attackFrames) this.active = true;
    } else {
      this.quietRun++;
      this.voicedRun = 0;
      if (this.active && this.quietRun > this.hangoverFrames) this.active = false;
    }
    return this.active;
  }

  reset(): void {
    this.voicedRun = 0;
    this.quietRun = 0;
    this.active = false;
  }
}
