// Two nodes behind one port, on a private PostgreSQL and Redis, with the OpenAI fake: a call lands on one node, text
// is injected through the other, and either node serves the same timeline.
import { afterAll, expect, test } from "bun:test";
import { OpenAIRealtimeProvider } from "@roomkit/provider-openai";
import { silentLogger } from "@roomkit/spec";
import { createOpenAIRealtimeFake, waitFor } from "@roomkit/testing";
import { startPostgresServer } from "../../../packages/store-postgres/src/test-support/postgres-server.ts";
import { startRedisServer } from "../../../packages/bus-redis/src/test-support/redis-server.ts";
import { startFrontProxy } from "./front-proxy.ts";
import { startNodeServer } from "./node-server.ts";

const postgres = await startPostgresServer();
const redis = await startRedisServer();
const fake = await createOpenAIRealtimeFake({ speed: 8 });
const provider = () => new OpenAIRealtimeProvider({ apiKey: "sk-test", baseUrl: fake.baseUrl, logger: silentLogger });
const nodes = [
  await startNodeServer({
    nodeId: "node-a",
    databaseUrl: postgres.url,
    redisUrl: redis.url,
    provider: provider(),
    logger: silentLogger,
  }),
  await startNodeServer({
    nodeId: "node-b",
    databaseUrl: postgres.url,
    redisUrl: redis.url,
    provider: provider(),
    logger: silentLogger,
  }),
];
const front = startFrontProxy({ upstreams: nodes.map((node) => node.url) });
afterAll(async () => {
  front.stop();
  for (const node of nodes) await node.stop();
  await fake.close();
  await redis.stop();
  postgres.stop();
});

test("a call through the front port lands on one node; text injected through the other reaches it", async () => {
  const served = [];
  for (let i = 0; i < 2; i++)
    served.push(((await (await fetch(`${front.url}/health`)).json()) as { nodeId: string }).nodeId);
  expect(served.sort()).toEqual(["node-a", "node-b"]); // round robin

  const socket = new WebSocket(`${front.url.replace("http", "ws")}/ws?room=call-1`);
  const messages: Array<{ type: string; session_id?: string }> = [];
  socket.onmessage = (event) => {
    if (typeof event.data === "string") messages.push(JSON.parse(event.data));
  };
  await waitFor(() => messages.some((message) => message.type === "session_started"), { timeoutMs: 10_000 });
  const sessionId = messages.find((message) => message.type === "session_started")?.session_id as string;
  const record = await nodes[0]?.cluster.locate(sessionId);
  expect(["node-a", "node-b"]).toContain(record?.nodeId as string);
  const other = nodes.find((node) => node.nodeId !== record?.nodeId);

  // Straight to the node that does not own the call: it routes the text to the owner.
  const response = await fetch(`${other?.url}/sessions/${sessionId}/text`, {
    method: "POST",
    body: JSON.stringify({ text: "Please confirm my order number." }),
  });
  expect(response.status).toBe(202);
  expect(((await response.json()) as { via: string }).via).toBe(other?.nodeId as string);
  await waitFor(() => JSON.stringify(fake.received).includes("Please confirm my order number."), { timeoutMs: 10_000 });

  // Both nodes serve the same shared timeline.
  const timelineFrom = async (url: string) =>
    ((await (await fetch(`${url}/rooms/call-1/timeline`)).json()) as { events: Array<{ id: string }> }).events.map(
      (event) => event.id,
    );
  await waitFor(async () => (await timelineFrom(nodes[0]?.url as string)).length > 0, { timeoutMs: 10_000 });
  expect(await timelineFrom(nodes[0]?.url as string)).toEqual(await timelineFrom(nodes[1]?.url as string));

  // An unknown session is a 404 from either node.
  expect((await fetch(`${front.url}/sessions/nope/text`, { method: "POST", body: '{"text":"x"}' })).status).toBe(404);
  socket.close();
});
