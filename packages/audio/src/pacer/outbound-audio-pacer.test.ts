import { afterEach, describe, expect, test } from "bun:test";
import { createRecordingLogger, InvalidArgumentError, silentLogger } from "@roomkit/spec";
import { generateNoise } from "../pcm/generators.ts";
import { ManualClock, settle } from "@roomkit/test-support";
import { OutboundAudioPacer, type OutboundAudioPacerOptions } from "./outbound-audio-pacer.ts";

interface Sent {
  at: number;
  bytes: Uint8Array;
}

const pacers: OutboundAudioPacer[] = [];
afterEach(async () => {
  for (const pacer of pacers.splice(0)) {
    pacer.interrupt();
    const stopping = pacer.stop();
    await settle();
    await stopping;
  }
});

function setup(options: Partial<OutboundAudioPacerOptions> & { sampleRate: number }) {
  const clock = new ManualClock();
  const sent: Sent[] = [];
  const pacer = new OutboundAudioPacer({
    send: (bytes) => {
      sent.push({ at: clock.now(), bytes: bytes.slice() });
    },
    clock,
    logger: silentLogger,
    ...options,
  });
  pacers.push(pacer);
  pacer.start();
  return { clock, sent, pacer };
}

function audio(sampleRate: number, durationMs: number, seed = 1): Uint8Array {
  // Non-zero everywhere so silence frames are recognisable.
  const bytes = generateNoise({ sampleRate, durationMs, amplitude: 0.5, seed });
  for (let i = 0; i < bytes.byteLength; i += 2) if (bytes[i] === 0 && bytes[i + 1] === 0) bytes[i] = 1;
  return bytes;
}

function joined(sent: Sent[]): Uint8Array {
  const total = sent.reduce((sum, item) => sum + item.bytes.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const item of sent) {
    out.set(item.bytes, offset);
    offset += item.bytes.byteLength;
  }
  return out;
}

const isSilence = (bytes: Uint8Array) => bytes.every((b) => b === 0);

