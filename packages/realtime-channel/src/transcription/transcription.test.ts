import { afterEach, describe, expect, test } from "bun:test";
import {
  HookResult,
  HookTrigger,
  type RealtimeTranscriptionEvent,
  type RoomEvent,
  VoiceSessionState,
} from "@roomkit/spec";
import { settle, waitFor } from "@roomkit/testing";
import { countContextBuilds, createHarness, type Harness } from "../test-support/harness.ts";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function texts(h: Harness): Promise<RoomEvent[]> {
  const timeline = await h.kit.getTimeline(h.roomId);
  return timeline.filter((event) => event.content.type === "text");
}

describe("transcriptions (§8.36–41)", () => {
  test("a final user transcription is stored once with role, source and the AI provider's name (§8.36, fix)", async () => {
    harness = await createHarness();
    const session = await harness.start();
    await harness.provider.simulateTranscription(session, "Hello", { role: "user", isFinal: true });
    await waitFor(() => harness!.transport.messagesOfType("transcription").length === 1);
    await settle(5);
    const stored = await texts(harness);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.content).toEqual({ type: "text", body: "Hello" });
    expect(stored[0]!.metadata).toMatchObject({ role: "user", source: "realtime_voice", voice_session_id: session.id });
    expect(stored[0]!.source.participantId).toBe("user-1");
    expect(stored[0]!.source.provider).toBe("MockRealtimeProvider");
    expect(stored[0]!.source.provider).not.toBe(harness.transport.name);
  });

  test("a partial is not stored; the client gets exactly one transcription message for it (§8.37)", async () => {
    harness = await createHarness();
    const session = await harness.start();
    await harness.provider.simulateTranscription(session, "Hel", { role: "assistant", isFinal: false });
    await settle(5);
    expect(harness.transport.messagesOfType("transcription")).toEqual([
      { type: "transcription", text: "Hel", role: "assistant", is_final: false },
    ]);
    expect(await texts(harness)).toHaveLength(0);
  });

  test("a final arriving after the channel was detached is dropped with DEBUG, no ERROR (§8.38)", async () => {
    harness = await createHarness();
    const session = await harness.start();
    await harness.kit.detachChannel(harness.roomId, "rt-voice");
    await harness.provider.simulateTranscription(session, "late", { role: "user" });
    await settle(10);
    expect(harness.logger.entries.some((entry) => entry.level === "error")).toBe(false);
    expect(harness.logger.entries.some((entry) => entry.level === "debug" && entry.message.includes("detached"))).toBe(
      true,
    );
  });

  test("a blocking ON_TRANSCRIPTION hook prevents storage and the client message; a selective hook stores only allowed text (§8.39)", async () => {
    harness = await createHarness();
    harness.kit.hook(HookTrigger.ON_TRANSCRIPTION, (event: RealtimeTranscriptionEvent) =>
      event.text.includes("secret") ? HookResult.block("pii") : HookResult.allow(),
    );
    const session = await harness.start();
    await harness.provider.simulateTranscription(session, "my secret is 42", { role: "user" });
    await harness.provider.simulateTranscription(session, "fine text", { role: "user" });
    await waitFor(() => harness!.transport.messagesOfType("transcription").length === 1);
    await settle(5);
    expect((await texts(harness)).map((event) => (event.content as { body: string }).body)).toEqual(["fine text"]);
    expect(harness.transport.messagesOfType("transcription").map((message) => message.text)).toEqual(["fine text"]);
  });

  test("modify replaces the text everywhere; a throwing hook blocks (fail-closed)", async () => {
    harness = await createHarness();
    harness.kit.hook(HookTrigger.ON_TRANSCRIPTION, (event: RealtimeTranscriptionEvent) => {
      if (event.text === "boom") throw new Error("hook crashed");
      return HookResult.modify({ ...event, text: event.text.toUpperCase() });
    });
    const session = await harness.start();
    await harness.provider.simulateTranscription(session, "boom", { role: "assistant" });
    await harness.provider.simulateTranscription(session, "quiet", { role: "assistant" });
    await waitFor(() => harness!.transport.messagesOfType("transcription").length === 1);
    await settle(5);
    expect(harness.transport.messagesOfType("transcription")[0]!.text).toBe("QUIET");
    expect((await texts(harness)).map((event) => (event.content as { body: string }).body)).toEqual(["QUIET"]);
  });

  test("partials build no context without hooks; ON_PARTIAL_TRANSCRIPTION gets the text when registered (§8.40)", async () => {
    harness = await createHarness();
    const contexts = countContextBuilds(harness.kit);
    const session = await harness.start();
    await harness.provider.simulateTranscription(session, "par", { isFinal: false });
    await settle(5);
    expect(contexts()).toBe(0);
    const seen: string[] = [];
    harness.kit.hook(HookTrigger.ON_PARTIAL_TRANSCRIPTION, (event: { text: string }) => void seen.push(event.text), {
      execution: "async",
    });
    await harness.provider.simulateTranscription(session, "tial", { isFinal: false });
    await waitFor(() => seen.length === 1);
    expect(seen).toEqual(["tial"]);
  });

  test("a partial and its final are processed in arrival order even when the final's hook is slow (§8.41)", async () => {
    harness = await createHarness();
    const order: string[] = [];
    harness.kit.hook(
      HookTrigger.ON_PARTIAL_TRANSCRIPTION,
      (event: { text: string }) => void order.push(`partial:${event.text}`),
      { execution: "async" },
    );
    harness.kit.hook(HookTrigger.ON_TRANSCRIPTION, async (event: RealtimeTranscriptionEvent) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      order.push(`final:${event.text}`);
      return HookResult.allow();
    });
    const session = await harness.start();
    await harness.provider.simulateTranscription(session, "a", { role: "user", isFinal: false });
    await harness.provider.simulateTranscription(session, "a b", { role: "user", isFinal: true });
    await harness.provider.simulateTranscription(session, "c", { role: "user", isFinal: false });
    await waitFor(() => harness!.transport.messagesOfType("transcription").length === 3);
    expect(harness.transport.messagesOfType("transcription").map((message) => message.text)).toEqual(["a", "a b", "c"]);
    await waitFor(() => order.length === 3);
    expect(order.indexOf("partial:a")).toBeLessThan(order.indexOf("final:a b"));
  });

  test("was_barge_in is true on the user final after a barge-in", async () => {
    harness = await createHarness();
    const seen: boolean[] = [];
    harness.kit.hook(HookTrigger.ON_TRANSCRIPTION, (event: RealtimeTranscriptionEvent) => {
      if (event.role === "user") seen.push(event.wasBargeIn);
      return HookResult.allow();
    });
    const session = await harness.start();
    await harness.provider.simulateResponseStart(session);
    await harness.provider.simulateAudio(session, new Uint8Array(960).fill(1));
    await harness.provider.simulateSpeechStart(session);
    await harness.provider.simulateTranscription(session, "stop", { role: "user" });
    await harness.provider.simulateTranscription(session, "again", { role: "user" });
    await waitFor(() => seen.length === 2);
    expect(seen).toEqual([true, false]);
  });
});

