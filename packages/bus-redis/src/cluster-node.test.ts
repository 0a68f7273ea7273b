import { afterAll, afterEach, expect, test } from "bun:test";
import { MemoryConversationStore, RoomKit } from "@roomkit/core";
import {
  createConsoleLogger,
  RoomKitConfigError,
  type RoomEvent,
  SessionNotFoundError,
  silentLogger,
} from "@roomkit/spec";
import { MockChannel, waitFor } from "@roomkit/testing";
import { ClusterNode } from "./cluster-node.ts";
import { RedisRoomBus } from "./redis-room-bus.ts";
import { RemoteCommandError, SessionRouteTimeoutError } from "./routing-errors.ts";
import { startRedisServer } from "./test-support/redis-server.ts";
import { sharedView } from "./test-support/shared-store.ts";

const redis = await startRedisServer();
afterAll(() => redis.stop());
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

/** A voice channel stand-in: records the kit calls a RealtimeVoiceChannel takes, by session id. */
class FakeVoiceChannel extends MockChannel {
  readonly sessionCalls: string[] = [];
  readonly live = new Set<string>();
  kit: RoomKit | undefined;

  start(roomId: string, sessionId: string): void {
    this.live.add(sessionId);
    this.kit?.emitFrameworkEvent("voice_session_started", {
      roomId,
      channelId: this.channelId,
      data: { session_id: sessionId, participant_id: "caller" },
    });
  }
  async injectText(sessionId: string, text: string): Promise<void> {
    if (!this.live.has(sessionId)) throw new SessionNotFoundError(`voice session ${sessionId} not found`);
    this.sessionCalls.push(`inject ${sessionId} ${text}`);
  }
  async reconfigureSession(sessionId: string, options: { instructions?: string }): Promise<void> {
    this.sessionCalls.push(`reconfigure ${sessionId} ${options.instructions}`);
  }
  async endSession(sessionId: string, reason = "ended"): Promise<void> {
    this.sessionCalls.push(`end ${sessionId} ${reason}`);
    this.live.delete(sessionId);
    this.kit?.emitFrameworkEvent("voice_session_ended", {
      roomId: "r1",
      channelId: this.channelId,
      data: { session_id: sessionId, reason },
    });
  }
}

let prefixCounter = 0;

async function twoNodes(options: { leaseMs?: number; requestTimeoutMs?: number } = {}) {
  const store = new MemoryConversationStore();
  const prefix = `cluster-test-${prefixCounter++}`;
  const nodes = [];
  for (const nodeId of ["a", "b"]) {
    const bus = new RedisRoomBus({ url: redis.url, store, nodeId, prefix, logger: silentLogger });
    const kit = new RoomKit({ logger: silentLogger, store: sharedView(store), bus });
    const node = new ClusterNode({
      url: redis.url,
      kit,
      bus,
      nodeId,
      prefix,
      leaseMs: options.leaseMs ?? 600,
      requestTimeoutMs: options.requestTimeoutMs ?? 2_000,
      logger: process.env.DEBUG_CLUSTER ? createConsoleLogger({ name: nodeId }) : silentLogger,
    });
    await bus.ready;
    await node.start();
    const voice = new FakeVoiceChannel(`voice-${nodeId}`);
    voice.kit = kit;
    kit.registerChannel(voice);
    nodes.push({ kit, node, voice, bus });
    cleanups.push(async () => {
      await node.close();
      await kit.close();
    });
  }
  const [a, b] = nodes as [(typeof nodes)[0], (typeof nodes)[0]];
  await a.kit.createRoom({ roomId: "r1" });
  await a.kit.attachChannel("r1", "voice-a");
  return { store, a, b };
}

const sessionMarkers = (events: RoomEvent[]) =>
  events
    .filter((event) => event.content.type === "system" && event.content.code.startsWith("voice_session_"))
    .map((event) => (event.content.type === "system" ? `${event.content.code} ${event.content.body}` : ""));

test("kit calls for a session on node A, made on node B, are routed to A and answered", async () => {
  const { a, b } = await twoNodes();
  a.voice.start("r1", "s1");
  await waitFor(async () => (await b.node.locate("s1"))?.nodeId === "a", { timeoutMs: 5_000 });

  await b.node.injectText("s1", "the caller's parcel shipped");
  await b.node.reconfigureSession("s1", { instructions: "be brief" });
  const sent = await b.node.sendEvent("s1", { type: "text", body: "supervisor note" });
  expect(sent.index).toBeGreaterThan(0);
  // A failure on the owner comes back typed, with the owner's code.
  const unknown = await b.node.injectText("nope", "x").catch((error: unknown) => error);
  expect(unknown).toBeInstanceOf(SessionNotFoundError);
  a.voice.live.delete("s1");
  const remoteFailure = await b.node.injectText("s1", "too late").catch((error: unknown) => error);
  expect(remoteFailure).toBeInstanceOf(RemoteCommandError);
  expect((remoteFailure as RemoteCommandError).code).toBe("session_not_found");
  a.voice.live.add("s1");
  await b.node.endSession("s1", "supervisor_hangup");
  expect(a.voice.sessionCalls).toEqual([
    "inject s1 the caller's parcel shipped",
    "reconfigure s1 be brief",
    "end s1 supervisor_hangup",
  ]);
  // The session was released and both markers are in the shared timeline, readable from node B.
  await waitFor(async () => (await b.node.locate("s1")) === undefined, { timeoutMs: 5_000 });
  await waitFor(async () => sessionMarkers(await b.kit.getTimeline("r1")).length === 2, { timeoutMs: 5_000 });
  expect(sessionMarkers(await b.kit.getTimeline("r1"))).toEqual([
    "voice_session_live live",
    "voice_session_ended supervisor_hangup",
  ]);
});

