// Issue 19 fault matrix, transport-ws × both providers (the cells no other test covers: the providers' e2e tests use
// MockRealtimeTransport, this package's channel tests a mock provider). Each cell runs a real caller socket (`ws`
// client ⇄ Bun.serve + adapter ⇄ WebSocketRealtimeTransport) through RoomKit + RealtimeVoiceChannel to the real provider
// against its protocol fake, and counts: caller frames sent vs received by the fake, stored transcripts (no loss, no
// duplicate, in order), tool results per call id, sessions, live timers and sockets left behind. Cells append their
// counts to $RELIABILITY_REPORT when set (scripts/reliability-table.ts writes docs/reliability.md from them).
import { afterEach, describe, expect, test } from "bun:test";
import { type ConversationStore, MemoryConversationStore, type NewRoomEvent, RoomKit } from "@roomkit/core";
import { GeminiLiveProvider } from "@roomkit/provider-gemini";
import { OpenAIRealtimeProvider } from "@roomkit/provider-openai";
import { RealtimeVoiceChannel } from "@roomkit/realtime-channel";
import {
  createRecordingLogger,
  type RecordingLogger,
  type RoomEvent,
  silentLogger,
  StoreError,
  type VoiceSession,
} from "@roomkit/spec";
import {
  callerAudioFrames,
  createGeminiLiveFake,
  createOpenAIRealtimeFake,
  defaultOpenAIBrain,
  reportReliabilityRow,
  storedTexts,
  transcriptRepeats,
  waitFor,
} from "@roomkit/testing";
import { WebSocket } from "ws";
import { createBunWebSocketAdapter } from "./adapters/bun-adapter.ts";
import { type TimerTracker, trackTimers as trackGlobalTimers } from "./test-support/timer-tracker.ts";
import { WebSocketRealtimeTransport } from "./websocket-realtime-transport.ts";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

const until = (label: string, condition: () => boolean | Promise<boolean>) =>
  waitFor(condition, { label, timeoutMs: 15_000, intervalMs: 10 });

/** Timers the flow creates, released when the test ends. */
function trackTimers(): TimerTracker {
  const tracker = trackGlobalTimers();
  cleanups.push(() => tracker.restore());
  return tracker;
}

type ProviderKind = "openai" | "gemini";

