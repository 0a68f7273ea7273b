// Issue 19 fault matrix, transport-sip × OpenAI: the in-process UAC (SipTestClient, real UDP on 127.0.0.1, PCMU) calls
// SipVoiceBackend ⇒ SIPRealtimeTransport ⇒ RealtimeVoiceChannel in a RoomKit ⇒ OpenAIRealtimeProvider ⇒ the OpenAI
// Realtime fake. Each cell counts: caller RTP frames sent vs caller audio received by the fake (0 lost; 20 ms at
// 8 kHz becomes 20 ms at OpenAI's 24 kHz), stored transcripts (in order, no duplicate), and what is left after close:
// sessions, calls, backend timers, RTP ports and provider sockets (0). Cells append their counts to
// $RELIABILITY_REPORT when set (scripts/reliability-table.ts).
import { afterEach, describe, expect, test } from "bun:test";
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
import type { SipCall } from "./backend/sip-call.ts";
import { SipVoiceBackend } from "./backend/sip-voice-backend.ts";
import { SipTestClient } from "./loopback/sip-test-client.ts";
import { SIPRealtimeTransport } from "./sip-realtime-transport.ts";

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

const until = (label: string, condition: () => boolean | Promise<boolean>) =>
  waitFor(condition, { label, timeoutMs: 20_000, intervalMs: 10 });

/** 20 ms at OpenAI's 24 kHz, PCM16: what one 20 ms caller RTP frame becomes at the fake. */
const PROVIDER_FRAME_BYTES = (24000 / 50) * 2;

// Above the Linux ephemeral range, as in bad-input.test.ts.
let rtpBase = 61000 + 20 * Math.floor(Math.random() * 150);

async function callStack(options: { store?: ConversationStore } = {}) {
  const openai = await createOpenAIRealtimeFake({ speed: 2 });
  const provider = new OpenAIRealtimeProvider({ apiKey: "test-key", baseUrl: openai.baseUrl, logger: silentLogger });
  const clock = countingClock();
  const rtpPortStart = rtpBase;
  rtpBase += 20;
  const backend = new SipVoiceBackend({
    host: "127.0.0.1",
    port: 0,
    rtpPortStart,
    rtpPortEnd: rtpPortStart + 10,
    rtpInactivityTimeoutMs: 1500,
    clock,
    logger: silentLogger,
  });
  await backend.start();
  const transport = new SIPRealtimeTransport({ backend, logger: silentLogger });
  const kit = new RoomKit({ store: options.store ?? new MemoryConversationStore(), logger: silentLogger });
  const channelLogger: RecordingLogger = createRecordingLogger();
  const channel = new RealtimeVoiceChannel("voice", {
    provider,
    transport,
    inputSampleRate: 24000,
    outputSampleRate: 24000,
    providerConfig: { reconnect: false },
    logger: channelLogger,
  });
  kit.registerChannel(channel);
  await kit.createRoom({ roomId: "room" });
  await kit.attachChannel("room", "voice");
  const calls: SipCall[] = [];
  const sessions: VoiceSession[] = [];
  backend.onCall(async (call) => {
    calls.push(call);
    sessions.push(await channel.startSession("room", "caller", { connection: call }));
  });
  const client = await SipTestClient.create();
  let clientClosed = false;
  /** The caller's SIP and RTP sockets close: no BYE, no more RTP. */
  const vanish = () => {
    if (clientClosed) return;
    clientClosed = true;
    client.close();
  };
  let stopped = false;
  const stopAll = async () => {
    if (stopped) return;
    stopped = true;
    vanish();
    await kit.close();
    await transport.close();
    await backend.close();
    await openai.close();
  };
  cleanups.push(stopAll);
  await client.call(backend.localPort, "0 101");
  expect(client.responses(200).length).toBe(1);
  await until("session started", () => sessions.length === 1 && calls[0]?.state === "confirmed");
  let framesSent = 0;
  const speak = async (durationMs: number, silent = false) => {
    for (const frame of callerAudioFrames({ durationMs, sampleRate: 8000, silent })) {
      client.sendAudio(frame);
      framesSent++;
      await Bun.sleep(1);
    }
  };
  const turn = async () => {
    await speak(400);
    await speak(700, true);
  };
  const fakeReceivedFrames = () =>
    openai.connections.reduce((sum, info) => sum + info.appendedBytes, 0) / PROVIDER_FRAME_BYTES;
  const stored = async (): Promise<RoomEvent[]> => kit.getTimeline("room", { limit: 500 });
  return {
    openai,
    backend,
    kit,
    channel,
    transport,
    client,
    vanish,
    clock,
    call: () => calls[0]!,
    session: sessions[0]!,
    channelLogger,
    turn,
    framesSent: () => framesSent,
    fakeReceivedFrames,
    stored,
    stopAll,
    rtpPortStart,
  };
}

