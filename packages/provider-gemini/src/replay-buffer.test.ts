import { describe, expect, test } from "bun:test";
import { PreRoll, ReconnectBuffer } from "./replay-buffer.ts";

describe("ReconnectBuffer (§8 item 75)", () => {
  test("keeps copies in order, bounded, evicting the oldest and counting", () => {
    const buffer = new ReconnectBuffer(3);
    const frame = new Uint8Array([1]);
    buffer.push(frame);
    frame[0] = 9;
    buffer.push(new Uint8Array([2]));
    buffer.push("activityEnd");
    buffer.push(new Uint8Array([3]));
    expect(buffer.dropped).toBe(1);
    expect(buffer.drain()).toEqual([new Uint8Array([2]), "activityEnd", new Uint8Array([3])]);
    expect(buffer.size).toBe(0);
  });
});

describe("PreRoll (manual VAD: audio kept before activityStart)", () => {
  test("keeps the latest bytes up to its size, copies, drains oldest first", () => {
    const preRoll = new PreRoll(4);
    const frame = new Uint8Array([1, 1]);
    preRoll.push(frame);
    frame[0] = 9;
    preRoll.push(new Uint8Array([2, 2]));
    preRoll.push(new Uint8Array([3, 3]));
    expect(preRoll.drain()).toEqual([new Uint8Array([2, 2]), new Uint8Array([3, 3])]);
    expect(preRoll.drain()).toEqual([]);
    const none = new PreRoll(0);
    none.push(new Uint8Array([1, 1]));
    expect(none.drain()).toEqual([]);
  });
});