describe("OutboundAudioPacer (§8 items 96–102, injected clock)", () => {
  test("96: delivers every pushed byte (prebuffer 0)", async () => {
    const { clock, sent, pacer } = setup({ sampleRate: 8000, prebufferMs: 0 });
    const chunks = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((seed) => audio(8000, 10 + seed * 7, seed));
    for (const chunk of chunks) pacer.push(chunk);
    pacer.endOfResponse();
    await clock.advanceAsync(3000);
    expect(joined(sent)).toEqual(joined(chunks.map((bytes) => ({ at: 0, bytes }))));
  });

  test("96: the first burst is >= the prebuffer (150 ms => >= 2400 B at 8 kHz) for ten 20 ms chunks", async () => {
    const { clock, sent, pacer } = setup({ sampleRate: 8000, prebufferMs: 150 });
    for (let i = 0; i < 10; i++) pacer.push(audio(8000, 20, i + 1));
    await clock.advanceAsync(1000);
    expect(sent[0].bytes.byteLength).toBeGreaterThanOrEqual(2400);
    expect(joined(sent).byteLength).toBe(3200);
  });

  test("96/99: one 1 s chunk (prebuffer 100 ms): first send <= 1600 B, all bytes sent, paced over > 0.5 s", async () => {
    const { clock, sent, pacer } = setup({ sampleRate: 8000, prebufferMs: 100 });
    const chunk = audio(8000, 1000);
    pacer.push(chunk);
    pacer.endOfResponse();
    await clock.advanceAsync(3000);
    expect(sent[0].bytes.byteLength).toBeLessThanOrEqual(1600);
    expect(joined(sent)).toEqual(chunk);
    expect(sent[sent.length - 1].at - sent[0].at).toBeGreaterThan(500);
  });

  test("97: interrupt drains queued audio; the pacer keeps working for the next response", async () => {
    const { clock, sent, pacer } = setup({ sampleRate: 16000, prebufferMs: 80 });
    for (let i = 0; i < 50; i++) pacer.push(audio(16000, 20, i + 1));
    await clock.advanceAsync(100);
    const beforeInterrupt = joined(sent).byteLength;
    pacer.interrupt();
    await clock.advanceAsync(2000);
    // At most the frame in flight went out after the interrupt.
    expect(joined(sent).byteLength - beforeInterrupt).toBeLessThanOrEqual(640);
    expect(joined(sent).byteLength).toBeLessThan(50 * 640);
    const count = sent.length;
    const next = audio(16000, 40, 99);
    pacer.push(next);
    pacer.endOfResponse();
    await clock.advanceAsync(200);
    expect(joined(sent.slice(count))).toEqual(next);
  });

  test("97: interrupt wakes a pacing sleep at once and a new response is sent without waiting", async () => {
    const { clock, sent, pacer } = setup({ sampleRate: 16000, prebufferMs: 80, jitterHeadroomMs: 0 });
    pacer.push(audio(16000, 2000));
    await clock.advanceAsync(50); // the pacer is now sleeping between frames
    expect(clock.pendingTimers).toBe(1);
    pacer.interrupt();
    await settle();
    expect(clock.pendingTimers).toBe(0); // the sleep timer was cancelled: the loop woke up
    const count = sent.length;
    const interruptedAt = clock.now();
    const next = audio(16000, 20, 5);
    pacer.push(next);
    pacer.endOfResponse();
    await settle();
    expect(sent.length).toBe(count + 1);
    expect(sent[count].at).toBe(interruptedAt);
    expect(sent[count].bytes).toEqual(next);
  });

  test("98: each response gets its own prebuffer burst", async () => {
    const { clock, sent, pacer } = setup({ sampleRate: 16000, prebufferMs: 80 });
    for (let i = 0; i < 10; i++) pacer.push(audio(16000, 20, i + 1));
    pacer.endOfResponse();
    await clock.advanceAsync(1000);
    const firstResponse = sent.length;
    expect(sent[0].bytes.byteLength).toBe(2560);
    for (let i = 0; i < 10; i++) pacer.push(audio(16000, 20, i + 20));
    pacer.endOfResponse();
    await clock.advanceAsync(1000);
    expect(sent.length).toBeGreaterThan(firstResponse);
    expect(sent[firstResponse].bytes.byteLength).toBe(2560);
    expect(joined(sent).byteLength).toBe(2 * 6400);
  });

  test("98: waitForResponseDone resolves after the flush, immediately when idle, and on interrupt", async () => {
    const { clock, sent, pacer } = setup({ sampleRate: 16000 });
    let idleDone = false;
    pacer.waitForResponseDone().then(() => (idleDone = true));
    await settle();
    expect(idleDone).toBe(true);

    const chunk = audio(16000, 400);
    pacer.push(chunk);
    pacer.endOfResponse();
    let flushed = false;
    let bytesAtDone = -1;
    pacer.waitForResponseDone().then(() => {
      flushed = true;
      bytesAtDone = joined(sent).byteLength;
    });
    await clock.advanceAsync(100);
    expect(flushed).toBe(false);
    await clock.advanceAsync(1000);
    expect(flushed).toBe(true);
    expect(bytesAtDone).toBe(chunk.byteLength);

    pacer.push(audio(16000, 2000, 3));
    pacer.endOfResponse();
    let interruptedDone = false;
    pacer.waitForResponseDone().then(() => (interruptedDone = true));
    await clock.advanceAsync(100);
    expect(interruptedDone).toBe(false);
    pacer.interrupt();
    await settle();
    expect(interruptedDone).toBe(true);
  });

  test("99: chunks of <= 2 frames are not split and empty pushes send nothing", async () => {
    const { clock, sent, pacer } = setup({ sampleRate: 8000, prebufferMs: 0 });
    pacer.push(new Uint8Array(0));
    pacer.push(new Uint8Array(0));
    await clock.advanceAsync(200);
    expect(sent.length).toBe(0);
    for (let i = 0; i < 20; i++) pacer.push(audio(8000, 20, i + 1));
    pacer.endOfResponse();
    await clock.advanceAsync(2000);
    expect(sent.length).toBe(20);
    for (const item of sent) expect(item.bytes.byteLength).toBe(320);
  });

  test("100: 500 ms with 60 ms headroom spans 0.30–0.50 s; with zero headroom > 0.35 s", async () => {
    for (const [headroom, min, max] of [
      [60, 300, 500],
      [0, 350, 600],
    ]) {
      const { clock, sent, pacer } = setup({ sampleRate: 16000, prebufferMs: 80, jitterHeadroomMs: headroom });
      pacer.push(audio(16000, 500));
      pacer.endOfResponse();
      await clock.advanceAsync(2000);
      const span = sent[sent.length - 1].at - sent[0].at;
      expect(span).toBeGreaterThanOrEqual(min);
      expect(span).toBeLessThanOrEqual(max);
      expect(joined(sent).byteLength).toBe(16000);
    }
  });

  test("101: silence fill never splices zeros while ahead of the wall clock, but does once behind", async () => {
    const { clock, sent, pacer } = setup({ sampleRate: 16000, jitterHeadroomMs: 200, fillWithSilenceWhenIdle: true });
    pacer.push(audio(16000, 200));
    await clock.advanceAsync(100);
    expect(sent.some((item) => isSilence(item.bytes))).toBe(false);
    await clock.advanceAsync(400);
    expect(sent.some((item) => isSilence(item.bytes))).toBe(true);
    expect(pacer.underruns).toBeGreaterThan(0);
    expect(pacer.silenceSentMs).toBeGreaterThan(0);
    expect(pacer.sentMs).toBe(200);
  });

  test("101: silence fill sends 20 ms zero frames while idle", async () => {
    const { clock, sent } = setup({ sampleRate: 8000, fillWithSilenceWhenIdle: true });
    await clock.advanceAsync(100);
    expect(sent.length).toBe(5);
    for (const item of sent) {
      expect(item.bytes.byteLength).toBe(320);
      expect(isSilence(item.bytes)).toBe(true);
    }
  });

  test("102: stop() exits cleanly and is idempotent", async () => {
    const { clock, pacer } = setup({ sampleRate: 16000 });
    const first = pacer.stop();
    expect(pacer.stop()).toBe(first);
    await settle();
    await first;
    expect(pacer.running).toBe(false);
    await pacer.stop();
    expect(clock.pendingTimers).toBe(0);
  });

  test("102: stop() with audio queued finishes within the 2 s grace, then cancels", async () => {
    const { clock, sent, pacer } = setup({ sampleRate: 16000, jitterHeadroomMs: 0 });
    pacer.push(audio(16000, 10_000));
    let stopped = false;
    pacer.stop().then(() => (stopped = true));
    pacer.push(audio(16000, 20)); // ignored after stop
    await clock.advanceAsync(1900);
    expect(stopped).toBe(false);
    await clock.advanceAsync(200);
    expect(stopped).toBe(true);
    await clock.advanceAsync(1000);
    const total = joined(sent).byteLength;
    await clock.advanceAsync(1000);
    expect(joined(sent).byteLength).toBe(total);
    expect(pacer.running).toBe(false);
  });
});

