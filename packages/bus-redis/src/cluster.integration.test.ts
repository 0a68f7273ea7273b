// Two RoomKit nodes in one process sharing a private PostgreSQL (the store) and a private Redis (bus + session
// registry), each with a RealtimeVoiceChannel on mock provider/transport: the whole cluster path for one call.
import { afterAll, afterEach, expect, test } from "bun:test";
import { join } from "node:path";
import { RoomKit } from "@roomkit/core";
import { RealtimeVoiceChannel } from "@roomkit/realtime-channel";
import { type RoomEvent, silentLogger, type VoiceSession } from "@roomkit/spec";
import { PostgresConversationStore } from "@roomkit/store-postgres";
import { MockRealtimeProvider, MockRealtimeTransport, waitFor } from "@roomkit/testing";
import { startPostgresServer } from "../../store-postgres/src/test-support/postgres-server.ts";
import { ClusterNode } from "./cluster-node.ts";
import { RedisRoomBus } from "./redis-room-bus.ts";
import { startRedisServer } from "./test-support/redis-server.ts";

const postgres = await startPostgresServer();
const redis = await startRedisServer();
afterAll(async () => {
  await redis.stop();
  postgres.stop();
});
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

let counter = 0;

async function startNode(nodeId: string, shared: { schema: string; prefix: string }) {
  const store = await PostgresConversationStore.open({ url: postgres.url, schema: shared.schema, maxConnections: 4 });
  const bus = new RedisRoomBus({ url: redis.url, store, nodeId, prefix: shared.prefix, logger: silentLogger });
  await bus.ready;
  const kit = new RoomKit({ logger: silentLogger, store, bus });
  const node = new ClusterNode({
    url: redis.url,
    kit,
    bus,
    nodeId,
    prefix: shared.prefix,
    leaseMs: 900,
    logger: silentLogger,
  });
  await node.start();
  const provider = new MockRealtimeProvider({ logger: silentLogger });
  const transport = new MockRealtimeTransport();
  const channel = new RealtimeVoiceChannel(`voice-${nodeId}`, { provider, transport, logger: silentLogger });
  kit.registerChannel(channel);
  cleanups.push(async () => {
    await node.close();
    await kit.close();
  });
  return { kit, node, provider, transport, channel, store };
}

async function cluster() {
  const shared = { schema: `cluster_${process.pid}_${counter}`, prefix: `cluster-${counter++}` };
  const a = await startNode("a", shared);
  const b = await startNode("b", shared);
  await a.kit.createRoom({ roomId: "call-1" });
  await a.kit.attachChannel("call-1", "voice-a");
  const session = (await a.channel.startSession("call-1", "caller", { connection: null })) as VoiceSession;
  await waitFor(async () => (await b.node.locate(session.id))?.nodeId === "a", { timeoutMs: 5_000 });
  return { a, b, session };
}

const texts = (events: RoomEvent[]) =>
  events.flatMap((event) => (event.content.type === "text" ? [event.content.body] : []));
const markers = (events: RoomEvent[]) =>
  events.flatMap((event) =>
    event.content.type === "system" && event.content.code.startsWith("voice_session_") ? [event.content.code] : [],
  );

test("a call on node A gets text injected through node B, and its transcript is read from node B", async () => {
  const { a, b, session } = await cluster();
  await b.node.injectText(session.id, "Your parcel shipped today.");
  const injected = a.provider.callsOf("injectText").map((call) => call.args[1]);
  expect(injected).toEqual(["Your parcel shipped today."]);
  await a.provider.simulateTranscription(session, "Where is my parcel?", { role: "user" });
  await a.provider.simulateTranscription(session, "It shipped today.", { role: "assistant" });
  await waitFor(async () => texts(await b.kit.getTimeline("call-1")).length === 2, { timeoutMs: 5_000 });
  expect(texts(await b.kit.getTimeline("call-1"))).toEqual(["Where is my parcel?", "It shipped today."]);
  expect(markers(await b.kit.getTimeline("call-1"))).toEqual(["voice_session_live"]);
});

