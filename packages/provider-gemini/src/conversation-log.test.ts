import { describe, expect, test } from "bun:test";
import { ConversationLog, RESEED_CONTINUE_TEXT } from "./conversation-log.ts";
import { SILENT_TEXT_PREFIX } from "./wire/sanitize-text.ts";

describe("ConversationLog (re-seeding a fresh Gemini session)", () => {
  test("joins consecutive texts of a role; the turns end with a user turn; empty text is ignored", () => {
    const log = new ConversationLog();
    expect(log.isEmpty).toBe(true);
    log.add("user", "hello");
    log.add("user", " there ");
    log.add("user", "  ");
    log.add("model", "Hi!");
    expect(log.toContents()).toEqual([
      { role: "user", parts: [{ text: "hello there" }] },
      { role: "model", parts: [{ text: "Hi!" }] },
      { role: "user", parts: [{ text: RESEED_CONTINUE_TEXT }] },
    ]);
    log.add("user", "bye");
    expect(log.toContents().at(-1)).toEqual({ role: "user", parts: [{ text: "bye" }] });
    expect(log.toSilentText().startsWith(SILENT_TEXT_PREFIX)).toBe(true);
    expect(log.toSilentText()).toContain("User: hello there\nAssistant: Hi!\nUser: bye");
  });

  test("bounded by characters: the oldest turns go first, the latest always stays", () => {
    const log = new ConversationLog(10);
    log.add("user", "aaaaaa");
    log.add("model", "bbbbbb");
    log.add("user", "cccccccccccccccc");
    expect(log.toContents()).toEqual([{ role: "user", parts: [{ text: "cccccccccccccccc" }] }]);
  });
});