describe("OutboundAudioPacer: more behaviour and bad input", () => {
  test("interrupt during the prebuffer discards it", async () => {
    const { clock, sent, pacer } = setup({ sampleRate: 16000, prebufferMs: 200 });
    pacer.push(audio(16000, 20));
    await clock.advanceAsync(50);
    pacer.interrupt();
    await clock.advanceAsync(500);
    expect(sent.length).toBe(0);
  });

  test("sentMs counts pushed audio; responseSentMs restarts per response", async () => {
    const { clock, pacer } = setup({ sampleRate: 16000 });
    pacer.push(audio(16000, 300));
    pacer.endOfResponse();
    await clock.advanceAsync(1000);
    expect(pacer.sentMs).toBe(300);
    pacer.push(audio(16000, 100));
    pacer.endOfResponse();
    await clock.advanceAsync(1000);
    expect(pacer.sentMs).toBe(400);
    expect(pacer.responseSentMs).toBe(100);
  });

  test("a throwing or rejecting send is logged and counted; the pacer carries on", async () => {
    const clock = new ManualClock();
    const logger = createRecordingLogger();
    let calls = 0;
    const pacer = new OutboundAudioPacer({
      sampleRate: 8000,
      prebufferMs: 0,
      clock,
      logger,
      send: (bytes) => {
        calls++;
        if (calls === 1) throw new Error("boom");
        if (calls === 2) return Promise.reject(new Error("async boom"));
        expect(bytes.byteLength).toBe(320);
      },
    });
    pacers.push(pacer);
    pacer.start();
    for (let i = 0; i < 5; i++) pacer.push(audio(8000, 20, i + 1));
    pacer.endOfResponse();
    await clock.advanceAsync(1000);
    expect(calls).toBe(5);
    expect(pacer.failedSends).toBe(2);
    expect(logger.entries.filter((entry) => entry.message === "pacer send failed").length).toBe(2);
  });

  test("can start again after stop", async () => {
    const { clock, sent, pacer } = setup({ sampleRate: 8000 });
    const stopping = pacer.stop();
    await settle();
    await stopping;
    pacer.start();
    pacer.push(audio(8000, 40));
    pacer.endOfResponse();
    await clock.advanceAsync(500);
    expect(joined(sent).byteLength).toBe(640);
  });

  test("bad options and odd-length pushes throw InvalidArgumentError without disturbing the stream", async () => {
    const send = () => {};
    expect(() => new OutboundAudioPacer({ send, sampleRate: 0 })).toThrow(InvalidArgumentError);
    expect(() => new OutboundAudioPacer({ send, sampleRate: 11_025 })).toThrow(InvalidArgumentError);
    expect(() => new OutboundAudioPacer({ send, sampleRate: 16000, prebufferMs: Number.NaN })).toThrow(
      InvalidArgumentError,
    );
    expect(() => new OutboundAudioPacer({ send, sampleRate: 16000, jitterHeadroomMs: -1 })).toThrow(
      InvalidArgumentError,
    );
    expect(() => new OutboundAudioPacer({ send, sampleRate: 16000, channels: 6 })).toThrow(InvalidArgumentError);
    expect(() => new OutboundAudioPacer({ sampleRate: 16000 } as OutboundAudioPacerOptions)).toThrow(
      InvalidArgumentError,
    );
    const { clock, sent, pacer } = setup({ sampleRate: 8000 });
    expect(() => pacer.push(new Uint8Array(3))).toThrow(InvalidArgumentError);
    pacer.push(audio(8000, 100));
    pacer.endOfResponse();
    await clock.advanceAsync(500);
    expect(joined(sent).byteLength).toBe(1600);
  });
});

describe("OutboundAudioPacer in real time (system clock)", () => {
  test("300 ms of audio is paced over roughly 0.22 s and then reported done", async () => {
    const sent: Sent[] = [];
    const pacer = new OutboundAudioPacer({
      sampleRate: 16000,
      logger: silentLogger,
      send: (bytes) => {
        sent.push({ at: performance.now(), bytes });
      },
    });
    pacers.push(pacer);
    pacer.start();
    pacer.push(audio(16000, 300));
    pacer.endOfResponse();
    await pacer.waitForResponseDone();
    const span = sent[sent.length - 1].at - sent[0].at;
    // Ideal: the last frame goes out when 60 ms ahead, i.e. 300 - 20 - 60 = 220 ms after the burst. Timers never fire
    // early, so the lower bound is firm; the upper bound is generous for a loaded machine.
    expect(span).toBeGreaterThanOrEqual(200);
    expect(span).toBeLessThan(3000);
    expect(joined(sent).byteLength).toBe(9600);
    await pacer.stop();
  });
});
