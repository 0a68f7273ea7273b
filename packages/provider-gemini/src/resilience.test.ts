import { afterEach, describe, expect, test } from "bun:test";
import {
  type Clock,
  ProviderAuthenticationError,
  ProviderConnectionError,
  ProviderProtocolError,
  ProviderRateLimitError,
  ProviderSessionExpiredError,
  systemClock,
  VoiceSessionState,
} from "@roomkit/spec";
import { callerAudioFrames, waitFor } from "@roomkit/testing";
import { createSdkLiveConnector, type LiveConnector } from "./live-connector.ts";
import { CONNECT_DEFAULTS, createHarness, type Harness } from "./test-harness.ts";

const TOOLS = [{ name: "get_weather", description: "Weather", parameters: { type: "object", properties: {} } }];
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function open(options: Parameters<typeof createHarness>[0] = {}): Promise<Harness> {
  harness = await createHarness(options);
  return harness;
}

/** A clock whose timers never fire: a reconnect that needed a sleep would hang. */
const noSleepClock: Clock = { now: () => performance.now(), setTimeout: () => 0, clearTimeout: () => {} };

function sendFrames(h: Harness, frames: Uint8Array[]): void {
  for (const frame of frames) {
    h.provider.sendAudio(h.session, frame);
    expect(h.session.state).toBe(VoiceSessionState.ACTIVE);
  }
}

