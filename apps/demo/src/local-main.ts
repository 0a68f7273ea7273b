// `bun run demo:local` (root) → here: talk to the agent through this machine's microphone and speakers
// (@roomkit/transport-local), with a live transcript in the terminal. Provider: --provider openai|gemini|offline,
// else OpenAI/Gemini when their key is set, else the offline echo fake. Use headphones, or keep the default
// half-duplex mute (the mic is dropped while the agent speaks).
import { RoomKit } from "@roomkit/core";
import { RealtimeVoiceChannel } from "@roomkit/realtime-channel";
import { createConsoleLogger, HookTrigger, type RealtimeTranscriptionEvent } from "@roomkit/spec";
import { LocalAudioBackend } from "@roomkit/transport-local";
import { parseDemoOptions } from "./cli-options.ts";
import { createDemoProvider } from "./demo-provider.ts";
import { DEMO_TOOLS, runDemoTool } from "./demo-tools.ts";

const options = parseDemoOptions(process.argv.slice(2), process.env);
const logger = createConsoleLogger({ name: "demo:local", level: "warn" });
const demoProvider = await createDemoProvider(options.provider, logger);
// A headset unplugged or the sound server restarted mid-call: keep the session and reopen the device when it is back.
const transport = new LocalAudioBackend({ sampleRate: 24000, channels: 1, onDeviceLost: "wait", logger });
const kit = new RoomKit({ logger });
const channel = new RealtimeVoiceChannel("voice", {
  provider: demoProvider.provider,
  transport,
  systemPrompt: "You are a friendly voice assistant in a demo. Be brief.",
  voice: demoProvider.voice,
  providerConfig: demoProvider.providerConfig,
  tools: DEMO_TOOLS,
  toolHandler: (_session, name, args) => runDemoTool(name, args),
  logger,
});
kit.registerChannel(channel);
kit.hook(
  HookTrigger.ON_TRANSCRIPTION,
  (event: RealtimeTranscriptionEvent) => {
    console.log(`${event.role === "user" ? "you  " : "agent"} │ ${event.text}`);
  },
  { execution: "async" },
);
await kit.createRoom({ roomId: "local" });
await kit.attachChannel("local", "voice");
try {
  await channel.startSession("local", "me", { connection: null });
} catch (error) {
  console.error(`Could not open the microphone/speakers: ${(error as Error).message}`);
  await demoProvider.stop();
  process.exit(1);
}
console.log(`RoomKit local demo (${demoProvider.label}): speak into the microphone, Ctrl+C to stop.`);
if (demoProvider.kind === "offline") console.log(demoProvider.mode);

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  await kit.close();
  await transport.close();
  await demoProvider.stop();
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
