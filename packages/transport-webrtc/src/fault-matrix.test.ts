// Issue 19 fault matrix, transport-webrtc × OpenAI: a werift client peer (DTLS/SRTP/SCTP on 127.0.0.1) through the
// signalling route ⇒ FastRTCRealtimeTransport ⇒ RealtimeVoiceChannel in a RoomKit ⇒ OpenAIRealtimeProvider ⇒ the
// OpenAI Realtime fake. Each cell counts: caller frames sent vs caller audio received by the fake (0 lost), stored
// transcripts (in order, no duplicate), and what is left after close: sessions, peers, transport timers, provider and
// UDP sockets (0). Cells append their counts to $RELIABILITY_REPORT when set (scripts/reliability-table.ts).
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { type ConversationStore, MemoryConversationStore, type NewRoomEvent, RoomKit } from "@roomkit/core";
import { OpenAIRealtimeProvider } from "@roomkit/provider-openai";
import { RealtimeVoiceChannel } from "@roomkit/realtime-channel";
import {
  createRecordingLogger,
  type RecordingLogger,
  type RoomEvent,
  StoreError,
  silentLogger,
  type VoiceSession,
} from "@roomkit/spec";
import {
  callerAudioFrames,
  countingClock,
  createOpenAIRealtimeFake,
  reportReliabilityRow,
  storedTexts,
  transcriptRepeats,
  waitFor,
} from "@roomkit/testing";
import { FastRTCRealtimeTransport } from "./fastrtc-realtime-transport.ts";
import { createFastRTCOfferHandler } from "./signalling/offer-handler.ts";
import { openUdpSockets } from "./test-support/udp-sockets.ts";
import { LOOPBACK_ICE, WeriftTestClient } from "./test-support/werift-client.ts";

const cleanups: Array<() => Promise<void> | void> = [];
let udpBefore = 0;
beforeEach(() => {
  udpBefore = openUdpSockets();
});
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

const until = (label: string, condition: () => boolean | Promise<boolean>) =>
  waitFor(condition, { label, timeoutMs: 20_000, intervalMs: 10 });

/** 20 ms of PCM16 at 24 kHz: the transport delivers and OpenAI takes this rate, so bytes compare 1:1. */
const RATE = 24000;
const FRAME_BYTES = (RATE / 50) * 2;

async function callStack(options: { store?: ConversationStore } = {}) {
  const openai = await createOpenAIRealtimeFake({ speed: 2 });
  const provider = new OpenAIRealtimeProvider({ apiKey: "test-key", baseUrl: openai.baseUrl, logger: silentLogger });
  const clock = countingClock();
  const transport = new FastRTCRealtimeTransport({
    ...LOOPBACK_ICE,
    inputSampleRate: RATE,
    outputSampleRate: RATE,
    clock,
    logger: silentLogger,
  });
  const handler = createFastRTCOfferHandler(transport, { path: "/rtc", concurrencyLimit: 2 });
  const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: handler });
  const kit = new RoomKit({ store: options.store ?? new MemoryConversationStore(), logger: silentLogger });
  const channelLogger: RecordingLogger = createRecordingLogger();
  const channel = new RealtimeVoiceChannel("voice", {
    provider,
    transport,
    inputSampleRate: RATE,
    outputSampleRate: RATE,
    providerConfig: { reconnect: false },
    logger: channelLogger,
  });
  kit.registerChannel(channel);
  await kit.createRoom({ roomId: "room" });
  await kit.attachChannel("room", "voice");
  const sessions: VoiceSession[] = [];
  transport.onClientConnected(async (webrtcId) => {
    sessions.push(await channel.startSession("room", "caller", { connection: webrtcId }));
  });
  const client = new WeriftTestClient(`http://127.0.0.1:${server.port}/rtc/webrtc/offer`, { sampleRate: RATE });
  let stopped = false;
  const stopAll = async () => {
    if (stopped) return;
    stopped = true;
    await client.close();
    await kit.close();
    await transport.close();
    server.stop(true);
    await openai.close();
  };
  cleanups.push(stopAll);
  expect((await client.connect()).status).toBe(200);
  await until("session_started on the DataChannel", () =>
    client.controlMessages().some((message) => message.type === "session_started"),
  );
  const session = sessions[0]!;
  let framesSent = 0;
  const speak = async (durationMs: number, silent = false) => {
    for (const frame of callerAudioFrames({ durationMs, sampleRate: RATE, silent })) {
      client.sendPcm(frame);
      framesSent++;
      await Bun.sleep(1);
    }
  };
  const turn = async () => {
    await speak(400);
    await speak(700, true);
  };
  const fakeReceivedFrames = () => openai.connections.reduce((sum, info) => sum + info.appendedBytes, 0) / FRAME_BYTES;
  const stored = async (): Promise<RoomEvent[]> => kit.getTimeline("room", { limit: 500 });
  return {
    openai,
    kit,
    channel,
    transport,
    client,
    clock,
    session,
    channelLogger,
    turn,
    framesSent: () => framesSent,
    fakeReceivedFrames,
    stored,
    stopAll,
  };
}

