import { describe, expect, test } from "bun:test";
import { canSendInboundAudio, canWrite } from "../events/channel-binding.ts";
import { chooseSampleRate } from "../provider/provider-capabilities.ts";
import { createId } from "./ids.ts";
import { safeParseJson } from "./safe-parse-json.ts";

describe("spec helpers", () => {
  test("chooseSampleRate keeps an accepted rate and otherwise picks the next higher one", () => {
    expect(chooseSampleRate(16000, [])).toBe(16000);
    expect(chooseSampleRate(24000, [24000, 8000])).toBe(24000);
    expect(chooseSampleRate(16000, [24000, 8000])).toBe(24000);
    expect(chooseSampleRate(48000, [24000, 8000])).toBe(24000);
    expect(chooseSampleRate(8000, [24000, 8000])).toBe(8000);
  });

  test("canWrite and the inbound audio gate follow the binding rules", () => {
    expect(canWrite({ access: "read_write", muted: false })).toBe(true);
    expect(canWrite({ access: "write_only", muted: false })).toBe(true);
    expect(canWrite({ access: "read_only", muted: false })).toBe(false);
    expect(canWrite({ access: "read_write", muted: true })).toBe(false);
    expect(canSendInboundAudio({ access: "write_only", muted: false })).toBe(true);
    expect(canSendInboundAudio({ access: "none", muted: false })).toBe(false);
    expect(canSendInboundAudio({ access: "read_write", muted: true })).toBe(false);
  });

  test("safeParseJson never throws", () => {
    expect(safeParseJson('{"a":1}')).toEqual({ success: true, value: { a: 1 } });
    const bad = safeParseJson("{nope");
    expect(bad.success).toBe(false);
  });

  test("createId gives 32 hex characters, unique", () => {
    const first = createId();
    expect(first).toMatch(/^[0-9a-f]{32}$/);
    expect(createId()).not.toBe(first);
  });
});
