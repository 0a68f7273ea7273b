import { describe, expect, test } from "bun:test";
import { InvalidArgumentError } from "../errors/invalid-argument-error.ts";
import { HookResult } from "./hook-result.ts";
import { FAIL_CLOSED_TRIGGERS, HookTrigger } from "./hook-trigger.ts";

describe("HookResult", () => {
  test("factories build the three actions", () => {
    expect(HookResult.allow().action).toBe("allow");
    const blocked = HookResult.block("profanity");
    expect(blocked.action).toBe("block");
    expect(blocked.reason).toBe("profanity");
    const modified = HookResult.modify({ text: "x" }, { note: 1 });
    expect(modified.event).toEqual({ text: "x" });
    expect(modified.metadata).toEqual({ note: 1 });
  });

  test("block needs a reason and modify needs an event", () => {
    expect(() => new HookResult({ action: "block" })).toThrow(InvalidArgumentError);
    expect(() => new HookResult({ action: "modify" })).toThrow(InvalidArgumentError);
  });

  test("ON_REALTIME_TOOL_CALL is the same trigger as ON_TOOL_CALL; transcription is fail-closed", () => {
    expect(HookTrigger.ON_REALTIME_TOOL_CALL).toBe(HookTrigger.ON_TOOL_CALL);
    expect(FAIL_CLOSED_TRIGGERS.has(HookTrigger.ON_TRANSCRIPTION)).toBe(true);
    expect(FAIL_CLOSED_TRIGGERS.has(HookTrigger.ON_TOOL_CALL)).toBe(false);
  });
});
