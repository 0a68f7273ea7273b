import { expect, test } from "bun:test";
import { PlaybackTracker } from "./playback-tracker.ts";

test("position sources: device beats report beats wall clock; clamps to audio sent", () => {
  const tracker = new PlaybackTracker();
  expect(tracker.heard(0, false)).toEqual({ ms: 0, source: "none", playing: false });
  tracker.onSent(100, 960, 24000); // 20 ms
  tracker.onSent(101, 960, 24000); // 40 ms sent
  expect(tracker.heard(110, false)).toEqual({ ms: 10, source: "wall_clock", playing: true });
  expect(tracker.heard(500, false)).toEqual({ ms: 40, source: "wall_clock", playing: false });
  tracker.onPosition({ playedMs: 25, source: "pacer" });
  expect(tracker.heard(500, false)).toEqual({ ms: 25, source: "pacer", playing: true });
  tracker.onPosition({ playedMs: Number.NaN, source: "client" });
  expect(tracker.heard(500, false).source).toBe("pacer");
  tracker.onPlayed(new Uint8Array(480), 24000, false);
  expect(tracker.heard(500, true)).toEqual({ ms: 0, source: "device", playing: false });
  tracker.startResponse();
  expect(tracker.heard(600, false)).toEqual({ ms: 0, source: "none", playing: false });
});
