import { afterEach, describe, expect, test } from "bun:test";
import { encodeBase64 } from "@roomkit/audio";
import {
  AuthenticationError,
  createRecordingLogger,
  InvalidArgumentError,
  type PlaybackPosition,
  TransportError,
  type RecordingLogger,
  RoomKitConfigError,
  VoiceSession,
} from "@roomkit/spec";
import { waitFor } from "@roomkit/testing";
import {
  connectClient,
  type LoopbackServer,
  pcmFrame,
  type ServerKind,
  startLoopbackServer,
  type TestClient,
} from "./test-support/loopback-servers.ts";
import type { WebSocketConnection } from "./websocket-connection.ts";
import { WebSocketRealtimeTransport, type WebSocketRealtimeTransportOptions } from "./websocket-realtime-transport.ts";

interface Harness {
  transport: WebSocketRealtimeTransport;
  logger: RecordingLogger;
  server: LoopbackServer;
  sessions: VoiceSession[];
  acceptErrors: unknown[];
  received: Uint8Array[];
  disconnects: string[];
  positions: PlaybackPosition[];
}

let counter = 0;
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function setup(kind: ServerKind, options: WebSocketRealtimeTransportOptions = {}): Promise<Harness> {
  const logger = createRecordingLogger();
  const transport = new WebSocketRealtimeTransport({ logger, ...options });
  const harness: Harness = {
    transport,
    logger,
    server: undefined as unknown as LoopbackServer,
    sessions: [],
    acceptErrors: [],
    received: [],
    disconnects: [],
    positions: [],
  };
  transport.onAudioReceived((_session, audio) => {
    harness.received.push(audio as Uint8Array);
  });
  transport.onClientDisconnected((session) => {
    harness.disconnects.push(session.id);
  });
  transport.onPlaybackPosition((_session, position) => {
    harness.positions.push(position);
  });
  harness.server = await startLoopbackServer(kind, async (connection: WebSocketConnection) => {
    const session = new VoiceSession({
      id: `session-${++counter}`,
      roomId: "room-1",
      participantId: "caller",
      channelId: "voice",
      metadata: { fromCaller: true },
    });
    try {
      await transport.accept(session, connection);
      harness.sessions.push(session);
    } catch (error) {
      harness.acceptErrors.push(error);
    }
  });
  cleanups.push(async () => {
    await transport.close();
    await harness.server.stop();
  });
  return harness;
}

async function connected(harness: Harness): Promise<{ client: TestClient; session: VoiceSession }> {
  const before = harness.sessions.length;
  const client = await connectClient(harness.server.url);
  cleanups.push(async () => client.socket.close());
  await waitFor(() => harness.sessions.length > before, { label: "accept" });
  return { client, session: harness.sessions[harness.sessions.length - 1]! };
}