describe("session resumption (goAway and unexpected closes)", () => {
  test("item 87 + §9.1.3: goAway ⇒ resume with the latest handle, no sleep, audio buffered and replayed, session ACTIVE", async () => {
    const h = await open({
      fake: { transcripts: ["my name is Ada"], goAwayLeadMs: 10_000 },
      provider: { clock: noSleepClock },
    });
    h.speak();
    await h.waitFor("response_end");
    const latest = () =>
      h.fake.connections[0]!.sentMessages.filter((m) => m.sessionResumptionUpdate?.resumable).at(-1)!
        .sessionResumptionUpdate!.newHandle!;
    await waitFor(() => h.fake.connections[0]!.sentMessages.filter((m) => m.sessionResumptionUpdate).length === 2);
    await waitFor(() => h.provider.resumptionHandle("s1") === latest());
    const handle = h.provider.resumptionHandle("s1");
    const sentBefore = h.fake.conversations[0]!.audioMessages;
    h.fake.faults.goAway(10_000);
    await h.fake.waitForClientMessage((message) => message.setup !== undefined);
    const during = callerAudioFrames({ durationMs: 200 });
    sendFrames(h, during);
    const second = await h.fake.waitForConnection({ index: 2 });
    expect(second.resumedFrom).toBe(handle);
    await h.fake.waitForClientMessage(() => h.fake.conversations[0]!.audioMessages === sentBefore + during.length, {
      includePast: true,
    });
    await waitFor(() => h.fake.connections[0]!.closed);
    expect(h.fake.conversations.length).toBe(1);
    expect(h.fake.conversations[0]!.history[0]!.text).toBe("my name is Ada");
    const stats = h.provider.sessionStats("s1")!;
    expect(stats.reconnects).toBe(1);
    expect(stats.audioFramesDropped).toBe(0);
    expect(stats.audioFramesBuffered).toBe(during.length);
    expect(h.count("error")).toBe(0);
  });

  test("issue 13.3: goAway ⇒ the old connection is closed before the resume's setup (the fake refuses an overlap)", async () => {
    const h = await open({ fake: { goAwayLeadMs: 10_000 } });
    await waitFor(() => h.provider.resumptionHandle("s1") !== undefined);
    h.fake.faults.goAway(10_000);
    // With the old socket still open the fake would close connection 2 with 1011 (and a third would follow).
    const second = await h.fake.waitForConnection({ index: 2 });
    expect(second.resumedFrom).toBeDefined();
    expect(second.closeCode).toBeUndefined();
    expect(h.fake.connections.length).toBe(2);
    expect(h.count("error")).toBe(0);
  });

  test("goAway during a reply: the turn finishes on the old connection, then the switch", async () => {
    const h = await open({ fake: { pace: 4, transcripts: ["a fairly long question here"], goAwayLeadMs: 10_000 } });
    h.speak();
    await h.waitFor("response_start");
    h.fake.faults.goAway(10_000);
    await h.waitFor("response_end");
    const second = await h.fake.waitForConnection({ index: 2 });
    const old = h.fake.connections[0]!;
    expect(old.sentMessages.some((message) => message.serverContent?.turnComplete)).toBe(true);
    expect(second.resumedFrom).toBeDefined();
    expect(h.count("response_end")).toBe(1);
  });

  test("goAway during a reply: the switch resumes from the handle issued after that turn (the turn is kept)", async () => {
    const h = await open({ fake: { pace: 4, transcripts: ["remember the number 42"], goAwayLeadMs: 10_000 } });
    h.speak();
    await h.waitFor("response_start");
    h.fake.faults.goAway(10_000);
    const second = await h.fake.waitForConnection({ index: 2 });
    const old = h.fake.connections[0]!;
    const turnComplete = old.sentMessages.findIndex((message) => message.serverContent?.turnComplete);
    const afterTurn = old.sentMessages.slice(turnComplete).find((m) => m.sessionResumptionUpdate?.resumable);
    expect(afterTurn).toBeDefined();
    expect(second.resumedFrom).toBe(afterTurn!.sessionResumptionUpdate!.newHandle!);
    expect(h.fake.conversations[0]!.history.map((entry) => entry.text)).toEqual([
      "remember the number 42",
      "You said: remember the number 42",
    ]);
  });

  test("item 89: an unexpected close (1006) ⇒ one reconnect and no error", async () => {
    const h = await open();
    h.fake.faults.dropSocket();
    await h.fake.waitForConnection({ index: 2 });
    await waitFor(() => h.provider.sessionStats("s1")?.reconnects === 1);
    expect(h.count("error")).toBe(0);
    expect(h.session.state).toBe(VoiceSessionState.ACTIVE);
  });

  for (const [code, reason, kind] of [
    [1007, "Request contains an invalid argument.", ProviderProtocolError],
    [1008, "Operation is not implemented, or supported, or enabled.", ProviderProtocolError],
    [1011, "You exceeded your current quota, please check your plan and billing details.", ProviderRateLimitError],
    [1011, "API key expired. Please renew the API key.", ProviderAuthenticationError],
    [1008, "Permission denied: Consumer has been suspended.", ProviderAuthenticationError],
  ] as const) {
    test(`item 89: close ${code} "${reason}" ⇒ ${kind.name} ws_${code}, reason verbatim, not recoverable, ENDED`, async () => {
      const h = await open();
      h.fake.faults.close(code, reason);
      const { error } = await h.waitFor("error");
      expect(error).toBeInstanceOf(kind);
      expect({ code: error.code, message: error.message, recoverable: error.recoverable }).toEqual({
        code: `ws_${code}`,
        message: `Gemini Live closed the connection (code ${code}): ${reason}`,
        recoverable: false,
      });
      expect(h.session.state).toBe(VoiceSessionState.ENDED);
      expect(h.fake.connections.length).toBe(1);
      h.provider.sendAudio(h.session, new Uint8Array(640));
      expect(h.count("error")).toBe(1);
    });
  }

  for (const kind of ["internal", "unavailable", "deadline"] as const) {
    test(`issue 13.1: a transient 1011 (${kind}) ⇒ resumed with the latest handle at once, no error, ACTIVE, no frame lost`, async () => {
      const h = await open({ provider: { clock: noSleepClock } });
      await waitFor(() => h.provider.resumptionHandle("s1") !== undefined);
      const handle = h.provider.resumptionHandle("s1");
      sendFrames(h, callerAudioFrames({ durationMs: 100, silent: true }));
      await waitFor(() => h.fake.connections[0]!.audioMessages === 5);
      h.fake.faults.serverError(kind);
      const second = await h.fake.waitForConnection({ index: 2 });
      expect(second.resumedFrom).toBe(handle);
      await waitFor(() => h.provider.sessionStats("s1")?.reconnects === 1);
      sendFrames(h, callerAudioFrames({ durationMs: 40, silent: true }));
      await waitFor(() => h.fake.conversations[0]!.audioMessages >= 7);
      expect(h.count("error")).toBe(0);
      expect(h.session.state).toBe(VoiceSessionState.ACTIVE);
      expect(h.provider.sessionStats("s1")!.audioFramesDropped).toBe(0);
    });
  }

  test("issue 13.1: a 1011 quota close is fatal at once: one ProviderRateLimitError, no reconnect, ENDED", async () => {
    const h = await open();
    h.fake.faults.serverError("quota");
    const { error } = await h.waitFor("error");
    expect(error).toBeInstanceOf(ProviderRateLimitError);
    expect(error.recoverable).toBe(false);
    await Bun.sleep(50);
    expect(h.fake.connections.length).toBe(1);
    expect(h.count("error")).toBe(1);
    expect(h.session.state).toBe(VoiceSessionState.ENDED);
  });

  test("issue 13.1: a 1011 that comes back on every resumed connection ends the session after the attempts, one fatal error", async () => {
    const h = await open({
      fake: { sessionLimitMs: 100 },
      provider: { maxReconnectAttempts: 3, clock: systemClock },
      connect: { providerConfig: { context_window_compression: false } },
    });
    const { error } = await h.waitFor("error", undefined, 10_000);
    expect(error).toBeInstanceOf(ProviderSessionExpiredError);
    expect(error.code).toBe("ws_1011");
    expect(error.recoverable).toBe(false);
    expect(h.fake.connections.length).toBe(4); // the first, then 3 resumes, each closed by the limit at once
    await Bun.sleep(50);
    expect(h.count("error")).toBe(1);
    expect(h.session.state).toBe(VoiceSessionState.ENDED);
  });

  test("a refused handle (1008) ⇒ a fresh session with a recoverable resumption_lost error", async () => {
    const h = await open({ fake: { goAwayLeadMs: 10_000 } });
    h.fake.faults.expireHandles();
    h.fake.faults.goAway(10_000);
    const fresh = await h.fake.waitForConnection({ index: 2 });
    expect(fresh.resumedFrom).toBeUndefined();
    expect(h.fake.connections[1]!.closeCode).toBe(1008);
    const { error } = await h.waitFor("error");
    expect(error).toBeInstanceOf(ProviderSessionExpiredError);
    expect(error.code).toBe("resumption_lost");
    expect(error.recoverable).toBe(true);
    expect(h.session.state).toBe(VoiceSessionState.ACTIVE);
  });

  for (const code of [1008, 1007] as const) {
    test(`issue 13.2: a handle refused with ${code} ⇒ a fresh session re-seeded with the conversation, the call goes on`, async () => {
      const h = await open({
        fake: { transcripts: ["remember the number seven"], goAwayLeadMs: 10_000, refusedHandleCloseCode: code },
      });
      h.speak();
      await h.waitFor("transcription", (event) => event.role === "assistant" && event.isFinal);
      await h.waitFor("response_end");
      h.fake.faults.expireHandles();
      h.fake.faults.goAway(10_000);
      const fresh = await h.fake.waitForConnection({ index: 2 });
      expect(fresh.resumedFrom).toBeUndefined();
      expect(h.fake.connections[1]!.closeCode).toBe(code);
      const seeded = await h.fake.waitForClientMessage((message, entry) => {
        return entry.connectionId === fresh.id && message.clientContent !== undefined;
      });
      expect(seeded.message.clientContent!.turnComplete).toBe(false);
      const history = h.fake.conversations[1]!.history.map((entry) => `${entry.role}: ${entry.text}`);
      expect(history.slice(0, 2)).toEqual([
        "user: remember the number seven",
        "model: You said: remember the number seven",
      ]);
      expect(history.at(-1)!.startsWith("user: ")).toBe(true); // the seed ends with a user turn
      const errors = h.events.filter((event) => event.type === "error").map((event) => event.error);
      expect(errors.map((error) => [error.code, error.recoverable])).toEqual([["resumption_lost", true]]);
      expect(h.session.state).toBe(VoiceSessionState.ACTIVE);
      h.fake.queueTranscripts("what was the number");
      h.speak();
      await h.waitFor(
        "transcription",
        (event) => event.role === "assistant" && event.isFinal && event.text.includes("what was"),
      );
    });
  }

  test("reconnect attempts exhausted ⇒ max_reconnects, not recoverable", async () => {
    const h = await open({ provider: { maxReconnectAttempts: 2, clock: systemClock } });
    h.fake.faults.rejectSetups(5, 1013, "Try again later.");
    h.fake.faults.dropSocket();
    const { error } = await h.waitFor("error");
    expect(error).toBeInstanceOf(ProviderConnectionError);
    expect(error.code).toBe("max_reconnects");
    expect(error.recoverable).toBe(false);
    expect(h.session.state).toBe(VoiceSessionState.ENDED);
  });

  test("disconnect() during the reconnect back-off stops retrying and leaves no timer behind", async () => {
    const live = new Map<unknown, number>();
    let nextId = 0;
    const countingClock: Clock = {
      now: () => performance.now(),
      setTimeout: (callback, ms) => {
        const id = ++nextId;
        const handle = setTimeout(() => {
          live.delete(id);
          callback();
        }, ms);
        live.set(id, ms);
        return { id, handle };
      },
      clearTimeout: (timer) => {
        const entry = timer as { id: number; handle: ReturnType<typeof setTimeout> } | undefined;
        if (!entry) return;
        clearTimeout(entry.handle);
        live.delete(entry.id);
      },
    };
    const h = await open({ provider: { maxReconnectAttempts: 5, clock: countingClock } });
    h.fake.faults.rejectSetups(5, 1013, "Try again later.");
    h.fake.faults.dropSocket();
    // The first back-off (100 ms with jitter: 50-100 ms) is running.
    await waitFor(() => [...live.values()].some((ms) => ms >= 50 && ms <= 100));
    const connectionsBefore = h.fake.connections.length;
    await h.provider.disconnect(h.session);
    expect(live.size).toBe(0);
    await Bun.sleep(250);
    expect(h.fake.connections.length).toBe(connectionsBefore);
    expect(h.count("error")).toBe(0);
    expect(h.session.state).toBe(VoiceSessionState.ENDED);
  });

  test("items 75-76: a failing send ⇒ exactly one send_audio_failed per cycle, the frame kept and replayed", async () => {
    let failing = true;
    const h = await open({ skipConnect: true });
    const sdk = createSdkLiveConnector({ apiKey: "k", baseUrl: h.fake.baseUrl });
    let connections = 0;
    const connector: LiveConnector = async (request) => {
      const live = await sdk(request);
      connections++;
      if (connections > 1) return live;
      return {
        sendRealtimeInput: (params) => {
          if (failing) throw new Error("socket gone");
          live.sendRealtimeInput(params);
        },
        sendClientContent: (params) => live.sendClientContent(params),
        sendToolResponse: (params) => live.sendToolResponse(params),
        close: () => live.close(),
      };
    };
    const { GeminiLiveProvider } = await import("./gemini-live-provider.ts");
    const provider = new GeminiLiveProvider({ connector, logger: h.logger });
    const errors: string[] = [];
    provider.onError((_session, error) => void errors.push(error.code));
    await provider.connect(h.session, CONNECT_DEFAULTS);
    provider.sendAudio(h.session, new Uint8Array(640).fill(1));
    provider.sendAudio(h.session, new Uint8Array(640).fill(2));
    expect(errors).toEqual(["send_audio_failed"]);
    expect(h.session.state).toBe(VoiceSessionState.ACTIVE);
    failing = false;
    const second = await h.fake.waitForConnection({ index: 2 });
    await h.fake.waitForClientMessage(() => second.audioMessages === 2, { includePast: true });
    expect(errors).toEqual(["send_audio_failed"]);
    await provider.close();
  });
});

