import { describe, expect, test } from "bun:test";
import { SpeakerBuffer } from "./speaker-buffer.ts";

// 24 kHz mono, 20 ms blocks = 960 B; 120 ms pre-buffer = 5760 B (the original's test geometry).
const BLOCK = 960;
function buffer(overrides: Partial<ConstructorParameters<typeof SpeakerBuffer>[0]> = {}) {
  return new SpeakerBuffer({
    frameBytes: 2,
    prebufferBytes: 5760,
    maxBytes: 24000 * 2 * 30,
    blockMs: 20,
    primeMaxIdleMs: 100,
    ...overrides,
  });
}
const ones = (bytes: number) => new Uint8Array(bytes).fill(1);
const silent = (block: Uint8Array) => block.every((byte) => byte === 0);
function render(speaker: SpeakerBuffer) {
  const out = new Uint8Array(BLOCK).fill(7);
  return { out, ...speaker.render(out) };
}

describe("SpeakerBuffer (the realtime pre-buffer state machine)", () => {
  test("(§L33) below the pre-buffer a block is silence and nothing drains", () => {
    const speaker = buffer();
    speaker.enqueue(ones(2880));
    expect(silent(render(speaker).out)).toBe(true);
    expect(speaker.buffered).toBe(2880);
  });
  test("(§L34) a full pre-buffer releases in the same block", () => {
    const speaker = buffer();
    speaker.enqueue(ones(5760));
    const block = render(speaker);
    expect(block.written).toBe(BLOCK);
    expect(block.out.every((byte) => byte === 1)).toBe(true);
    expect(speaker.buffered).toBe(4800);
  });
  test("(§L35) endOfResponse releases a short response, zero-fills, counts no underrun, consumes the flag", () => {
    const speaker = buffer();
    speaker.enqueue(ones(800));
    expect(silent(render(speaker).out)).toBe(true);
    speaker.endOfResponse();
    const block = render(speaker);
    expect(block.written).toBe(800);
    expect(block.out.subarray(0, 800).every((byte) => byte === 1)).toBe(true);
    expect(silent(block.out.subarray(800))).toBe(true);
    expect(block.playbackEnded).toBe(true);
    expect(speaker.underruns).toBe(0);
    expect(speaker.responseComplete).toBe(false);
  });
  test("(§L36) endOfResponse mid-drain changes nothing until the buffer drains", () => {
    const speaker = buffer();
    speaker.enqueue(ones(5760));
    render(speaker);
    speaker.endOfResponse();
    expect(render(speaker).written).toBe(BLOCK);
    expect(speaker.buffered).toBe(3840);
  });
  test("(§L37) starving mid-response counts one underrun and re-primes", () => {
    const speaker = buffer();
    speaker.enqueue(ones(BLOCK * 6));
    for (let index = 0; index < 6; index++) expect(render(speaker).written).toBe(BLOCK);
    const starved = render(speaker);
    expect(starved.written).toBe(0);
    expect(speaker.underruns).toBe(1);
    speaker.enqueue(ones(BLOCK));
    expect(silent(render(speaker).out)).toBe(true);
  });
  test("(§L38) endOfResponse before draining ends cleanly: no underrun", () => {
    const speaker = buffer();
    speaker.enqueue(ones(BLOCK * 6));
    speaker.endOfResponse();
    let ended = 0;
    for (let index = 0; index < 7; index++) if (render(speaker).playbackEnded) ended++;
    expect(speaker.underruns).toBe(0);
    expect(ended).toBe(1);
  });
  test("(§L39) interrupt while priming flushes; the next enqueue is kept and primes from zero", () => {
    const speaker = buffer();
    speaker.enqueue(ones(2000));
    expect(speaker.interrupt()).toBe(2000);
    expect(speaker.buffered).toBe(0);
    expect(silent(render(speaker).out)).toBe(true);
    speaker.enqueue(ones(BLOCK));
    expect(speaker.isInterrupted).toBe(false);
    expect(speaker.buffered).toBe(BLOCK);
    expect(silent(render(speaker).out)).toBe(true);
  });
  test("(§L41) a stale endOfResponse after interrupt is ignored", () => {
    const speaker = buffer();
    speaker.enqueue(ones(BLOCK * 6));
    render(speaker);
    speaker.interrupt();
    speaker.endOfResponse();
    expect(speaker.responseComplete).toBe(false);
    speaker.enqueue(ones(800));
    expect(silent(render(speaker).out)).toBe(true);
  });
  test("(§L42) the idle valve releases after 100 ms without audio: 5 silent blocks, the 6th plays", () => {
    const speaker = buffer();
    speaker.enqueue(ones(800));
    for (let index = 0; index < 5; index++) expect(render(speaker).written).toBe(0);
    expect(render(speaker).written).toBe(800);
  });
  test("the idle valve counts milliseconds, not calls: 40 ms blocks release after 3 silent blocks", () => {
    const speaker = buffer({ blockMs: 40 });
    speaker.enqueue(ones(800));
    for (let index = 0; index < 3; index++) expect(render(speaker).written).toBe(0);
    expect(render(speaker).written).toBe(800);
  });
  test("(§L45) a zero pre-buffer plays from the first byte", () => {
    const speaker = buffer({ prebufferBytes: 0 });
    speaker.enqueue(ones(200));
    expect(render(speaker).written).toBe(200);
  });
  test("(§L46) the bound keeps whole frames and counts the drop", () => {
    const speaker = buffer({ maxBytes: 4 });
    const dropped = speaker.enqueue(new TextEncoder().encode("123456"));
    expect(speaker.buffered).toBe(4);
    expect(dropped).toBe(2);
    expect(speaker.droppedBytes).toBe(2);
  });
  test("an odd byte count at the bound keeps frame alignment", () => {
    const speaker = buffer({ maxBytes: 5 });
    speaker.enqueue(ones(7));
    expect(speaker.buffered).toBe(4);
  });
  test("(§L51) endOfResponse with no audio ends playback on the next block", () => {
    const speaker = buffer();
    speaker.endOfResponse();
    expect(render(speaker).playbackEnded).toBe(true);
    expect(render(speaker).playbackEnded).toBe(false);
  });
  test("random enqueue/render/interrupt/EOR sequences conserve bytes and end each response at most once", () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let run = 0; run < 200; run++) {
      const speaker = buffer({ maxBytes: 20000 });
      let accepted = 0;
      let out = 0;
      let flushed = 0;
      let endsSinceEor = 0;
      for (let step = 0; step < 100; step++) {
        const pick = random();
        if (pick < 0.4) {
          const bytes = Math.floor(random() * 3000);
          accepted += bytes - speaker.enqueue(ones(bytes));
        } else if (pick < 0.85) {
          const block = render(speaker);
          out += block.written;
          if (block.playbackEnded) endsSinceEor++;
          expect(endsSinceEor).toBeLessThanOrEqual(1);
        } else if (pick < 0.93) {
          speaker.endOfResponse();
          endsSinceEor = 0;
        } else flushed += speaker.interrupt();
        expect(speaker.buffered).toBeGreaterThanOrEqual(0);
      }
      expect(out + flushed + speaker.buffered).toBe(accepted);
    }
  });
});