const TOOLS = [
  {
    type: "function" as const,
    name: "get_weather",
    description: "Weather for a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
];

interface CallerClient {
  socket: WebSocket;
  texts: Array<{ type: string; [key: string]: unknown }>;
  audioBytes: number;
  framesSent: number;
  bytesSent: number;
  closed: boolean;
}

/** A fake provider, the real provider, transport-ws on Bun.serve, a channel in a RoomKit, and a connected caller. */
async function callStack(
  kind: ProviderKind,
  options: {
    store?: ConversationStore;
    toolHandler?: (session: VoiceSession, name: string, args: Record<string, unknown>) => Promise<unknown>;
  } = {},
) {
  const timers = trackTimers();
  // OpenAI takes 24 kHz PCM as the caller sends it (bytes compare 1:1); Gemini takes 16 kHz (frames compare 1:1).
  const inputSampleRate = kind === "openai" ? 24000 : 16000;
  // A tool result is acknowledged briefly (the default brain reads the whole output aloud).
  const openai =
    kind === "openai"
      ? await createOpenAIRealtimeFake({
          speed: 2,
          brain: (turn) => (turn.kind === "tool_result" ? { say: "Done." } : defaultOpenAIBrain(turn)),
        })
      : undefined;
  const gemini = kind === "gemini" ? await createGeminiLiveFake({ pace: 4 }) : undefined;
  const provider =
    kind === "openai"
      ? new OpenAIRealtimeProvider({ apiKey: "test-key", baseUrl: openai!.baseUrl, logger: silentLogger })
      : new GeminiLiveProvider({ apiKey: "test-key", baseUrl: gemini!.baseUrl, logger: silentLogger });
  const kit = new RoomKit({ store: options.store ?? new MemoryConversationStore(), logger: silentLogger });
  const transport = new WebSocketRealtimeTransport({ audioFormat: "binary", logger: silentLogger });
  const channelLogger: RecordingLogger = createRecordingLogger();
  const channel = new RealtimeVoiceChannel("voice", {
    provider,
    transport,
    tools: TOOLS,
    inputSampleRate,
    outputSampleRate: 24000,
    toolHandler: options.toolHandler,
    providerConfig: kind === "openai" ? { reconnect: false } : undefined,
    logger: channelLogger,
  });
  kit.registerChannel(channel);
  await kit.createRoom({ roomId: "room" });
  await kit.attachChannel("room", "voice");
  const sessions: VoiceSession[] = [];
  const adapter = createBunWebSocketAdapter({
    logger: silentLogger,
    onConnection: async (connection) => {
      sessions.push(await channel.startSession("room", "caller", { connection }));
    },
  });
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: (request, bunServer) =>
      adapter.upgrade(request, bunServer) ? undefined : new Response("no", { status: 400 }),
    websocket: adapter.websocket,
  });
  let stopped = false;
  const stopAll = async () => {
    if (stopped) return;
    stopped = true;
    await kit.close();
    await transport.close();
    server.stop(true);
    await openai?.close();
    await gemini?.close();
  };
  cleanups.push(stopAll);

  const socket = new WebSocket(`ws://127.0.0.1:${server.port}/call`);
  const client: CallerClient = { socket, texts: [], audioBytes: 0, framesSent: 0, bytesSent: 0, closed: false };
  socket.on("message", (data, isBinary) => {
    if (isBinary) client.audioBytes += (data as Buffer).byteLength;
    else client.texts.push(JSON.parse(String(data)));
  });
  socket.on("close", () => {
    client.closed = true;
  });
  socket.on("error", () => {});
  await until("session started", () => client.texts.some((message) => message.type === "session_started"));
  const session = sessions[0]!;

  const speak = async (durationMs: number, silent = false) => {
    for (const frame of callerAudioFrames({ durationMs, sampleRate: inputSampleRate, silent })) {
      socket.send(frame);
      client.framesSent++;
      client.bytesSent += frame.byteLength;
      await Bun.sleep(0);
    }
  };
  /** One caller turn: speech then silence (server VAD ends the turn). */
  const turn = async () => {
    await speak(400);
    await speak(700, true);
  };
  /** Caller audio the fake received: bytes (OpenAI) or frames (Gemini), to compare with what the caller sent. */
  const fakeReceived = () =>
    kind === "openai"
      ? openai!.connections.reduce((sum, info) => sum + info.appendedBytes, 0)
      : gemini!.connections.reduce((sum, info) => sum + info.audioMessages, 0);
  const callerSent = () => (kind === "openai" ? client.bytesSent : client.framesSent);
  const queueTranscripts = (...texts: string[]) =>
    kind === "openai" ? openai!.queueTranscripts(...texts) : gemini!.queueTranscripts(...texts);
  const responding = () =>
    kind === "openai" ? openai!.isResponding() : gemini!.connectionState()?.generating === true;
  const providerSocketsOpen = () =>
    kind === "openai"
      ? openai!.connections.filter((info) => !info.closed).length
      : gemini!.connections.filter((info) => !info.closed).length;
  /** Tool results the fake received, by call id. */
  const toolResults = (): Map<string, string[]> => {
    const results = new Map<string, string[]>();
    const add = (id: string, output: string) => results.set(id, [...(results.get(id) ?? []), output]);
    if (kind === "openai") {
      for (const entry of openai!.received) {
        const item = (entry.event as { item?: { type?: string; call_id?: string; output?: string } }).item;
        if (item?.type === "function_call_output") add(item.call_id!, item.output!);
      }
    } else {
      for (const entry of gemini!.received) {
        for (const response of entry.message.toolResponse?.functionResponses ?? []) {
          add(response.id!, JSON.stringify(response.response));
        }
      }
    }
    return results;
  };
  const stored = async (): Promise<RoomEvent[]> => kit.getTimeline("room", { limit: 500 });
  const texts = storedTexts;

  return {
    kit,
    channel,
    transport,
    provider,
    session,
    client,
    channelLogger,
    timers,
    speak,
    turn,
    fakeReceived,
    callerSent,
    queueTranscripts,
    responding,
    providerSocketsOpen,
    toolResults,
    stored,
    texts,
    stopAll,
  };
}

/**
 * After everything is closed, every timer created during the call is released and no provider socket is open. `ws`
 * keeps a close-handshake timer (30 s) until the peer answers the close frame: waiting (15 s at most) lets the
 * handshake finish, while a leaked timer or socket still fails.
 */
async function expectNothingLeft(call: Awaited<ReturnType<typeof callStack>>): Promise<number> {
  await call.stopAll();
  await until("every timer released", () => call.timers.live.size === 0);
  call.timers.restore();
  expect(call.timers.live.size).toBe(0);
  expect(call.providerSocketsOpen()).toBe(0);
  expect(call.channel.sessionCount).toBe(0);
  expect(call.transport.sessionCount).toBe(0);
  return call.timers.live.size + call.providerSocketsOpen() + call.channel.sessionCount + call.transport.sessionCount;
}

/** What a cell counted before the stack closes (the store is closed with it). */
async function counted(call: Awaited<ReturnType<typeof callStack>>, kind: ProviderKind) {
  const events = await call.stored();
  return {
    framesSent: call.client.framesSent,
    // OpenAI's fake counts appended bytes (24 kHz PCM16: 960 per 20 ms frame), Gemini's the audio messages.
    framesReceived: kind === "openai" ? call.fakeReceived() / 960 : call.fakeReceived(),
    transcriptsStored: events.filter((event) => event.content.type === "text").length,
  };
}

const report = (row: Record<string, unknown>) => reportReliabilityRow({ transport: "ws", ...row });

/** Every stored event's index is one more than the previous one, and no (role, text) repeats; returns the repeats. */
function expectOrderedWithoutDuplicates(events: RoomEvent[]): number {
  const repeats = transcriptRepeats(events);
  expect(repeats).toBe(0);
  return repeats;
}