for (const kind of ["bun", "ws"] as const) {
  describe(`WebSocketRealtimeTransport on ${kind === "bun" ? "Bun.serve" : "ws WebSocketServer"}`, () => {
    test("binary frames reach onAudioReceived in order, byte for byte", async () => {
      const harness = await setup(kind);
      const { client } = await connected(harness);
      const frames = Array.from({ length: 20 }, (_, index) => pcmFrame(index));
      for (const frame of frames) client.socket.send(frame);
      await waitFor(() => harness.received.length === 20, { label: "20 frames" });
      for (let index = 0; index < 20; index++) expect(harness.received[index]).toEqual(frames[index]!);
      expect(harness.transport.stats.audioFramesReceived).toBe(20);
    });

    test("base64 JSON audio messages are decoded", async () => {
      const harness = await setup(kind);
      const { client } = await connected(harness);
      const frame = pcmFrame(7, 960);
      client.socket.send(JSON.stringify({ type: "audio", data: encodeBase64(frame) }));
      await waitFor(() => harness.received.length === 1, { label: "decoded frame" });
      expect(harness.received[0]).toEqual(frame);
    });

    test("base64_json mode sends audio as JSON text; control messages are JSON", async () => {
      const harness = await setup(kind, { audioFormat: "base64_json" });
      const { client, session } = await connected(harness);
      const frame = pcmFrame(3);
      harness.transport.sendAudio(session, frame);
      harness.transport.sendMessage(session, { type: "transcription", text: "Hello", role: "user", is_final: true });
      harness.transport.sendMessage(session, { type: "speaking", speaking: true, who: "assistant" });
      harness.transport.sendMessage(session, { type: "clear_audio" });
      await waitFor(() => client.texts.length === 4, { label: "4 messages" });
      const [audio, transcription, speaking, clear] = client.texts as Array<Record<string, unknown>>;
      expect(audio!.type).toBe("audio");
      expect(new Uint8Array(Buffer.from(audio!.data as string, "base64"))).toEqual(frame);
      expect(transcription).toEqual({ type: "transcription", text: "Hello", role: "user", is_final: true });
      expect(speaking).toEqual({ type: "speaking", speaking: true, who: "assistant" });
      expect(clear).toEqual({ type: "clear_audio" });
      expect(client.binaries.length).toBe(0);
    });

    test("binary mode sends audio as binary frames", async () => {
      const harness = await setup(kind, { audioFormat: "binary" });
      const { client, session } = await connected(harness);
      const frame = pcmFrame(5);
      harness.transport.sendAudio(session, frame);
      await waitFor(() => client.binaries.length === 1, { label: "binary frame" });
      expect(client.binaries[0]).toEqual(frame);
    });

    test("setInputMuted drops caller audio (counted) until unmuted", async () => {
      const harness = await setup(kind);
      const { client, session } = await connected(harness);
      expect(harness.transport.capabilities.inputMute).toBe(true);
      harness.transport.setInputMuted(session, true);
      client.socket.send(pcmFrame(1));
      client.socket.send(pcmFrame(2));
      await waitFor(() => harness.transport.stats.inputMutedDropped === 2, { label: "muted drops" });
      harness.transport.setInputMuted(session, false);
      client.socket.send(pcmFrame(3));
      await waitFor(() => harness.received.length === 1, { label: "unmuted frame" });
      expect(harness.received[0]).toEqual(pcmFrame(3));
    });

    test("playback reports become onPlaybackPosition with source client", async () => {
      const harness = await setup(kind);
      const { client } = await connected(harness);
      client.socket.send(JSON.stringify({ type: "playback", played_ms: 1234 }));
      client.socket.send(JSON.stringify({ type: "playback", played_ms: -5 }));
      client.socket.send(JSON.stringify({ type: "playback", played_ms: 1500 }));
      await waitFor(() => harness.positions.length === 2, { label: "two positions" });
      expect(harness.positions).toEqual([
        { playedMs: 1234, source: "client" },
        { playedMs: 1500, source: "client" },
      ]);
      expect(harness.transport.stats.invalidMessages).toBe(1);
    });

    test("oversized frames are dropped before decoding, counted, and the session continues", async () => {
      const harness = await setup(kind, { maxFrameBytes: 4096 });
      const { client } = await connected(harness);
      client.socket.send(new Uint8Array(8192));
      client.socket.send(JSON.stringify({ type: "audio", data: encodeBase64(new Uint8Array(6000)) }));
      client.socket.send(`{"type":"audio","data":"${"A".repeat(20000)}"`);
      client.socket.send(pcmFrame(1));
      await waitFor(() => harness.received.length === 1, { label: "the small frame" });
      expect(harness.received[0]!.byteLength).toBe(640);
      expect(harness.transport.stats.oversizedFramesDropped).toBe(3);
      expect(harness.logger.entries.some((entry) => entry.message.includes("oversized"))).toBe(true);
    });

    test("invalid JSON, unknown types and odd-length audio are logged and counted, never fatal", async () => {
      const harness = await setup(kind);
      const { client, session } = await connected(harness);
      client.socket.send("{not json");
      client.socket.send(JSON.stringify({ type: "dance" }));
      client.socket.send(JSON.stringify([1, 2]));
      client.socket.send(JSON.stringify({ type: "audio", data: 42 }));
      client.socket.send(JSON.stringify({ type: "audio", data: "!!not base64!!" }));
      client.socket.send(new Uint8Array(641));
      client.socket.send(pcmFrame(9));
      await waitFor(() => harness.received.length === 1, { label: "the valid frame" });
      const stats = harness.transport.stats;
      expect(stats.invalidJson).toBe(1);
      expect(stats.unknownTypes).toBe(1);
      expect(stats.invalidMessages).toBe(3);
      expect(stats.invalidAudioDropped).toBe(1);
      expect(harness.logger.entries.filter((entry) => entry.level === "warn").length).toBe(6);
      expect(harness.transport.getConnection(session)?.isOpen).toBe(true);
    });

    test("authenticate metadata is merged into the session before accept returns", async () => {
      const seen: string[] = [];
      const harness = await setup(kind, {
        authenticate: async ({ url, headers }) => {
          seen.push(url.searchParams.get("token") ?? "", headers.get("host") ?? "");
          return { system_prompt: "You are a pirate.", voice: "echo" };
        },
      });
      const before = harness.sessions.length;
      const client = await connectClient(`${harness.server.url}?token=secret`);
      cleanups.push(async () => client.socket.close());
      await waitFor(() => harness.sessions.length > before, { label: "accept" });
      const session = harness.sessions[before]!;
      expect(seen[0]).toBe("secret");
      expect(seen[1]).toContain("127.0.0.1");
      expect(session.metadata).toMatchObject({ fromCaller: true, system_prompt: "You are a pirate.", voice: "echo" });
    });

    test("authenticate returning null closes with 4401 and a reason; accept throws AuthenticationError", async () => {
      const harness = await setup(kind, { authenticate: () => null });
      const client = await connectClient(harness.server.url);
      client.socket.send(pcmFrame(1));
      await waitFor(() => client.closed !== undefined && harness.acceptErrors.length === 1, { label: "rejection" });
      expect(client.closed).toEqual({ code: 4401, reason: "Authentication rejected" });
      expect(harness.acceptErrors[0]).toBeInstanceOf(AuthenticationError);
      expect(harness.received.length).toBe(0);
      expect(harness.transport.stats.authenticationRejected).toBe(1);
    });

    test("authenticate throwing closes with 1008", async () => {
      const harness = await setup(kind, {
        authenticate: () => {
          throw new Error("token service down");
        },
      });
      const client = await connectClient(harness.server.url);
      await waitFor(() => client.closed !== undefined && harness.acceptErrors.length === 1, { label: "rejection" });
      expect(client.closed).toEqual({ code: 1008, reason: "Authentication failed" });
      expect((harness.acceptErrors[0] as AuthenticationError).cause).toBeInstanceOf(Error);
    });

    test("frames sent during a slow authenticate are delivered in order after accept", async () => {
      let release: () => void = () => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const harness = await setup(kind, {
        authenticate: async () => {
          await gate;
          return {};
        },
      });
      const client = await connectClient(harness.server.url);
      cleanups.push(async () => client.socket.close());
      for (let index = 0; index < 5; index++) client.socket.send(pcmFrame(index));
      await Bun.sleep(50);
      expect(harness.received.length).toBe(0);
      release();
      await waitFor(() => harness.received.length === 5, { label: "replayed frames" });
      for (let index = 0; index < 5; index++) expect(harness.received[index]).toEqual(pcmFrame(index));
    });

    test("a client disconnect fires onClientDisconnected exactly once", async () => {
      const harness = await setup(kind);
      const { client, session } = await connected(harness);
      client.socket.close(1000, "bye");
      await waitFor(() => harness.disconnects.length === 1, { label: "disconnect" });
      await harness.transport.disconnect(session);
      await Bun.sleep(30);
      expect(harness.disconnects).toEqual([session.id]);
      expect(harness.transport.sessionCount).toBe(0);
      harness.transport.sendAudio(session, pcmFrame(1));
      expect(harness.transport.stats.audioFramesSent).toBe(0);
    });

    test("an abort during a slow authenticate closes the socket at once (1001) and rejects", async () => {
      const controller = new AbortController();
      let attempt: Promise<unknown> | undefined;
      const logger = createRecordingLogger();
      const transport = new WebSocketRealtimeTransport({ logger, authenticate: () => new Promise(() => {}) });
      const server = await startLoopbackServer(kind, (connection) => {
        const session = new VoiceSession({ id: `abort-${kind}`, roomId: "r", participantId: "p", channelId: "c" });
        attempt = transport.accept(session, connection, { signal: controller.signal }).catch((error: unknown) => error);
      });
      cleanups.push(async () => {
        await transport.close();
        await server.stop();
      });
      const client = await connectClient(server.url);
      await waitFor(() => attempt !== undefined, { label: "accept started" });
      controller.abort();
      const error = await attempt;
      expect(error).toBeInstanceOf(TransportError);
      await waitFor(() => client.closed !== undefined, { label: "close" });
      expect(client.closed).toEqual({ code: 1001, reason: "Session start cancelled" });
      expect(transport.sessionCount).toBe(0);
    });

    test("one socket cannot be accepted for a second session", async () => {
      const harness = await setup(kind);
      const { session } = await connected(harness);
      const connection = harness.transport.getConnection(session)!;
      const other = new VoiceSession({ id: `other-${kind}`, roomId: "r", participantId: "p", channelId: "c" });
      await expect(harness.transport.accept(other, connection)).rejects.toBeInstanceOf(InvalidArgumentError);
    });

    test("disconnect() closes the socket with 1000, is idempotent and does not report a client disconnect", async () => {
      const harness = await setup(kind);
      const { client, session } = await connected(harness);
      await harness.transport.disconnect(session);
      await harness.transport.disconnect(session);
      await waitFor(() => client.closed !== undefined, { label: "client close" });
      expect(client.closed!.code).toBe(1000);
      expect(harness.disconnects).toEqual([]);
    });
  });
}