describe("tool calls across cancellations and reconnects (§9.1.4)", () => {
  test("toolCallCancellation ⇒ onToolCallCancel; the late result is not sent (the fake would close 1008)", async () => {
    const h = await open({ fake: { transcripts: ["[[call:get_weather]]"] }, connect: { tools: TOOLS } });
    h.speak();
    const call = await h.waitFor("tool_call");
    await h.provider.injectText(h.session, "queued while pending", { silent: true });
    for (const frame of callerAudioFrames({ durationMs: 100 })) h.provider.sendAudio(h.session, frame);
    const cancel = await h.waitFor("tool_call_cancel");
    expect(cancel.callIds).toEqual([call.callId]);
    await h.provider.submitToolResult(h.session, call.callId, '{"late":true}');
    expect(h.provider.sessionStats("s1")!.staleToolResults).toBe(1);
    await h.fake.waitForClientMessage(
      (message) => message.realtimeInput?.text?.includes("queued while pending") === true,
      { includePast: true },
    );
    expect(h.fake.received.some((entry) => entry.message.toolResponse)).toBe(false);
    expect(h.fake.connections[0]!.closed).toBe(false);
  });

  test("a reconnect withdraws pending calls, resets the count, and drops their late results", async () => {
    const h = await open({ fake: { transcripts: ["[[call:get_weather]]"] }, connect: { tools: TOOLS } });
    h.speak();
    const call = await h.waitFor("tool_call");
    h.fake.faults.dropSocket();
    const cancel = await h.waitFor("tool_call_cancel");
    expect(cancel.callIds).toEqual([call.callId]);
    const second = await h.fake.waitForConnection({ index: 2 });
    // The fake sent {resumable:false, newHandle:""} with the tool call: the provider kept the previous handle.
    expect(second.resumedFrom).toBeDefined();
    await h.provider.submitToolResult(h.session, call.callId, "late");
    await h.provider.injectText(h.session, "after reconnect", { silent: true });
    await h.fake.waitForClientMessage((message) => message.realtimeInput?.text?.includes("after reconnect") === true, {
      includePast: true,
    });
    expect(h.fake.received.filter((entry) => entry.connectionId === second.id && entry.message.toolResponse)).toEqual(
      [],
    );
    expect(h.provider.sessionStats("s1")!.staleToolResults).toBe(1);
  });
});