/** After everything is closed: no session, call, backend timer, RTP port or provider socket is left. */
async function leftovers(stack: Awaited<ReturnType<typeof callStack>>): Promise<number> {
  await stack.stopAll();
  await until("backend timers released", () => stack.clock.live.size === 0);
  const left =
    stack.channel.sessionCount +
    stack.backend.activeCalls.length +
    stack.clock.live.size +
    stack.openai.connections.filter((info) => !info.closed).length;
  expect(left).toBe(0);
  // The RTP port the call used can be bound again: the backend released it.
  const probe = (await import("node:dgram")).createSocket("udp4");
  await new Promise<void>((resolve, reject) => {
    probe.once("error", reject);
    probe.bind({ address: "127.0.0.1", port: stack.call().rtp.localPort }, () => resolve());
  });
  probe.close();
  return left;
}

const report = (row: Record<string, unknown>) => reportReliabilityRow({ transport: "sip", provider: "openai", ...row });

describe("transport-sip × openai", () => {
  test("the caller vanishes mid-response (no BYE, RTP stops): the RTP watchdog ends the call once, nothing is left", async () => {
    const stack = await callStack();
    stack.openai.queueTranscripts("hello there", "please tell me a very long story about the sea and the ships");
    await stack.turn();
    await until("first reply stored", async () => storedTexts(await stack.stored(), "assistant").length === 1);
    await stack.turn();
    await until(
      "the long reply streams to the caller",
      () => stack.openai.isResponding() && stack.client.receivedPcmBytes > 0,
    );
    await until("every caller frame reached the provider", () => stack.fakeReceivedFrames() === stack.framesSent());
    expect(stack.openai.isResponding()).toBe(true);

    stack.vanish();
    await until("session ended", () => stack.channel.sessionCount === 0);
    await until("provider socket closed", () => stack.openai.connections.every((info) => info.closed));

    expect(stack.call().endReason).toBe("rtp_timeout");
    expect(stack.fakeReceivedFrames()).toBe(stack.framesSent());
    const events = await stack.stored();
    expect(storedTexts(events, "user")).toEqual([
      "hello there",
      "please tell me a very long story about the sea and the ships",
    ]);
    expect(storedTexts(events, "assistant")[0]).toBe("You said: hello there");
    const duplicates = transcriptRepeats(events);
    expect(duplicates).toBe(0);
    const left = await leftovers(stack);
    report({
      fault: "caller vanishes mid-response",
      framesSent: stack.framesSent(),
      framesReceived: stack.fakeReceivedFrames(),
      transcriptsStored: events.filter((event) => event.content.type === "text").length,
      duplicates,
      toolResults: null,
      leftovers: left,
    });
  }, 60_000);

  test("the store fails one transcript write: reported, the call goes on, later turns are stored", async () => {
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
    const stack = await callStack({ store: new FailingStore() });
    stack.openai.queueTranscripts("first words", "second words");
    await stack.turn();
    await until("first reply stored", async () => storedTexts(await stack.stored(), "assistant").length === 1);
    await until("idle", () => !stack.openai.isResponding());
    await stack.turn();
    await until("second turn stored", async () => storedTexts(await stack.stored(), "user").includes("second words"));
    await until("every caller frame reached the provider", () => stack.fakeReceivedFrames() === stack.framesSent());
    await until("second reply stored", async () => storedTexts(await stack.stored(), "assistant").length === 2);

    expect(failures).toBe(1);
    const reported = stack.channelLogger.entries.filter((entry) => entry.message === "Storing transcription failed");
    expect(reported.length).toBe(1);
    expect(reported[0]!.details?.error).toBeInstanceOf(StoreError);
    const events = await stack.stored();
    expect(storedTexts(events, "user")).toEqual(["second words"]);
    expect(storedTexts(events, "assistant")).toEqual(["You said: first words", "You said: second words"]);
    expect(stack.session.state).toBe("active");
    expect(stack.call().state).toBe("confirmed");
    const duplicates = transcriptRepeats(events);
    expect(duplicates).toBe(0);
    const left = await leftovers(stack);
    report({
      fault: "store fails a write",
      framesSent: stack.framesSent(),
      framesReceived: stack.fakeReceivedFrames(),
      transcriptsStored: events.filter((event) => event.content.type === "text").length,
      duplicates,
      toolResults: null,
      leftovers: left,
    });
  }, 60_000);
});