describe.each(["openai", "gemini"] as ProviderKind[])("transport-ws × %s", (kind) => {
  test("the caller vanishes mid-response (TCP gone, no close frame): the session ends once, nothing is left", async () => {
    const call = await callStack(kind);
    call.queueTranscripts("hello there", "please tell me a very long story about the sea and the ships and the wind");
    await call.turn();
    await until("first reply stored", async () => call.texts(await call.stored(), "assistant").length === 1);
    await call.turn();
    await until("the long reply streams to the caller", () => call.responding() && call.client.audioBytes > 0);
    await until("every caller frame reached the provider", () => call.fakeReceived() === call.callerSent());
    // Gemini sends some input transcriptions only after the reply began (the fake does it on every second turn), and
    // this hang-up comes mid-reply: the caller's words heard so far are stored as their final, not dropped.
    expect(call.responding()).toBe(true);

    call.client.socket.terminate();
    await until("session ended", () => call.channel.sessionCount === 0);
    await until("provider socket closed", () => call.providerSocketsOpen() === 0);

    expect(call.fakeReceived()).toBe(call.callerSent());
    expect(call.transport.sessionCount).toBe(0);
    expect(call.transport.stats.clientDisconnects).toBe(1);
    const events = await call.stored();
    expect(call.texts(events, "user")).toEqual([
      "hello there",
      "please tell me a very long story about the sea and the ships and the wind",
    ]);
    expect(call.texts(events, "assistant")[0]).toBe("You said: hello there");
    const duplicates = expectOrderedWithoutDuplicates(events);
    const counts = await counted(call, kind);
    const leftovers = await expectNothingLeft(call);
    report({
      provider: kind,
      fault: "caller vanishes mid-response",
      ...counts,
      duplicates,
      toolResults: null,
      leftovers,
    });
  }, 40_000);

  test("the tool handler returns 1 MB: exactly one bounded result per call id, the call goes on", async () => {
    const handled: string[] = [];
    const call = await callStack(kind, {
      toolHandler: async (_session, name) => {
        handled.push(name);
        return { report: "x".repeat(1_000_000) };
      },
    });
    call.queueTranscripts('weather please [[call:get_weather {"city":"Paris"}]]', "thanks");
    await call.turn();
    await until("tool result sent", () => call.toolResults().size === 1);
    await until("idle after the tool turn", () => !call.responding());
    await call.turn();
    await until("next turn stored", async () => call.texts(await call.stored(), "user").includes("thanks"));
    await until("every caller frame reached the provider", () => call.fakeReceived() === call.callerSent());

    expect(handled).toEqual(["get_weather"]);
    const results = call.toolResults();
    expect([...results.values()].map((outputs) => outputs.length)).toEqual([1]);
    const [output] = [...results.values()][0]!;
    expect(output!.length).toBeLessThan(20_000);
    expect(call.session.state).toBe("active");
    const duplicates = expectOrderedWithoutDuplicates(await call.stored());
    const counts = await counted(call, kind);
    const leftovers = await expectNothingLeft(call);
    const outputs = [...results.values()].reduce((sum, list) => sum + list.length, 0);
    report({
      provider: kind,
      fault: "tool returns 1 MB",
      ...counts,
      duplicates,
      toolResults: `${outputs} for ${results.size} call id`,
      leftovers,
    });
  }, 40_000);

  test("the store fails one transcript write: reported, the caller still got it, later turns are stored", async () => {
    let failures = 0;
    class FailingStore extends MemoryConversationStore {
      override appendEvent(event: NewRoomEvent): Promise<RoomEvent> {
        if ((event.content as { body?: string }).body === "first words" && failures === 0) {
          failures++;
          return Promise.reject(new StoreError({ message: "disk full", code: "store_error", recoverable: false }));
        }
        return super.appendEvent(event);
      }
    }
    const call = await callStack(kind, { store: new FailingStore() });
    call.queueTranscripts("first words", "second words");
    await call.turn();
    await until("first reply stored", async () => call.texts(await call.stored(), "assistant").length === 1);
    await until("idle", () => !call.responding());
    await call.turn();
    await until("second turn stored", async () => call.texts(await call.stored(), "user").includes("second words"));
    await until("every caller frame reached the provider", () => call.fakeReceived() === call.callerSent());
    const userFinals = () =>
      call.client.texts
        .filter((message) => message.type === "transcription" && message.is_final && message.role === "user")
        .map((message) => message.text);
    await until("the caller got both finals", () => userFinals().length === 2);

    expect(failures).toBe(1);
    const reported = call.channelLogger.entries.filter((entry) => entry.message === "Storing transcription failed");
    expect(reported.length).toBe(1);
    expect(reported[0]!.details?.error).toBeInstanceOf(StoreError);
    expect(userFinals()).toEqual(["first words", "second words"]);
    const events = await call.stored();
    expect(call.texts(events, "user")).toEqual(["second words"]);
    expect(call.session.state).toBe("active");
    const duplicates = expectOrderedWithoutDuplicates(events);
    const counts = await counted(call, kind);
    const leftovers = await expectNothingLeft(call);
    report({ provider: kind, fault: "store fails a write", ...counts, duplicates, toolResults: null, leftovers });
  }, 40_000);
});
