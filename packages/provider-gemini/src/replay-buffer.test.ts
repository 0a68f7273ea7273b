import { describe, expect, test } from "bun:test";
import { ReconnectBuffer } from "./replay-buffer.ts";

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