test("node A dying mid-call: node B marks the session ended, and nothing A stored before is lost", async () => {
  const { a, b, session } = await cluster();
  await a.provider.simulateTranscription(session, "stored before the crash", { role: "user" });
  await waitFor(async () => texts(await b.kit.getTimeline("call-1")).length === 1, { timeoutMs: 5_000 });
  a.node.abandon();
  await waitFor(async () => markers(await b.kit.getTimeline("call-1")).length === 2, { timeoutMs: 10_000 });
  const timeline = await b.kit.getTimeline("call-1");
  expect(markers(timeline)).toEqual(["voice_session_live", "voice_session_ended"]);
  expect(texts(timeline)).toEqual(["stored before the crash"]);
  const ended = timeline.find(
    (event) => event.content.type === "system" && event.content.code === "voice_session_ended",
  );
  expect(ended?.content.type === "system" && ended.content.data?.reason).toBe("node_lease_expired");
  expect(await b.node.locate(session.id)).toBeUndefined();
});

test("Redis restarting mid-call: the audio path never notices, routing recovers, nothing is duplicated", async () => {
  const { a, b, session } = await cluster();
  const restarting = redis.restart();
  // Audio flows model → caller while Redis is down (Redis is not on the audio path).
  await a.provider.simulateAudio(session, new Uint8Array(960));
  await a.provider.simulateTranscription(session, "said while Redis restarted", { role: "assistant" });
  await restarting;
  await waitFor(() => a.transport.callsOf("sendAudio").length >= 1, { timeoutMs: 5_000 });
  // The lease is renewed again once the heartbeat reconnects; routed calls work again.
  await waitFor(
    async () => {
      try {
        await b.node.injectText(session.id, "after the restart");
        return true;
      } catch {
        return false;
      }
    },
    { timeoutMs: 10_000 },
  );
  const timeline = await b.kit.getTimeline("call-1");
  expect(texts(timeline)).toEqual(["said while Redis restarted"]);
  expect(markers(timeline)).toEqual(["voice_session_live"]);
  expect(a.provider.callsOf("injectText").map((call) => call.args[1])).toContain("after the restart");
});

test("kill -9 of a node process mid-call: within the lease the survivor marks the session ended; nothing is lost", async () => {
  const shared = { schema: `cluster_${process.pid}_${counter}`, prefix: `cluster-${counter++}` };
  const survivor = await startNode("b", shared);
  await survivor.kit.createRoom({ roomId: "call-k" });
  const child = Bun.spawn([process.execPath, join(import.meta.dir, "test-support/doomed-node.ts")], {
    env: {
      ...process.env,
      DATABASE_URL: postgres.url,
      REDIS_URL: redis.url,
      SCHEMA: shared.schema,
      PREFIX: shared.prefix,
      ROOM_ID: "call-k",
      SESSION_ID: "s-doomed",
    },
    stdout: "pipe",
    stderr: "pipe",
  });
  cleanups.push(async () => {
    child.kill("SIGKILL");
    await child.exited;
  });
  const reader = (child.stdout as ReadableStream<Uint8Array>).getReader();
  let printed = "";
  while (!printed.includes("ready")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the node process exited early: ${await new Response(child.stderr).text()}`);
    printed += new TextDecoder().decode(value);
  }
  expect((await survivor.node.locate("s-doomed"))?.nodeId).toBe("doomed");
  child.kill("SIGKILL");
  await child.exited;
  await waitFor(async () => markers(await survivor.kit.getTimeline("call-k")).length === 2, { timeoutMs: 10_000 });
  const timeline = await survivor.kit.getTimeline("call-k");
  expect(markers(timeline)).toEqual(["voice_session_live", "voice_session_ended"]);
  expect(texts(timeline)).toEqual(["stored before kill -9"]);
  expect(await survivor.node.locate("s-doomed")).toBeUndefined();
});
