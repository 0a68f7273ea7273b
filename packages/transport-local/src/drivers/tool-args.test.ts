import { expect, test } from "bun:test";
import { alsaToolArgs } from "./alsa-driver.ts";
import { pulseToolArgs } from "./pulse-driver.ts";

// (§L18) The stream parameters reach the tools: rate 48000, 2 channels, 40 ms blocks, 16-bit, device 3.
const stream = { sampleRate: 48000, channels: 2, blockFrames: 1920, device: 3, latencyMs: 10, leadMs: 20 };

test("(§L18) pacat/parec get raw s16le at the stream's rate and channels, the device, latency and server", () => {
  const args = pulseToolArgs(stream, "unix:/tmp/rk/native");
  for (const expected of [
    "--raw",
    "--format=s16le",
    "--rate=48000",
    "--channels=2",
    "--device=3",
    "--latency-msec=10",
    "--server=unix:/tmp/rk/native",
  ]) {
    expect(args).toContain(expected);
  }
  // The system default device and server when none is given.
  const defaults = pulseToolArgs({ ...stream, device: undefined }, undefined);
  expect(defaults.some((arg) => arg.startsWith("--device") || arg.startsWith("--server"))).toBe(false);
});

test("(§L18) aplay/arecord get S16_LE at the stream's rate and channels, the PCM, and a latency-sized buffer", () => {
  const args = alsaToolArgs(stream);
  const after = (flag: string) => args[args.indexOf(flag) + 1];
  expect(after("-f")).toBe("S16_LE");
  expect(after("-r")).toBe("48000");
  expect(after("-c")).toBe("2");
  expect(after("-D")).toBe("3");
  expect(args).toContain("--buffer-time=10000");
  expect(args).toContain("--period-time=2500");
  expect(alsaToolArgs({ ...stream, device: undefined })).toContain("default");
});
