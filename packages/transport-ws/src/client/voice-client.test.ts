// RoomKitVoiceClient without a browser: a fake WebSocket and a fake audio backend (the worklets have their own tests,
// and the demo's Chromium tests run the real thing).
import { afterEach, describe, expect, test } from "bun:test";
import { waitFor } from "@roomkit/testing";
import type { VoiceClientAudio, VoiceClientAudioBackend, VoiceClientAudioHandlers } from "./audio-backend.ts";
import type { PlayerStatus } from "./audio-player.ts";
import { RoomKitVoiceClient, type VoiceClientOptions } from "./voice-client.ts";

class FakeSocket {
  static instances: FakeSocket[] = [];
  readyState = 0;
  binaryType = "blob";
  sent: Array<string | Uint8Array> = [];
  closedWith: { code?: number; reason?: string } | undefined;
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.instances.push(this);
  }
  send(data: string | Uint8Array): void {
    this.sent.push(typeof data === "string" ? data : data.slice());
  }
  close(code?: number, reason?: string): void {
    this.closedWith = { code, reason };
    this.readyState = 3;
  }
  // test side
  open(): void {
    this.readyState = 1;
    this.onopen?.();
  }
  receive(data: unknown): void {
    this.onmessage?.({ data });
  }
  drop(code: number, reason = ""): void {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
  texts(): Array<Record<string, unknown>> {
    return this.sent.filter((item): item is string => typeof item === "string").map((text) => JSON.parse(text));
  }
}

interface FakeAudio extends VoiceClientAudio {
  handlers: VoiceClientAudioHandlers;
  pushed: Uint8Array[];
  calls: string[];
  status: PlayerStatus;
}

function fakeBackend(): { backend: VoiceClientAudioBackend; audio: () => FakeAudio } {
  let current: FakeAudio | undefined;
  const backend: VoiceClientAudioBackend = async (_settings, handlers) => {
    const audio: FakeAudio = {
      handlers,
      pushed: [],
      calls: [],
      sampleRate: 48000,
      status: { playedMs: 0, bufferedMs: 0, playing: false, level: 0, underruns: 0, dropped: 0 },
      push: (pcm) => void audio.pushed.push(pcm),
      clear: async () => {
        audio.calls.push("clear");
        return { latencyMs: 0.2, discarded: 4800 };
      },
      endOfResponse: () => void audio.calls.push("end"),
      resetPosition: () => void audio.calls.push("reset"),
      setMicMuted: (muted) => void audio.calls.push(`muted:${muted}`),
      close: async () => void audio.calls.push("close"),
    };
    current = audio;
    return audio;
  };
  return { backend, audio: () => current! };
}

const clients: RoomKitVoiceClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) await client.stop();
  FakeSocket.instances = [];
});

async function started(options: Partial<VoiceClientOptions> = {}) {
  const { backend, audio } = fakeBackend();
  const client = new RoomKitVoiceClient({
    url: "ws://test/ws",
    WebSocket: FakeSocket as unknown as typeof WebSocket,
    audioBackend: backend,
    playbackReportMs: 10,
    reconnect: { initialDelayMs: 5, maxDelayMs: 20, jitter: 0, maxAttempts: 3 },
    ...options,
  });
  clients.push(client);
  await client.start();
  const socket = FakeSocket.instances.at(-1)!;
  socket.open();
  return { client, socket, audio: audio() };
}

const frame = () => new Int16Array(320).fill(100);

