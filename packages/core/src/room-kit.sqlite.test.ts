import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silentLogger } from "@roomkit/spec";
import { MockChannel } from "@roomkit/testing";
import { RoomKit } from "./room-kit.ts";
import { SqliteConversationStore } from "./store/sqlite-store.ts";

const directory = mkdtempSync(join(tmpdir(), "roomkit-kit-sqlite-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

test("a RoomKit on a SQLite file picks up rooms, bindings and the timeline after a restart", async () => {
  const path = join(directory, "kit.db");
  const first = new RoomKit({ logger: silentLogger, store: new SqliteConversationStore({ path }) });
  first.registerChannel(new MockChannel("a"));
  first.registerChannel(new MockChannel("b"));
  await first.createRoom({ roomId: "r1", metadata: { customer: 42 } });
  await first.attachChannel("r1", "a", { participantId: "alice" });
  await first.attachChannel("r1", "b", { access: "read_only" });
  await first.mute("r1", "a");
  await first.unmute("r1", "a");
  const before = await first.sendEvent("r1", "a", { type: "text", body: "before" });
  await first.close();

  const second = new RoomKit({ logger: silentLogger, store: new SqliteConversationStore({ path }) });
  const a = new MockChannel("a");
  const b = new MockChannel("b");
  second.registerChannel(a);
  second.registerChannel(b);
  expect((await second.getRoom("r1")).metadata).toEqual({ customer: 42 });
  expect(await second.getBinding("r1", "b")).toMatchObject({ access: "read_only", muted: false });
  expect((await second.getBinding("r1", "a"))?.participantId).toBe("alice");
  const after = await a.send("r1", "after");
  expect(after.index).toBe(before.index + 1);
  expect(after.source.participantId).toBe("alice");
  expect(b.receivedTexts()).toEqual(["after"]);
  // the context handed to b was loaded from the store: it includes the event from before the restart
  const context = b.callsOf("onEvent")[0]?.context;
  expect(context?.recentEvents.map((event) => event.id)).toContain(before.id);
  const timeline = await second.getTimeline("r1");
  expect(timeline.map((event) => (event.content.type === "system" ? event.content.code : event.content.type))).toEqual([
    "channel_attached",
    "channel_attached",
    "channel_muted",
    "channel_unmuted",
    "text",
    "text",
  ]);
  await second.close();
});

test("every content type (text, audio, system, tool_call) goes through sendEvent and survives a reopen", async () => {
  const path = join(directory, "content.db");
  const kit = new RoomKit({ logger: silentLogger, store: new SqliteConversationStore({ path }) });
  const source = new MockChannel("a");
  const target = new MockChannel("b");
  kit.registerChannel(source);
  kit.registerChannel(target);
  await kit.createRoom({ roomId: "r1" });
  await kit.attachChannel("r1", "a");
  await kit.attachChannel("r1", "b");
  const contents = [
    { type: "text", body: "hello", language: "en" },
    { type: "audio", url: "https://example.test/a.wav", mimeType: "audio/wav", durationMs: 1200, transcript: "hello" },
    { type: "system", code: "note", body: "system note", data: { level: 2 } },
    {
      type: "tool_call",
      toolCallId: "call-1",
      name: "get_weather",
      arguments: { city: "Oslo" },
      result: '{"sunny":true}',
    },
  ] as const;
  for (const content of contents) await kit.sendEvent("r1", "a", content);
  expect(target.received.map((event) => event.content)).toEqual([...contents]);
  await kit.close();

  const reopened = new SqliteConversationStore({ path });
  const stored = (await reopened.listEvents("r1")).filter((event) => event.type === "message");
  expect(stored.map((event) => event.content)).toEqual([...contents]);
  await reopened.close();
});
