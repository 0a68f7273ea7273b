// Issue 19 (security): every place caller input enters transport-ws is bounded, and the bounds are counted.
import { afterEach, describe, expect, test } from "bun:test";
import { createRecordingLogger, VoiceSession } from "@roomkit/spec";
import { waitFor } from "@roomkit/testing";
import { WebSocketServer } from "ws";
import { attachWsServer, type WsLikeServer, type WsLikeSocket, wrapWsSocket } from "./adapters/ws-adapter.ts";
import { connectClient, type ServerKind, startLoopbackServer } from "./test-support/loopback-servers.ts";
import { WebSocketConnection } from "./websocket-connection.ts";
import { WebSocketRealtimeTransport } from "./websocket-realtime-transport.ts";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

function newSession(id: string): VoiceSession {
  return new VoiceSession({ id, roomId: "room", participantId: "caller", channelId: "voice" });
}

function detachedConnection(options: { maxPendingMessages?: number; maxPendingBytes?: number } = {}) {
  const connection = new WebSocketConnection({
    kind: "bun",
    url: new URL("ws://127.0.0.1/"),
    headers: new Headers(),
    request: undefined,
    ...options,
  });
  connection.bind({ sendText: () => {}, sendBinary: () => {}, close: () => {}, bufferedAmount: () => 0 });
  return connection;
}

function frame(index: number, bytes = 640): Uint8Array {
  const data = new Uint8Array(bytes);
  new DataView(data.buffer).setUint32(0, index, true);
  return data;
}

describe("frames before the transport accepts the connection (slow authenticate, slow startSession)", () => {
  test("at most 100 messages are kept (the newest, in order); the rest are counted as dropped", () => {
    const connection = detachedConnection();
    for (let index = 0; index < 1000; index++) connection.receive(frame(index));
    const replayed: number[] = [];
    connection.attach({
      message: (data) => replayed.push(new DataView((data as Uint8Array).buffer).getUint32(0, true)),
      close: () => {},
      drain: () => {},
    });
    expect(replayed.length).toBe(100);
    expect(replayed[0]).toBe(900);
    expect(replayed.at(-1)).toBe(999);
    expect(connection.pendingDropped).toBe(900);
  });

  test("at most 512 KiB are kept, however few the messages", () => {
    const connection = detachedConnection();
    for (let index = 0; index < 10; index++) connection.receive(frame(index, 100 * 1024));
    let keptBytes = 0;
    connection.attach({
      message: (data) => (keptBytes += (data as Uint8Array).byteLength),
      close: () => {},
      drain: () => {},
    });
    expect(keptBytes).toBe(5 * 100 * 1024);
    expect(keptBytes).toBeLessThanOrEqual(512 * 1024);
    expect(connection.pendingDropped).toBe(5);
  });

  test("the ws adapter passes maxPendingBytes through", () => {
    const listeners = new Map<string, (...args: unknown[]) => void>();
    const socket: WsLikeSocket = {
      readyState: 1,
      bufferedAmount: 0,
      send: () => {},
      close: () => {},
      on: ((event: string, listener: (...args: unknown[]) => void) =>
        listeners.set(event, listener)) as WsLikeSocket["on"],
    };
    const connection = wrapWsSocket(socket, undefined, { maxPendingBytes: 1000 });
    for (let index = 0; index < 3; index++) listeners.get("message")!(Buffer.from(frame(index, 600)), true);
    expect(connection.pendingDropped).toBe(2);
  });
});

describe("a flood of bad frames on an accepted session", () => {
  test("10,000 bad frames: all counted, at most maxWarningsPerKind warnings per kind, the session stays open", async () => {
    const logger = createRecordingLogger();
    const transport = new WebSocketRealtimeTransport({ logger, maxFrameBytes: 4096 });
    const connection = detachedConnection();
    await transport.accept(newSession("s1"), connection);
    const kinds = [
      () => "{not json",
      () => JSON.stringify({ type: "dance" }),
      () => JSON.stringify({ type: "audio", data: 1 }),
      () => new Uint8Array(641),
      () => new Uint8Array(8192),
    ];
    for (let index = 0; index < 10_000; index++) connection.receive(kinds[index % kinds.length]!());
    const stats = transport.stats;
    expect(stats.framesReceived).toBe(10_000);
    expect(stats.invalidJson + stats.unknownTypes + stats.invalidMessages + stats.invalidAudioDropped).toBe(8000);
    expect(stats.oversizedFramesDropped).toBe(2000);
    const warnings = logger.entries.filter((entry) => entry.level === "warn");
    expect(warnings.length).toBe(5 * 5);
    expect(connection.isOpen).toBe(true);
    await transport.close();
  });
});

describe.each(["bun", "ws"] as ServerKind[])("%s: a frame above the server's payload limit", (kind) => {
  test("closes that caller's socket (1009) and ends its session once; another caller is untouched", async () => {
    const transport = new WebSocketRealtimeTransport({ logger: createRecordingLogger() });
    let accepted = 0;
    const server = await startLoopbackServer(kind, async (connection) => {
      await transport.accept(newSession(`s${++accepted}`), connection);
    });
    cleanups.push(async () => {
      await transport.close();
      await server.stop();
    });
    const ended: string[] = [];
    transport.onClientDisconnected((session) => void ended.push(session.id));
    const attacker = await connectClient(server.url);
    const bystander = await connectClient(server.url);
    cleanups.push(() => {
      attacker.socket.close();
      bystander.socket.close();
    });
    await waitFor(() => transport.sessionCount === 2, { label: "two sessions" });
    attacker.socket.send(new Uint8Array(1024 * 1024 + 2));
    await waitFor(() => attacker.closed !== undefined && ended.length === 1, { label: "attacker closed" });
    expect(attacker.closed!.code).toBe(1009);
    expect(transport.sessionCount).toBe(1);
    expect(transport.stats.clientDisconnects).toBe(1);
    expect(bystander.closed).toBeUndefined();
  });
});

describe("attachWsServer and the ws server's maxPayload", () => {
  test("warns when the ws server buffers frames above 1 MiB (its default is 100 MiB), not when it is bounded", async () => {
    const loose = new WebSocketServer({ noServer: true });
    const bounded = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
    cleanups.push(() => {
      loose.close();
      bounded.close();
    });
    const looseLogger = createRecordingLogger();
    const boundedLogger = createRecordingLogger();
    attachWsServer(loose as unknown as WsLikeServer, { onConnection: () => {}, logger: looseLogger });
    attachWsServer(bounded as unknown as WsLikeServer, { onConnection: () => {}, logger: boundedLogger });
    expect(looseLogger.entries.map((entry) => [entry.level, entry.details?.maxPayload])).toEqual([
      ["warn", 100 * 1024 * 1024],
    ]);
    expect(boundedLogger.entries).toEqual([]);
  });
});