describe("storage options", () => {
  test("assistant finals are stored without a participant; emitTranscriptionEvents=false stores nothing but still tells the client", async () => {
    harness = await createHarness();
    const session = await harness.start();
    await harness.provider.simulateTranscription(session, "Hi, how can I help?", { role: "assistant" });
    await harness.provider.simulateTranscription(session, "   ", { role: "assistant" });
    await waitFor(() => harness!.transport.messagesOfType("transcription").length === 2);
    await settle(5);
    const stored = await texts(harness);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.source.participantId).toBeUndefined();
    expect(stored[0]!.metadata.role).toBe("assistant");
    await harness.close();

    harness = await createHarness({ channel: { emitTranscriptionEvents: false } });
    const quiet = await harness.start();
    await harness.provider.simulateTranscription(quiet, "not stored", { role: "user" });
    await waitFor(() => harness!.transport.messagesOfType("transcription").length === 1);
    await settle(5);
    expect(await texts(harness)).toHaveLength(0);
  });
});

describe("provider errors (§8.45, 46)", () => {
  test("ON_ERROR gets metadata error, error_type, error_category, source channel and room (§8.45)", async () => {
    harness = await createHarness();
    const errors: RoomEvent[] = [];
    harness.kit.hook(HookTrigger.ON_ERROR, (event: RoomEvent) => void errors.push(event), { execution: "async" });
    const session = await harness.start();
    await harness.provider.simulateError(session, "rate_limited", "slow down");
    await waitFor(() => errors.length === 1);
    expect(errors[0]!.metadata).toMatchObject({
      error: "slow down",
      error_type: "rate_limited",
      error_category: "realtime_provider",
    });
    expect(errors[0]!.source.channelId).toBe("rt-voice");
    expect(errors[0]!.roomId).toBe(harness.roomId);
    expect(session.state).toBe(VoiceSessionState.ACTIVE);
  });

  test("a fatal error (recoverable: false) ends the session and disconnects the transport once; recoverable keeps it (§8.46)", async () => {
    harness = await createHarness();
    const kept = await harness.start("a");
    const lost = await harness.start("b");
    await harness.provider.simulateError(kept, "server_busy", "retry later", { recoverable: true });
    await harness.provider.simulateError(lost, "connection_closed", "socket closed", { recoverable: false });
    await waitFor(() => lost.state === VoiceSessionState.ENDED);
    await settle(5);
    expect(kept.state).toBe(VoiceSessionState.ACTIVE);
    expect(harness.transport.callsOf("disconnect").map((call) => call.args[0].id)).toEqual([lost.id]);
  });
});