test("a call on the owning node runs locally, without Redis round trips for the command", async () => {
  const { a } = await twoNodes();
  a.voice.start("r1", "s1");
  await waitFor(async () => (await a.node.locate("s1"))?.nodeId === "a", { timeoutMs: 5_000 });
  await a.node.injectText("s1", "local");
  expect(a.voice.sessionCalls).toEqual(["inject s1 local"]);
});

test("an owner that does not answer: SessionRouteTimeoutError naming the node, recoverable", async () => {
  const { a, b } = await twoNodes({ leaseMs: 60_000, requestTimeoutMs: 300 });
  a.voice.start("r1", "s1");
  await waitFor(async () => (await b.node.locate("s1"))?.nodeId === "a", { timeoutMs: 5_000 });
  a.node.abandon(); // its lease (60 s) has not expired: the registry still says A
  const error = await b.node.injectText("s1", "hello?").catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(SessionRouteTimeoutError);
  expect((error as SessionRouteTimeoutError).code).toBe("session_route_timeout");
  expect((error as SessionRouteTimeoutError).recoverable).toBe(true);
  expect((error as Error).message).toContain("node a did not answer within 300 ms");
});

test("a node that dies mid-call: within the lease, a survivor marks its sessions ended with a reason", async () => {
  const { a, b } = await twoNodes({ leaseMs: 600 });
  a.voice.start("r1", "s1");
  await waitFor(async () => sessionMarkers(await b.kit.getTimeline("r1")).length === 1, { timeoutMs: 5_000 });
  await a.kit.sendEvent("r1", "voice-a", { type: "text", body: "said before the crash" });
  a.node.abandon();
  await waitFor(async () => sessionMarkers(await b.kit.getTimeline("r1")).length === 2, { timeoutMs: 5_000 });
  const timeline = await b.kit.getTimeline("r1");
  expect(sessionMarkers(timeline)).toEqual([
    "voice_session_live live",
    "voice_session_ended node a stopped renewing its lease",
  ]);
  const ended = timeline.at(-1);
  expect(ended?.content.type === "system" && ended.content.data).toMatchObject({
    reason: "node_lease_expired",
    session_id: "s1",
    node_id: "a",
    ended_by: "b",
  });
  expect(
    timeline.some((event) => event.content.type === "text" && event.content.body === "said before the crash"),
  ).toBe(true);
  expect(await b.node.locate("s1")).toBeUndefined();
  await expect(b.node.injectText("s1", "x")).rejects.toThrow(SessionNotFoundError);
});

test("bad options are RoomKitConfigError naming the field", () => {
  const kit = new RoomKit({ logger: silentLogger });
  cleanups.push(() => kit.close());
  expect(() => new ClusterNode({ url: "nope", kit })).toThrow(/option "url"/);
  expect(() => new ClusterNode({ url: redis.url, kit, leaseMs: 1_000, heartbeatMs: 1_000 })).toThrow(
    RoomKitConfigError,
  );
  expect(() => new ClusterNode({ url: redis.url, kit: {} as RoomKit })).toThrow(/option "kit"/);
  expect(() => new ClusterNode({ url: redis.url, kit, logger: { warn() {} } as never })).toThrow(/option "logger"/);
});

test("Redis unreachable at start: start() rejects with bus_unreachable naming the URL without the password", async () => {
  const kit = new RoomKit({ logger: silentLogger });
  cleanups.push(() => kit.close());
  const listener = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = listener.port;
  listener.stop(true);
  const node = new ClusterNode({
    url: `redis://:hunter2@127.0.0.1:${port}`,
    kit,
    connectTimeoutMs: 300,
    logger: silentLogger,
  });
  cleanups.push(() => node.close());
  const error = await node.start().catch((caught: unknown) => caught);
  expect((error as { code?: string }).code).toBe("bus_unreachable");
  expect((error as Error).message).toContain(`ClusterNode: cannot reach Redis at redis://127.0.0.1:${port}`);
  expect((error as Error).message).not.toContain("hunter2");
});
