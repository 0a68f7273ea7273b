import { describe, expect, test } from "bun:test";
import { measureFrameAllocations } from "../test-support/frame-allocations.ts";

// Objects the channel allocates per 20 ms frame, counted with JSC heap statistics over a fixed 2,000 frames (no
// timing). Plain paths: none (bound 0.1 per frame). Resampled paths: the one frame handed to the provider or
// transport, which may keep it (bound 1.1). The control adds one allocation per frame and must read >= 1 more.
const FRAMES = 2000;

describe("channel allocation per frame (fixed frame count, heap object counts)", () => {
  test("plain paths (caller at the provider's rates): no object per frame in or out", async () => {
    const result = await measureFrameAllocations({ resample: false, frames: FRAMES });
    expect(result.inboundBytesPerFrame).toBe(640);
    expect(result.outboundBytesPerFrame).toBe(960);
    expect(result.inboundTotal).toBeLessThanOrEqual(0.1);
    expect(result.outboundTotal).toBeLessThanOrEqual(0.1);
  });

  test("resampled paths (caller at 8 kHz): only the handed-on frame, in and out", async () => {
    const result = await measureFrameAllocations({ resample: true, frames: FRAMES });
    expect(result.inboundBytesPerFrame).toBe(640);
    expect(result.outboundBytesPerFrame).toBe(320);
    expect(result.inboundTotal).toBeLessThanOrEqual(1.1);
    expect(result.outboundTotal).toBeLessThanOrEqual(1.1);
  });

  test("control: one extra allocation per frame is seen on both paths", async () => {
    const kept: object[] = [];
    const result = await measureFrameAllocations({
      resample: false,
      frames: FRAMES,
      extraPerFrame: () => {
        kept.push({ frame: kept.length });
        if (kept.length > 64) kept.length = 0;
      },
    });
    expect(result.inboundTotal).toBeGreaterThanOrEqual(1);
    expect(result.outboundTotal).toBeGreaterThanOrEqual(1);
  });
});
