import { expect, test } from "bun:test";
import * as audio from "./index.ts";

test("exports exactly the agreed API names (BRIEF.md) plus documented extras", () => {
  const agreed = [
    "pcm16View",
    "int16ToBytes",
    "encodeMulaw",
    "decodeMulaw",
    "encodeAlaw",
    "decodeAlaw",
    "G722Encoder",
    "G722Decoder",
    "createResampler",
    "rmsDb",
    "peakLevel",
    "OutboundAudioPacer",
    "generateTone",
    "generateSilence",
    "readWav",
    "writeWav",
  ];
  for (const name of agreed) expect(typeof (audio as Record<string, unknown>)[name]).toBe("function");
  const encoder = new audio.G722Encoder();
  expect(typeof encoder.encode).toBe("function");
  expect(typeof encoder.reset).toBe("function");
  const resampler = audio.createResampler({ fromRate: 16000, toRate: 24000 });
  expect(typeof resampler.delaySamples).toBe("number");
  for (const method of ["process", "flush", "reset"] as const) expect(typeof resampler[method]).toBe("function");
  const pacer = new audio.OutboundAudioPacer({ send: () => {}, sampleRate: 16000 });
  for (const method of ["push", "endOfResponse", "waitForResponseDone", "interrupt", "start", "stop"] as const) {
    expect(typeof pacer[method]).toBe("function");
  }
  expect(pacer.sentMs).toBe(0);
});