for (const kind of ["bun", "ws"] as const) {
  test(`${kind} adapter: a failing onConnection is logged and the socket closed with 1011`, async () => {
    const logger = createRecordingLogger();
    const server = await startLoopbackServer(
      kind,
      async () => {
        throw new Error("room not found");
      },
      { logger },
    );
    cleanups.push(() => server.stop());
    const client = await connectClient(server.url);
    await waitFor(() => client.closed !== undefined, { label: "close" });
    expect(client.closed).toEqual({ code: 1011, reason: "Could not start the session" });
    expect(
      logger.entries.some((entry) => entry.level === "warn" && String(entry.details?.error).includes("room not found")),
    ).toBe(true);
  });
}

describe("WebSocketRealtimeTransport.accept", () => {
  test("refuses something that is not a socket", async () => {
    const transport = new WebSocketRealtimeTransport({ logger: createRecordingLogger() });
    const session = new VoiceSession({ id: "s", roomId: "r", participantId: "p", channelId: "c" });
    await expect(transport.accept(session, { nope: true })).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  test("rejects invalid options", () => {
    expect(() => new WebSocketRealtimeTransport({ audioFormat: "mp3" as never })).toThrow(RoomKitConfigError);
    expect(() => new WebSocketRealtimeTransport({ maxFrameBytes: 0 })).toThrow(RoomKitConfigError);
  });
});
