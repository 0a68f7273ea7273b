// Benchmark: frames/s one connection can send (`input_audio_buffer.append` of 20 ms PCM16 at 24 kHz) and receive
// (`response.output_audio.delta` of 20 ms) through the OpenAI fake on loopback, and client CPU per frame; the same
// for @openai/agents-realtime's OpenAIRealtimeWebSocket in the same run. The fake runs in a child process so this
// process's CPU time is the client's alone. Prints one JSON object.
import { cpus, loadavg } from "node:os";
import { OpenAIRealtimeWebSocket } from "@openai/agents-realtime";
import { silentLogger, VoiceSession } from "@roomkit/spec";
import { OpenAIRealtimeProvider } from "../src/index.ts";

const SEND_FRAMES = Number(process.env.BENCH_SEND_FRAMES ?? 20000);
const RECEIVE_FRAMES = Number(process.env.BENCH_RECEIVE_FRAMES ?? 20000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const FRAME = new Uint8Array(960); // 20 ms of PCM16 silence at 24 kHz (the fake's VAD stays idle)
for (let index = 0; index < FRAME.length; index += 2) FRAME[index] = index & 0x0f;

interface Measure {
  frames: number;
  seconds: number;
  cpuMicros: number;
}

async function measure(run: () => Promise<number>): Promise<Measure> {
  Bun.gc(true); // start each run with a clean heap: the previous run's garbage is not billed to this one
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const frames = await run();
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return { frames, seconds, cpuMicros: cpu.user + cpu.system };
}

function summary(runs: Measure[]) {
  const perFrame = runs.map((run) => run.cpuMicros / run.frames).sort((a, b) => a - b);
  const rates = runs.map((run) => run.frames / run.seconds).sort((a, b) => a - b);
  const median = (values: number[]) => values[Math.floor(values.length / 2)]!;
  return {
    framesPerSecond: Math.round(median(rates)),
    cpuMicrosecondsPerFrame: Number(median(perFrame).toFixed(2)),
  };
}

function waitFor(register: (done: () => void) => void, timeoutMs = 120_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("benchmark step timed out")), timeoutMs);
    register(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

// ---- ours ----
async function ours(url: string) {
  const provider = new OpenAIRealtimeProvider({
    apiKey: "bench",
    baseUrl: url.replace(/\?.*$/, ""),
    logger: silentLogger,
  });
  const session = new VoiceSession({ id: "bench", roomId: "r", participantId: "p", channelId: "c" });
  let audio = 0;
  let responseStarted: (() => void) | undefined;
  let responseEnded: (() => void) | undefined;
  provider.onAudio(() => void audio++);
  provider.onResponseStart(() => responseStarted?.());
  provider.onResponseEnd(() => responseEnded?.());
  await provider.connect(session, { inputSampleRate: 24000, outputSampleRate: 24000, serverVad: true });
  const send = async (frames: number) => {
    const started = waitFor((done) => (responseStarted = done));
    for (let index = 0; index < frames; index++) provider.sendAudio(session, FRAME);
    await provider.injectText(session, "flush"); // answered only after the fake has read every append
    await started;
    await waitFor((done) => (responseEnded = done));
    return frames;
  };
  const receive = async () => {
    audio = 0;
    const ended = waitFor((done) => (responseEnded = done));
    await provider.injectText(session, "talk");
    await ended;
    return audio;
  };
  return { send, receive, close: () => provider.close() };
}

// ---- theirs: @openai/agents-realtime ----
async function theirs(url: string) {
  const client = new OpenAIRealtimeWebSocket({ url });
  let audio = 0;
  let created: (() => void) | undefined;
  let done: (() => void) | undefined;
  client.on("audio", () => void audio++);
  client.on("*", (event: { type: string }) => {
    if (event.type === "response.created") created?.();
    if (event.type === "response.done") done?.();
  });
  await client.connect({ apiKey: "bench", model: "gpt-realtime" });
  await Bun.sleep(50);
  const buffer = FRAME.slice().buffer;
  const send = async (frames: number) => {
    const started = waitFor((resolve) => (created = resolve));
    for (let index = 0; index < frames; index++) client.sendAudio(buffer);
    client.sendMessage("flush", {});
    await started;
    await waitFor((resolve) => (done = resolve));
    return frames;
  };
  const receive = async () => {
    audio = 0;
    const ended = waitFor((resolve) => (done = resolve));
    client.sendMessage("talk", {});
    await ended;
    return audio;
  };
  return { send, receive, close: async () => client.close() };
}

// ---- floor: a bare `ws` client that only counts messages (the socket layer both clients share) ----
async function floor(url: string) {
  const { WebSocket } = await import("ws");
  const socket = new WebSocket(url, { headers: { Authorization: "Bearer bench" } });
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = reject;
  });
  let count = 0;
  let done: (() => void) | undefined;
  socket.onmessage = (event) => {
    count++;
    if ((event.data as string).includes('"type":"response.done"')) done?.();
  };
  const receive = async () => {
    count = 0;
    const ended = waitFor((resolve) => (done = resolve));
    socket.send(
      JSON.stringify({
        type: "conversation.item.create",
        item: { type: "message", role: "user", content: [{ type: "input_text", text: "talk" }] },
      }),
    );
    socket.send(JSON.stringify({ type: "response.create" }));
    await ended;
    return count;
  };
  return { receive, close: async () => socket.close() };
}