/** After everything is closed: no session, peer, transport timer, provider socket or UDP socket is left. */
async function leftovers(call: Awaited<ReturnType<typeof callStack>>): Promise<number> {
  await call.stopAll();
  await until("transport timers released", () => call.clock.live.size === 0);
  await until("UDP sockets released", () => openUdpSockets() <= udpBefore);
  const left =
    call.channel.sessionCount +
    call.transport.sessionCount +
    call.transport.peerCount +
    call.clock.live.size +
    call.openai.connections.filter((info) => !info.closed).length +
    Math.max(0, openUdpSockets() - udpBefore);
  expect(left).toBe(0);
  return left;
}

const report = (row: Record<string, unknown>) =>
  reportReliabilityRow({ transport: "webrtc", provider: "openai", ...row });

describe("transport-webrtc × openai", () => {
  test("the caller vanishes mid-response (the peer closes): the session ends once, every frame arrived, nothing is left", async () => {
    const call = await callStack();
    call.openai.queueTranscripts("hello there", "please tell me a very long story about the sea and the ships");
    await call.turn();
    await until("first reply stored", async () => storedTexts(await call.stored(), "assistant").length === 1);
    await call.turn();
    await until(
      "the long reply streams to the caller",
      () => call.openai.isResponding() && call.client.keptDataChannelBytes > 0,
    );
    await until("every caller frame reached the provider", () => call.fakeReceivedFrames() === call.framesSent());
    expect(call.openai.isResponding()).toBe(true);

    await call.client.close();
    await until("session ended", () => call.channel.sessionCount === 0);
    await until("provider socket closed", () => call.openai.connections.every((info) => info.closed));

    expect(call.fakeReceivedFrames()).toBe(call.framesSent());
    expect(call.transport.stats.clientDisconnects).toBe(1);
    const events = await call.stored();
    expect(storedTexts(events, "user")).toEqual([
      "hello there",
      "please tell me a very long story about the sea and the ships",
    ]);
    expect(storedTexts(events, "assistant")[0]).toBe("You said: hello there");
    const duplicates = transcriptRepeats(events);
    expect(duplicates).toBe(0);
    const left = await leftovers(call);
    report({
      fault: "caller vanishes mid-response",
      framesSent: call.framesSent(),
      framesReceived: call.fakeReceivedFrames(),
      transcriptsStored: events.filter((event) => event.content.type === "text").length,
      duplicates,
      toolResults: null,
      leftovers: left,
    });
  }, 60_000);

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
    const call = await callStack({ store: new FailingStore() });
    call.openai.queueTranscripts("first words", "second words");
    await call.turn();
    await until("first reply stored", async () => storedTexts(await call.stored(), "assistant").length === 1);
    await until("idle", () => !call.openai.isResponding());
    await call.turn();
    await until("second turn stored", async () => storedTexts(await call.stored(), "user").includes("second words"));
    await until("every caller frame reached the provider", () => call.fakeReceivedFrames() === call.framesSent());
    const userFinals = () =>
      call.client
        .controlMessages()
        .filter((message) => message.type === "transcription" && message.is_final && message.role === "user")
        .map((message) => message.text);
    await until("the caller got both finals", () => userFinals().length === 2);

    expect(failures).toBe(1);
    const reported = call.channelLogger.entries.filter((entry) => entry.message === "Storing transcription failed");
    expect(reported.length).toBe(1);
    expect(reported[0]!.details?.error).toBeInstanceOf(StoreError);
    expect(userFinals()).toEqual(["first words", "second words"]);
    const events = await call.stored();
    expect(storedTexts(events, "user")).toEqual(["second words"]);
    expect(call.session.state).toBe("active");
    const duplicates = transcriptRepeats(events);
    expect(duplicates).toBe(0);
    const left = await leftovers(call);
    report({
      fault: "store fails a write",
      framesSent: call.framesSent(),
      framesReceived: call.fakeReceivedFrames(),
      transcriptsStored: events.filter((event) => event.content.type === "text").length,
      duplicates,
      toolResults: null,
      leftovers: left,
    });
  }, 60_000);
});
