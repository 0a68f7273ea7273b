// `bun run start` in apps/cluster-demo: two RoomKit nodes (two processes) behind one port.
//   DATABASE_URL=postgres://… REDIS_URL=redis://… bun run start [--port 3000]
//   bun run start --local        (starts a private PostgreSQL and Redis in temp directories; needs both installed:
//                                 packages/store-postgres/scripts/setup-test-env.sh, packages/bus-redis/scripts/…)
// Then: connect WebSockets to ws://127.0.0.1:3000/ws?room=<id> (round robin across the nodes), inject text into a
// call from either node with POST /sessions/<session id>/text {"text": "..."}, read GET /rooms/<id>/timeline.
import { type Subprocess, spawn } from "bun";
import { join } from "node:path";
import { startFrontProxy } from "./front-proxy.ts";

const args = process.argv.slice(2);
const portIndex = args.indexOf("--port");
const port = portIndex >= 0 ? Number(args[portIndex + 1]) : Number(process.env.PORT ?? 3000);
const cleanups: Array<() => unknown> = [];

let databaseUrl = process.env.DATABASE_URL;
let redisUrl = process.env.REDIS_URL;
if (args.includes("--local")) {
  const { startPostgresServer } = await import("../../../packages/store-postgres/src/test-support/postgres-server.ts");
  const { startRedisServer } = await import("../../../packages/bus-redis/src/test-support/redis-server.ts");
  const postgres = await startPostgresServer();
  const redis = await startRedisServer();
  cleanups.push(
    () => postgres.stop(),
    () => redis.stop(),
  );
  databaseUrl = postgres.url;
  redisUrl = redis.url;
}
if (!databaseUrl || !redisUrl) {
  console.error("cluster-demo: set DATABASE_URL and REDIS_URL, or pass --local");
  process.exit(2);
}

async function startNode(nodeId: string): Promise<{ url: string; child: Subprocess }> {
  const child = spawn([process.execPath, join(import.meta.dir, "node-main.ts")], {
    env: { ...process.env, NODE_ID: nodeId, PORT: "0", DATABASE_URL: databaseUrl, REDIS_URL: redisUrl },
    stdout: "pipe",
    stderr: "inherit",
  });
  const reader = (child.stdout as ReadableStream<Uint8Array>).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`node ${nodeId} exited before it started`);
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  return { url: (JSON.parse(text.split("\n")[0] as string) as { url: string }).url, child };
}

const nodes = [await startNode("node-a"), await startNode("node-b")];
cleanups.unshift(
  ...nodes.map(
    ({ child }) =>
      () =>
        child.kill("SIGTERM"),
  ),
);
const front = startFrontProxy({ port, upstreams: nodes.map((node) => node.url) });
console.log(`RoomKit cluster demo on ${front.url} → ${nodes.map((node) => node.url).join(", ")}`);

const shutdown = async () => {
  front.stop();
  for (const cleanup of cleanups) await cleanup();
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