describe("reconfigure (agent handoff)", () => {
  test("keeps the conversation (resumption) and the providerConfig and VAD mode; clears queued injections (item 88)", async () => {
    const h = await open({
      fake: { transcripts: ["[[call:get_weather]]"] },
      connect: {
        serverVad: false,
        tools: TOOLS,
        providerConfig: { language: "fr-FR", silence_duration_ms: 300 },
        systemPrompt: "general",
      },
    });
    await h.provider.injectText(h.session, "[[call:get_weather]]");
    const call = await h.waitFor("tool_call");
    await h.provider.injectText(h.session, "stale queued text");
    // The channel passes serverVad: true on reconfigure; the session's manual-VAD mode is kept all the same.
    await h.provider.reconfigure(h.session, {
      ...CONNECT_DEFAULTS,
      serverVad: true,
      systemPrompt: "You are a billing specialist.",
      voice: "Kore",
    });
    const setup = h.fake.connections[1]!.setup!;
    expect(setup.systemInstruction).toEqual({ parts: [{ text: "You are a billing specialist." }], role: "user" });
    expect(setup.generationConfig?.speechConfig).toEqual({
      voiceConfig: { prebuiltVoiceConfig: { voiceName: "Kore" } },
      languageCode: "fr-FR",
    });
    expect(setup.realtimeInputConfig).toEqual({ automaticActivityDetection: { disabled: true } });
    expect(setup.sessionResumption?.handle).toBeDefined();
    expect(h.fake.conversations.length).toBe(1);
    expect(h.session.state).toBe(VoiceSessionState.ACTIVE);
    await h.provider.submitToolResult(h.session, call.callId, "late");
    await h.provider.injectText(h.session, "fresh text");
    await h.fake.waitForClientMessage((message) => JSON.stringify(message).includes("fresh text"), {
      includePast: true,
    });
    expect(h.fake.received.some((entry) => JSON.stringify(entry.message).includes("stale queued text"))).toBe(false);
  });
});