const child = Bun.spawn(["bun", `${import.meta.dir}/fake-server.ts`, String(RECEIVE_FRAMES)], {
  stdin: "pipe",
  stdout: "pipe",
  stderr: "inherit",
});
const reader = child.stdout.getReader();
let firstLine = "";
while (!firstLine.includes("\n")) {
  const { value, done } = await reader.read();
  if (done) throw new Error("fake server exited");
  firstLine += new TextDecoder().decode(value);
}
const url = `${JSON.parse(firstLine.trim()).url}?model=gpt-realtime`;

try {
  const clients = { ours: await ours(url), theirs: await theirs(url) };
  const bare = await floor(url);
  const floorRuns: Measure[] = [];
  // Warm-up (JIT) on both, then alternate rounds.
  await clients.ours.send(2000);
  await clients.theirs.send(2000);
  const results = {
    ours: { send: [] as Measure[], receive: [] as Measure[] },
    theirs: { send: [] as Measure[], receive: [] as Measure[] },
  };
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of ["ours", "theirs"] as const) {
      results[name].send.push(await measure(() => clients[name].send(SEND_FRAMES)));
      results[name].receive.push(await measure(() => clients[name].receive()));
    }
  }
  for (let round = 0; round < ROUNDS; round++) floorRuns.push(await measure(() => bare.receive()));
  await bare.close();
  await clients.ours.close();
  await clients.theirs.close();
  const send = { ours: summary(results.ours.send), theirs: summary(results.theirs.send) };
  const receive = { ours: summary(results.ours.receive), theirs: summary(results.theirs.receive) };
  const ratio = (side: typeof send) =>
    Number((side.ours.cpuMicrosecondsPerFrame / side.theirs.cpuMicrosecondsPerFrame).toFixed(3));
  const output = {
    benchmark: "@roomkit/provider-openai loopback throughput vs @openai/agents-realtime",
    runtime: `bun ${Bun.version}`,
    machine: { cpus: cpus().length, loadAverage1m: Number(loadavg()[0]!.toFixed(2)), shared: true },
    frame: "20 ms PCM16 24 kHz (960 bytes; 1280 base64 chars)",
    rounds: ROUNDS,
    send: { frames: SEND_FRAMES, ...send, cpuRatio: ratio(send) },
    receive: { frames: RECEIVE_FRAMES, ...receive, cpuRatio: ratio(receive) },
    socketFloor: { receive: summary(floorRuns), what: "bare ws client counting messages, no parsing" },
    target: "ours cpuMicrosecondsPerFrame ≤ 0.5 × theirs",
    targetMet: ratio(send) <= 0.5 && ratio(receive) <= 0.5,
    note: "medians of the rounds; the fake runs in a child process; CPU is this process's user+system time",
  };
  process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
} finally {
  child.stdin.end();
  child.kill();
}
