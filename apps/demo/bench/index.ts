// Demo benchmark (offline mode, no browser): start-up cost and the turn latency a caller experiences.
// A WebSocket caller streams the test utterance in real time (20 ms frames), then silence; we time from the end of
// the speech to the first byte of the echoed reply. That includes the fake's 500 ms server-VAD silence window, as a
// real server-VAD turn would. Prints ONE JSON object. Env: BENCH_TURNS (default 5).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silentLogger } from "@roomkit/spec";
import { SPEECH_WAV } from "../src/browser-harness.ts";
import { createDemoProvider } from "../src/demo-provider.ts";
import { startDemoServer } from "../src/demo-server.ts";
import { buildWebAssets } from "../src/web-assets.ts";

const turns = Number(process.env.BENCH_TURNS ?? 5);
const directory = mkdtempSync(join(tmpdir(), "roomkit-demo-bench-"));

const bundleStart = performance.now();
await buildWebAssets();
const bundleMs = performance.now() - bundleStart;

const startAt = performance.now();
const offline = await createDemoProvider("offline", silentLogger);
const demo = await startDemoServer({
  provider: offline.provider,
  providerKind: offline.kind,
  label: offline.label,
  mode: offline.mode,
  port: 0,
  hostname: "127.0.0.1",
  databasePath: join(directory, "demo.sqlite"),
  logger: silentLogger,
});
const startupMs = performance.now() - startAt;

const wav = readFileSync(SPEECH_WAV);
const pcm = new Uint8Array(wav.buffer as ArrayBuffer, wav.byteOffset + 44, wav.byteLength - 44);
const speechBytes = Math.floor((1.1 * 16000 * 2) / 640) * 640; // the voiced part of the fixture (~1.1 s)
const silence = new Uint8Array(640);

const socket = new WebSocket(`${demo.url.replace("http", "ws")}/ws?room=bench`);
socket.binaryType = "arraybuffer";
let firstAudioAt = 0;
let sessionStartedAt = 0;
const connectAt = performance.now();
socket.addEventListener("message", (event) => {
  if (typeof event.data === "string") {
    if (event.data.includes('"session_started"')) sessionStartedAt = performance.now();
  } else if (firstAudioAt === 0) {
    firstAudioAt = performance.now();
  }
});
const deadline = performance.now() + 10_000;
while (sessionStartedAt === 0 && performance.now() < deadline) await Bun.sleep(5);
const sessionStartMs = sessionStartedAt - connectAt;

async function paced(frames: Uint8Array<ArrayBuffer>[], frameMs = 20): Promise<number> {
  const start = performance.now();
  for (let index = 0; index < frames.length; index++) {
    socket.send(frames[index]!);
    const wait = start + (index + 1) * frameMs - performance.now();
    if (wait > 0) await Bun.sleep(wait);
  }
  return performance.now();
}

const latencies: number[] = [];
for (let turn = 0; turn < turns; turn++) {
  firstAudioAt = 0;
  const speech: Uint8Array<ArrayBuffer>[] = [];
  for (let offset = 0; offset + 640 <= speechBytes; offset += 640) speech.push(pcm.subarray(offset, offset + 640));
  const speechEnd = await paced(speech);
  // Silence until the reply starts (bounded), then 1.5 s more so the echo finishes before the next turn.
  for (let index = 0; index < 150 && firstAudioAt === 0; index++) await paced([silence]);
  if (firstAudioAt !== 0) latencies.push(firstAudioAt - speechEnd);
  await paced(Array.from({ length: 75 }, () => silence));
}
socket.close();
await demo.stop();
await offline.stop();
rmSync(directory, { recursive: true, force: true });

latencies.sort((a, b) => a - b);
const round = (value: number) => Number(value.toFixed(1));
console.log(
  JSON.stringify(
    {
      benchmark: "demo (offline mode): start-up and end-of-speech → first reply audio over a WebSocket caller",
      machine: { cores: navigator.hardwareConcurrency, bun: Bun.version, note: "shared 2-core machine" },
      bundleMs: round(bundleMs),
      serverStartupMs: round(startupMs),
      sessionStartMs: round(sessionStartMs),
      turns,
      repliesHeard: latencies.length,
      endOfSpeechToFirstAudioMs: {
        min: latencies.length ? round(latencies[0]!) : null,
        median: latencies.length ? round(latencies[Math.floor((latencies.length - 1) / 2)]!) : null,
        max: latencies.length ? round(latencies.at(-1)!) : null,
        includes: "the fake's server-VAD silence window (500 ms) and 20 ms frame pacing",
      },
    },
    null,
    2,
  ),
);
process.exit(0);