describe("no caller frame lost", () => {
  test("a dropped socket mid-stream: every frame reaches the fake at least once (replay since the handle)", async () => {
    const h = await open();
    const frameWithId = (id: number) => {
      const frame = new Uint8Array(640);
      new DataView(frame.buffer).setInt16(0, id, true); // one tiny sample: far below the VAD gate
      return frame;
    };
    let next = 0;
    const sendSome = (count: number) => {
      for (let index = 0; index < count; index++) h.provider.sendAudio(h.session, frameWithId(next++));
    };
    sendSome(20);
    await h.fake.waitForClientMessage(() => h.fake.connections[0]!.audioMessages === 20, { includePast: true });
    h.fake.faults.dropSocket();
    sendSome(10); // written to a socket the client does not yet know is dead
    await h.fake.waitForConnection({ index: 2 });
    sendSome(10);
    await waitFor(() => h.fake.connections[1]!.audioMessages >= 20);
    const seen = new Set<number>();
    for (const entry of h.fake.received) {
      const data = entry.message.realtimeInput?.audio?.data;
      if (data) seen.add(Buffer.from(data, "base64").readInt16LE(0));
    }
    for (let id = 0; id < next; id++) expect(seen.has(id)).toBe(true);
    expect(h.provider.sessionStats("s1")!.audioFramesDropped).toBe(0);
  });
});

