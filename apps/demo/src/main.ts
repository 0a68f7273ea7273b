// `bun run demo` (root) → here. Options: --port N (or PORT), --host H, --provider openai|gemini|offline, --db path.
import { createConsoleLogger } from "@roomkit/spec";
import { parseDemoOptions } from "./cli-options.ts";
import { createDemoProvider } from "./demo-provider.ts";
import { providerServerOptions, startDemoServer } from "./demo-server.ts";

const options = parseDemoOptions(process.argv.slice(2), process.env);
const logger = createConsoleLogger({ name: "demo", level: "info" });
const demoProvider = await createDemoProvider(options.provider, logger);
const server = await startDemoServer({
  ...providerServerOptions(demoProvider),
  port: options.port,
  hostname: options.hostname,
  databasePath: options.databasePath,
  logger,
}).catch(async (error: unknown) => {
  await demoProvider.stop();
  if ((error as { code?: string }).code === "EADDRINUSE") {
    console.error(`Port ${options.port} is in use: pass --port N (or PORT=N) to pick another one.`);
    process.exit(1);
  }
  throw error;
});
console.log(`RoomKit demo (${demoProvider.label}) on ${server.url}`);
console.log(`  timelines: ${options.databasePath} · GET ${server.url}/rooms/<room id>/timeline`);

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  await server.stop();
  await demoProvider.stop();
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
