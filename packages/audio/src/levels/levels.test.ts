import { describe, expect, test } from "bun:test";
import { InvalidArgumentError } from "@roomkit/spec";
import { int16ToBytes } from "../pcm/pcm16.ts";
import { generateSilence, generateTone } from "../pcm/generators.ts";
import { EnergyVad, peakLevel, rmsDb } from "./levels.ts";

describe("rmsDb", () => {
  test("full-scale square is 0 dB, a half-scale sine about −9 dB", () => {
    expect(rmsDb(int16ToBytes(new Int16Array([-32768, -32768])))).toBe(0);
    const sine = generateTone({ frequency: 1000, sampleRate: 16000, durationMs: 100, amplitude: 0.5 });
    expect(rmsDb(sine)).toBeCloseTo(20 * Math.log10(0.5 / Math.SQRT2), 2);
  });
  test("silence, empty and tiny signals clamp to −60", () => {
    expect(rmsDb(new Uint8Array(0))).toBe(-60);
    expect(rmsDb(generateSilence({ sampleRate: 8000, durationMs: 20 }))).toBe(-60);
    expect(rmsDb(int16ToBytes(new Int16Array([1, -1, 1, -1])))).toBe(-60);
  });
  test("odd length throws InvalidArgumentError", () => {
    expect(() => rmsDb(new Uint8Array(3))).toThrow(InvalidArgumentError);
  });
});

describe("peakLevel", () => {
  test("in [0, 1]", () => {
    expect(peakLevel(new Uint8Array(0))).toBe(0);
    expect(peakLevel(int16ToBytes(new Int16Array([3, -16384, 100])))).toBe(0.5);
    expect(peakLevel(int16ToBytes(new Int16Array([-32768])))).toBe(1);
    expect(() => peakLevel(new Uint8Array(1))).toThrow(InvalidArgumentError);
  });
});

describe("EnergyVad", () => {
  test("attack and hangover", () => {
    const vad = new EnergyVad({ thresholdDb: -30, attackFrames: 2, hangoverFrames: 2 });
    const loud = generateTone({ frequency: 300, sampleRate: 16000, durationMs: 20, amplitude: 0.3 });
    const quiet = generateSilence({ sampleRate: 16000, durationMs: 20 });
    expect(vad.process(loud)).toBe(false);
    expect(vad.process(loud)).toBe(true);
    expect(vad.process(new Uint8Array(0))).toBe(true);
    expect(vad.process(quiet)).toBe(true);
    expect(vad.process(quiet)).toBe(true);
    expect(vad.process(quiet)).toBe(false);
    vad.process(loud);
    vad.reset();
    expect(vad.speaking).toBe(false);
  });
  test("bad options throw InvalidArgumentError", () => {
    expect(() => new EnergyVad({ thresholdDb: Number.NaN })).toThrow(InvalidArgumentError);
    expect(() => new EnergyVad({ attackFrames: 0 })).toThrow(InvalidArgumentError);
    expect(() => new EnergyVad({ thresholdDb: 10 })).toThrow(InvalidArgumentError);
  });
});