describe("inbound frame cap (issue 13.12)", () => {
  test("a frame over maxInboundFrameBytes is dropped and counted; one over 4× closes the socket and the session resumes", async () => {
    const h = await open({ provider: { maxInboundFrameBytes: 64 * 1024 } });
    await waitFor(() => h.provider.resumptionHandle("s1") !== undefined);
    const big = (bytes: number) =>
      JSON.stringify({ serverContent: { outputTranscription: { text: "x".repeat(bytes) } } });
    h.fake.faults.sendRaw(big(100 * 1024));
    await waitFor(() => h.provider.sessionStats("s1")!.invalidMessages === 1);
    expect(h.fake.connections[0]!.closed).toBe(false);
    expect(h.count("transcription")).toBe(0);
    h.fake.faults.sendRaw(big(300 * 1024)); // over the socket's 256 KiB maxPayload
    await h.fake.waitForConnection({ index: 2 });
    await waitFor(() => h.provider.sessionStats("s1")?.reconnects === 1);
    expect(h.count("transcription")).toBe(0);
    expect(h.count("error")).toBe(0);
    expect(h.session.state).toBe(VoiceSessionState.ACTIVE);
  });
});

describe("reconfigure guards", () => {
  test("a bad providerConfig on reconfigure throws InvalidArgumentError and leaves the session untouched", async () => {
    const h = await open();
    await expect(
      h.provider.reconfigure(h.session, { ...CONNECT_DEFAULTS, providerConfig: { top_k: -1 } }),
    ).rejects.toThrow(/top_k/);
    expect(h.fake.connections.length).toBe(1);
    expect(h.session.state).toBe(VoiceSessionState.ACTIVE);
    expect(h.count("error")).toBe(0);
  });
});
