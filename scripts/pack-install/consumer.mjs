// A plain-JavaScript consumer of the published packages (no TypeScript, no Bun APIs), run by pack-install-test.ts
// under Node 22, Node 24 and Bun in a fresh project: fake model server → provider → channel (SQLite store) ⇄
// WebSocket transport on a `ws` server ⇄ a WebSocket client streaming speech-like audio.
// Usage: node consumer.mjs openai|gemini
import { RoomKit, SqliteConversationStore } from "@roomkit/core";
import { RealtimeVoiceChannel } from "@roomkit/realtime-channel";
import { silentLogger } from "@roomkit/spec";
import { attachWsServer, WebSocketRealtimeTransport } from "@roomkit/transport-ws";
import { WebSocket, WebSocketServer } from "ws";

const which = process.argv[2] ?? "openai";
const { callerAudioFrames } = await import("@roomkit/testing/fakes/gemini");
let fake;
let provider;
if (which === "openai") {
  const { createOpenAIRealtimeFake } = await import("@roomkit/testing/fakes/openai");
  const { OpenAIRealtimeProvider } = await import("@roomkit/provider-openai");
  fake = await createOpenAIRealtimeFake({ speed: 4 });
  provider = new OpenAIRealtimeProvider({ apiKey: "sk-test", baseUrl: fake.baseUrl, logger: silentLogger });
} else {
  const { createGeminiLiveFake } = await import("@roomkit/testing/fakes/gemini");
  const { GeminiLiveProvider } = await import("@roomkit/provider-gemini");
  fake = await createGeminiLiveFake({ pace: 4, transcripts: ["hello from a fresh project"] });
  provider = new GeminiLiveProvider({ apiKey: "test-key", baseUrl: fake.baseUrl, logger: silentLogger });
}

const deadline = setTimeout(() => {
  console.error("FAIL: timed out");
  process.exit(1);
}, 20_000);
const until = async (label, condition) => {
  for (let i = 0; i < 1000; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${label}`);
};

const store = new SqliteConversationStore({ path: ":memory:" });
const kit = new RoomKit({ store, logger: silentLogger });
const transport = new WebSocketRealtimeTransport({ audioFormat: "binary", logger: silentLogger });
const channel = new RealtimeVoiceChannel("voice", {
  provider,
  transport,
  systemPrompt: "You are a helpful voice assistant.",
  inputSampleRate: 16000,
  outputSampleRate: 24000,
  logger: silentLogger,
});
kit.registerChannel(channel);
await kit.createRoom({ roomId: "room-1" });
await kit.attachChannel("room-1", "voice");

const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
await new Promise((resolve) => server.once("listening", resolve));
const sessions = [];
attachWsServer(server, {
  onConnection: async (connection) => sessions.push(await channel.startSession("room-1", "caller", { connection })),
});

const client = new WebSocket(`ws://127.0.0.1:${server.address().port}/ws`);
client.binaryType = "arraybuffer";
let audioBytes = 0;
client.on("message", (data, isBinary) => {
  if (isBinary) audioBytes += data.byteLength;
});
await new Promise((resolve, reject) => {
  client.once("open", resolve);
  client.once("error", reject);
});
await until("session", () => sessions.length === 1);
for (const frame of callerAudioFrames({ durationMs: 600 })) client.send(frame);
for (const frame of callerAudioFrames({ durationMs: 900, silent: true })) client.send(frame);

const userTexts = async () =>
  (await kit.getTimeline("room-1", { limit: 100 })).filter(
    (event) => event.content.type === "text" && event.metadata?.role === "user",
  );
await until("a user transcript in the timeline", async () => (await userTexts()).length > 0);
await until("assistant audio at the client", () => audioBytes > 0);

const transcript = (await userTexts())[0].content.body;
client.close();
await kit.close();
await transport.close();
await new Promise((resolve) => server.close(resolve));
await fake.close();
clearTimeout(deadline);
// A clean shutdown: nothing is left open, so the process exits by itself (the harness times it out otherwise).
const runtime = process.versions.bun ? `bun ${process.versions.bun}` : `node ${process.version}`;
console.log(`OK ${which} ${runtime} audioBytes=${audioBytes} transcript=${JSON.stringify(transcript)}`);
