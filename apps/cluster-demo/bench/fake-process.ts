// The OpenAI Realtime fake in its own process, so a node's CPU figure counts only the node. Prints {"url"} and runs
// until stdin closes. Every caller turn (server VAD on the caller's tone) gets a 400 ms spoken reply in 20 ms chunks,
// paced in real time; the caller's turn is transcribed, so each turn stores two transcriptions in the room.
import { createOpenAIRealtimeFake } from "@roomkit/testing";

const fake = await createOpenAIRealtimeFake({
  speed: 1,
  chunkMs: 20,
  recordAudio: false,
  maxRecordedEvents: 1_000,
  brain: () => ({ say: "ok", audioMs: 400 }),
});
process.stdout.write(`${JSON.stringify({ url: fake.baseUrl })}\n`);
for await (const _chunk of Bun.stdin.stream()) {
  // keep running until the parent closes stdin
}
await fake.close();
process.exit(0);