describe("RoomKitVoiceClient", () => {
  test("mic frames go out as binary (default) or base64 JSON; frames before open are counted as dropped", async () => {
    const { client, socket, audio } = await started();
    expect(client.state).toBe("connected");
    audio.handlers.onFrame(frame(), 0.1);
    expect(socket.sent[0]).toBeInstanceOf(Uint8Array);
    expect((socket.sent[0] as Uint8Array).byteLength).toBe(640);

    const json = await started({ sendFormat: "base64_json" });
    json.audio.handlers.onFrame(frame(), 0.1);
    const message = json.socket.texts()[0]!;
    expect(message.type).toBe("audio");
    expect(Buffer.from(message.data as string, "base64").byteLength).toBe(640);

    const { backend, audio: earlyAudio } = fakeBackend();
    const pending = new RoomKitVoiceClient({ url: "ws://x", WebSocket: FakeSocket as never, audioBackend: backend });
    clients.push(pending);
    await pending.start();
    earlyAudio().handlers.onFrame(frame(), 0);
    expect(pending.stats.framesDropped).toBe(1);
  });

  test("server audio (binary or JSON) goes to the player", async () => {
    const { socket, audio, client } = await started();
    socket.receive(new Uint8Array(960).buffer);
    socket.receive(JSON.stringify({ type: "audio", data: Buffer.from(new Uint8Array(480)).toString("base64") }));
    expect(audio.pushed.map((pcm) => pcm.byteLength)).toEqual([960, 480]);
    expect(client.stats.audioMessagesReceived).toBe(2);
  });

  test("clear_audio empties the player and reports the clear", async () => {
    const { socket, audio, client } = await started();
    audio.status = { ...audio.status, bufferedMs: 300 };
    const clears: Array<{ bufferedMsBefore: number; latencyMs: number }> = [];
    client.on("clear", (event) => clears.push(event));
    socket.receive(JSON.stringify({ type: "clear_audio" }));
    await waitFor(() => clears.length === 1, { timeoutMs: 3000, label: "clear event" });
    expect(audio.calls).toContain("clear");
    expect(clears[0]).toMatchObject({ bufferedMsBefore: 300, latencyMs: 0.2 });
    expect(client.stats.lastClearDiscardedMs).toBe(100);
  });

  test("transcriptions become bubbles; speaking resets the position and ends responses", async () => {
    const { socket, audio, client } = await started();
    const texts: string[] = [];
    client.on("transcript", ({ bubble }) => texts.push(`${bubble.role}:${bubble.text}:${bubble.final}`));
    socket.receive(JSON.stringify({ type: "transcription", text: "Hel", role: "assistant", is_final: false }));
    socket.receive(JSON.stringify({ type: "transcription", text: "lo", role: "assistant", is_final: false }));
    socket.receive(JSON.stringify({ type: "transcription", text: "Hello.", role: "assistant", is_final: true }));
    expect(texts).toEqual(["assistant:Hel:false", "assistant:Hello:false", "assistant:Hello.:true"]);
    socket.receive(JSON.stringify({ type: "speaking", speaking: true, who: "assistant" }));
    socket.receive(JSON.stringify({ type: "speaking", speaking: false, who: "assistant" }));
    expect(audio.calls).toEqual(["muted:false", "reset", "end"]);
    socket.receive(JSON.stringify({ type: "session_started", session_id: "s-1" }));
    expect(client.stats.sessionId).toBe("s-1");
    const tools: string[] = [];
    client.on("toolCall", (call) => tools.push(call.name));
    socket.receive(JSON.stringify({ type: "tool_call", name: "get_weather", call_id: "c", arguments: {} }));
    socket.receive("{not json");
    expect(tools).toEqual(["get_weather"]);
  });

  test("playback positions are reported while audio plays, only when they change", async () => {
    const { socket, audio } = await started();
    audio.status = { ...audio.status, playedMs: 480.4, playing: true };
    await waitFor(() => socket.texts().some((message) => message.type === "playback"), {
      timeoutMs: 3000,
      label: "a report",
    });
    await Bun.sleep(40);
    const reports = socket.texts().filter((message) => message.type === "playback");
    expect(reports).toEqual([{ type: "playback", played_ms: 480 }]);
  });

  test("an unexpected close reconnects with back-off; an auth refusal (4401) does not", async () => {
    const { socket, client, audio } = await started();
    const states: string[] = [];
    client.on("state", ({ state }) => states.push(state));
    socket.drop(1006);
    await waitFor(() => FakeSocket.instances.length === 2, { timeoutMs: 3000, label: "second socket" });
    FakeSocket.instances[1]!.open();
    expect(states).toEqual(["reconnecting", "connected"]);
    expect(client.stats.reconnects).toBe(1);

    FakeSocket.instances[1]!.drop(4401, "Authentication rejected");
    await waitFor(() => client.state === "closed", { timeoutMs: 3000, label: "closed" });
    await Bun.sleep(30);
    expect(FakeSocket.instances.length).toBe(2);
    expect(audio.calls).toContain("close");
  });

  test("gives up after maxAttempts failed reconnects", async () => {
    const { socket, client } = await started();
    socket.drop(1006);
    for (let attempt = 1; attempt <= 3; attempt++) {
      await waitFor(() => FakeSocket.instances.length === attempt + 1, {
        timeoutMs: 3000,
        label: `attempt ${attempt}`,
      });
      FakeSocket.instances[attempt]!.drop(1006);
    }
    await waitFor(() => client.state === "closed", { timeoutMs: 3000, label: "closed" });
    expect(FakeSocket.instances.length).toBe(4);
  });

  test("a refused microphone leaves the client closed and rethrows", async () => {
    const client = new RoomKitVoiceClient({
      url: "ws://x",
      WebSocket: FakeSocket as never,
      audioBackend: async () => {
        throw new Error("NotAllowedError");
      },
    });
    await expect(client.start()).rejects.toThrow("NotAllowedError");
    expect(client.state).toBe("closed");
    expect(FakeSocket.instances.length).toBe(0);
  });
});
