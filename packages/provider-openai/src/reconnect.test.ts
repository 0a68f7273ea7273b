import { afterEach, describe, expect, test } from "bun:test";
import { VoiceSessionState } from "@roomkit/spec";
import { waitFor } from "@roomkit/testing";
import { connectToFake, type Harness, silence, speak, tone } from "./test-harness.ts";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** A 20 ms frame at 24 kHz whose samples all equal `sequence` (far below the VAD gate: silence to the fake). */
function taggedFrame(sequence: number): Uint8Array {
  const samples = new Int16Array(480).fill(sequence + 1);
  return new Uint8Array(samples.buffer);
}
function tagOf(bytes: Uint8Array): number[] {
  const samples = new Int16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const tags: number[] = [];
  for (let index = 0; index < samples.length; index += 480) tags.push(samples[index]! - 1);
  return tags;
}

const fast = { reconnect: { initialDelayMs: 5, maxDelayMs: 20, maxAttempts: 3 } };

describe("reconnect", () => {
  test("socket killed mid-conversation: same session, config re-sent, history re-seeded, no caller frame lost", async () => {
    harness = await connectToFake({
      fake: { transcripts: ["hello one"] },
      connect: { tools: [{ name: "lookup" }], providerConfig: fast },
    });
    const { fake, provider, session, recorder } = harness;
    speak(provider, session, 300, 600);
    await recorder.waitFor("transcription", (event) => event.role === "user" && event.isFinal);
    await recorder.waitFor("response-end");
    await provider.injectText(session, '[[call:lookup {"id":7}]]');
    const call = await recorder.waitFor("tool-call");
    await recorder.waitFor("response-end", () => true, 2);
    await provider.submitToolResult(session, call.callId, '{"found":true}');
    await recorder.waitFor("transcription", (event) => event.role === "assistant" && event.isFinal, 2);
    await recorder.waitFor("response-end", () => true, 3);

    const firstUpdate = fake.connections[0]!.received.find((entry) => entry.event.type === "session.update")!.event;
    const sentBefore = fake.connections[0]!.appendCount;
    for (let sequence = 0; sequence < 50; sequence++) {
      provider.sendAudio(session, taggedFrame(sequence));
      if (sequence === 25) fake.faults.dropSocket();
      if (sequence % 10 === 0) await Bun.sleep(1);
    }
    const second = await fake.waitForConnection({ index: 1 });
    await waitFor(() => second.appendedAudio.flatMap(tagOf).includes(49), {
      timeoutMs: 10_000,
      label: "the last frame replayed on the new connection",
    });

    expect(session.state).toBe(VoiceSessionState.ACTIVE);
    expect(recorder.of("error").filter((event) => !event.error.recoverable)).toEqual([]);
    expect(provider.getStats(session.id)!.reconnects).toBe(1);
    // The same full session config, first thing on the new connection.
    expect(second.received[0]!.event).toEqual({ ...firstUpdate, event_id: expect.any(String) } as any);
    // History re-seeded as text items, in conversation order.
    const seeded = second.received
      .filter((entry) => entry.event.type === "conversation.item.create")
      .map((entry) => (entry.event as any).item);
    expect(seeded).toEqual([
      { type: "message", role: "user", content: [{ type: "input_text", text: "hello one" }] },
      { type: "message", role: "assistant", content: [{ type: "output_text", text: "You said: hello one" }] },
      { type: "message", role: "user", content: [{ type: "input_text", text: '[[call:lookup {"id":7}]]' }] },
      { type: "function_call", call_id: call.callId, name: "lookup", arguments: '{"id":7}' },
      { type: "function_call_output", call_id: call.callId, output: '{"found":true}' },
      {
        type: "message",
        role: "assistant",
        content: [{ type: "output_text", text: 'The lookup returned {"found":true}' }],
      },
    ]);
    expect(fake.conversation(2).length).toBe(6);
    // Every caller frame reached the fake; the new connection has them all, in order.
    const firstTags = fake.connections[0]!.appendedAudio.slice(sentBefore).flatMap(tagOf);
    const secondTags = second.appendedAudio.flatMap(tagOf);
    const all = new Set([...firstTags, ...secondTags]);
    for (let sequence = 0; sequence < 50; sequence++) expect(all.has(sequence)).toBe(true);
    expect(secondTags).toEqual([...secondTags].sort((a, b) => a - b));
    expect(secondTags.at(-1)).toBe(49);
    // The conversation goes on over the new connection.
    await provider.injectText(session, "still there?");
    await recorder.waitFor("transcription", (event) => event.text === "You said: still there?" && event.isFinal);
  });

  test("a response in flight when the socket dies ends (response-end), the next one works", async () => {
    harness = await connectToFake({ fake: { speed: 1 }, connect: { providerConfig: fast } });
    const { fake, provider, session, recorder } = harness;
    await provider.injectText(session, "a long answer please, with a lot of words in it");
    await recorder.waitFor("audio");
    fake.faults.dropSocket();
    await recorder.waitFor("response-end");
    expect(provider.isResponding(session.id)).toBe(false);
    await fake.waitForConnection({ index: 1 });
    await fake.waitForServerEvent((event, entry) => entry.connectionId === 2 && event.type === "session.updated", {
      includePast: true,
    });
    expect(session.state).toBe(VoiceSessionState.ACTIVE);
  });

  test("a reply cut off by the socket loss is asked for again on the new connection (no silent assistant)", async () => {
    harness = await connectToFake({ fake: { speed: 1 }, connect: { providerConfig: fast } });
    const { fake, provider, session, recorder } = harness;
    await provider.injectText(session, "a long answer please, with a lot of words in it");
    await recorder.waitFor("audio");
    fake.faults.dropSocket();
    await fake.waitForConnection({ index: 1 });
    await fake.waitForServerEvent((event, entry) => entry.connectionId === 2 && event.type === "response.created", {
      includePast: true,
      timeoutMs: 5000,
    });
    const second = fake.connections[1]!.received.map((entry) => entry.event.type);
    expect(second.indexOf("response.create")).toBeGreaterThan(second.lastIndexOf("conversation.item.create"));
    expect(session.state).toBe(VoiceSessionState.ACTIVE);
  });

  test("a caller turn committed but not yet transcribed when the socket dies is re-created as audio, then answered", async () => {
    harness = await connectToFake({
      fake: { speed: 1, transcriptionDelayMs: 10_000 },
      connect: { providerConfig: fast },
    });
    const { fake, provider, session, recorder } = harness;
    speak(provider, session, 300, 600); // 900 ms, all written before the server commits
    await recorder.waitFor("response-start"); // after input_audio_buffer.committed; no transcript yet
    fake.faults.dropSocket();
    await fake.waitForConnection({ index: 1 });
    await fake.waitForServerEvent((event, entry) => entry.connectionId === 2 && event.type === "response.created", {
      includePast: true,
      timeoutMs: 5000,
    });
    const created = fake.connections[1]!.received.filter((entry) => entry.event.type === "conversation.item.create");
    const items = created.map((entry) => (entry.event as any).item);
    expect(items).toHaveLength(1);
    expect(items[0].role).toBe("user");
    expect(items[0].content[0].type).toBe("input_audio");
    expect(Buffer.from(items[0].content[0].audio, "base64").byteLength).toBe(900 * 48);
  });

  test("issue 13.8: an error of type server_error keeps the socket: a recoverable error, no reconnect, the call goes on", async () => {
    harness = await connectToFake({ connect: { providerConfig: fast } });
    const { fake, provider, session, recorder } = harness;
    fake.faults.sendError({ type: "server_error", code: "server_error", message: "The server had an error" });
    const { error } = await recorder.waitFor("error");
    expect([error.code, error.recoverable]).toEqual(["server_error", true]);
    await provider.injectText(session, "still there?");
    await recorder.waitFor("transcription", (event) => event.text === "You said: still there?" && event.isFinal);
    expect(fake.connections.length).toBe(1);
    expect(fake.connections[0]!.closed).toBe(false);
    expect(provider.getStats(session.id)!.reconnects).toBe(0);
    expect(session.state).toBe(VoiceSessionState.ACTIVE);
  });

  test("issue 13.9: session_expired then close 1001 ⇒ one recoverable error, a new connection takes over, no caller frame lost", async () => {
    harness = await connectToFake({ fake: { maxSessionMs: 60 * 60_000 }, connect: { providerConfig: fast } });
    const { fake, provider, session, recorder } = harness;
    for (let sequence = 0; sequence < 40; sequence++) {
      provider.sendAudio(session, taggedFrame(sequence));
      if (sequence === 20) fake.faults.expireSession();
      if (sequence % 10 === 0) await Bun.sleep(1);
    }
    const second = await fake.waitForConnection({ index: 1 });
    await waitFor(() => second.appendedAudio.flatMap(tagOf).includes(39), {
      timeoutMs: 10_000,
      label: "the last frame on the new connection",
    });
    expect(fake.connections[0]!.closeCode).toBe(1001);
    const all = new Set([...fake.connections[0]!.appendedAudio.flatMap(tagOf), ...second.appendedAudio.flatMap(tagOf)]);
    for (let sequence = 0; sequence < 40; sequence++) expect(all.has(sequence)).toBe(true);
    expect(recorder.of("error").map((event) => [event.error.code, event.error.recoverable])).toEqual([
      ["session_expired", true],
    ]);
    expect(provider.getStats(session.id)!.reconnects).toBe(1);
    expect(session.state).toBe(VoiceSessionState.ACTIVE);
  });

  test("issue 13.11: a drop mid-utterance, the replayed audio heard again ⇒ one speech start and one speech end for the turn", async () => {
    harness = await connectToFake({ fake: { transcripts: ["one turn only"] }, connect: { providerConfig: fast } });
    const { fake, provider, session, recorder } = harness;
    for (let ms = 0; ms < 400; ms += 20) provider.sendAudio(session, tone(20));
    await recorder.waitFor("speech-start");
    fake.faults.dropSocket();
    for (let ms = 0; ms < 200; ms += 20) provider.sendAudio(session, tone(20));
    await fake.waitForConnection({ index: 1 });
    for (let ms = 0; ms < 800; ms += 20) provider.sendAudio(session, silence(20));
    await recorder.waitFor("response-end");
    // The new connection heard the replayed speech and announced it again; the caller spoke once.
    expect(fake.connections[1]!.sent.some((entry) => entry.event.type === "input_audio_buffer.speech_started")).toBe(
      true,
    );
    expect(recorder.of("speech-start")).toHaveLength(1);
    expect(recorder.of("speech-end")).toHaveLength(1);
  });

  test("attempts exhausted ⇒ one non-recoverable error, session ENDED, nothing kept", async () => {
    harness = await connectToFake({ connect: { providerConfig: fast } });
    const { fake, provider, session, recorder } = harness;
    fake.faults.rejectUpgrades(10, 500);
    fake.faults.dropSocket();
    const fatal = await recorder.waitFor("error", (event) => !event.error.recoverable);
    expect(fatal.error.code).toBe("connection_closed");
    expect(fatal.error.message).toContain("3 reconnect attempts failed");
    expect(session.state).toBe(VoiceSessionState.ENDED);
    expect(provider.getStats(session.id)).toBeUndefined();
    expect(recorder.of("error")).toHaveLength(1);
  });

  test("providerConfig.reconnect: false ⇒ socket loss (mid-response) is fatal at once; session ended cleanly", async () => {
    harness = await connectToFake({ fake: { speed: 1 }, connect: { providerConfig: { reconnect: false } } });
    const { fake, provider, session, recorder } = harness;
    await provider.injectText(session, "a long answer please, with a lot of words in it");
    await recorder.waitFor("audio");
    fake.faults.close(1011, "internal error");
    const fatal = await recorder.waitFor("error");
    expect(fatal.error.recoverable).toBe(false);
    expect(recorder.of("response-end")).toHaveLength(1);
    expect(session.state).toBe(VoiceSessionState.ENDED);
    expect(provider.isResponding(session.id)).toBe(false);
    expect(fake.connections).toHaveLength(1);
    provider.sendAudio(session, new Uint8Array(960));
    await provider.disconnect(session);
  });
});
