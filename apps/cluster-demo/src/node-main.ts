// One cluster node as its own process (main.ts starts two): NODE_ID, PORT, DATABASE_URL, REDIS_URL; with
// OPENAI_API_KEY the calls go to OpenAI Realtime, without it to an in-process OpenAI fake (offline).
import { OpenAIRealtimeProvider } from "@roomkit/provider-openai";
import { createConsoleLogger } from "@roomkit/spec";
import { createOpenAIRealtimeFake } from "@roomkit/testing";
import { startNodeServer } from "./node-server.ts";

const nodeId = process.env.NODE_ID ?? "node-1";
const logger = createConsoleLogger({ name: nodeId, level: "info" });
const databaseUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;
if (!databaseUrl || !redisUrl) {
  console.error("cluster-demo node: set DATABASE_URL and REDIS_URL");
  process.exit(2);
}
const fake = process.env.OPENAI_API_KEY ? undefined : await createOpenAIRealtimeFake({ speed: 4 });
const provider = fake
  ? new OpenAIRealtimeProvider({ apiKey: "sk-offline", baseUrl: fake.baseUrl, logger })
  : new OpenAIRealtimeProvider({ logger });
const server = await startNodeServer({
  nodeId,
  port: Number(process.env.PORT ?? 0),
  databaseUrl,
  redisUrl,
  provider,
  logger,
});
console.log(JSON.stringify({ nodeId, url: server.url }));

const shutdown = async () => {
  await server.stop();
  await fake?.close();
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
