// Runs the OpenAI Realtime fake in its own process for the benchmark, so the client process measures only itself.
// Prints {"url": "..."} on stdout; exits when stdin closes. Replies are `frames` deltas of 20 ms ("flush": one).
import { createOpenAIRealtimeFake } from "@roomkit/testing";

const receiveFrames = Number(process.argv[2] ?? 20000);
const fake = await createOpenAIRealtimeFake({
  speed: "instant",
  chunkMs: 20,
  recordAudio: false,
  // "flush" (end of a send run) gets a 20 ms reply so send runs measure sending only.
  brain: (turn) => (turn.text === "flush" ? { say: "ok", audioMs: 20 } : { say: "bench", audioMs: receiveFrames * 20 }),
});
process.stdout.write(`${JSON.stringify({ url: fake.url })}\n`);
for await (const _chunk of Bun.stdin.stream()) {
  // keep running until the parent closes stdin
}
await fake.close();
process.exit(0);
