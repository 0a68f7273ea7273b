export {};
// Load generator for bench/index.ts, run in its own process so its CPU is not counted as the server's.
// argv: url clients durationMs. Each client streams 640-byte frames (20 ms of 16 kHz PCM16) in real time; the first
// 8 bytes carry the send time (performance.timeOrigin + now); the echo's arrival gives the round trip.
const [url, clientsText, durationText] = process.argv.slice(2) as [string, string, string];
const clients = Number(clientsText);
const durationMs = Number(durationText);
const FRAME_BYTES = 640;
const FRAME_MS = 20;
const now = () => performance.timeOrigin + performance.now();

const latencies: number[] = [];
let received = 0;
let sent = 0;
let started = 0;
let warmupUntil = Number.POSITIVE_INFINITY;
const sockets: WebSocket[] = [];

await Promise.all(
  Array.from({ length: clients }, async () => {
    const socket = new WebSocket(url);
    socket.binaryType = "arraybuffer";
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => resolve(), 15000);
      socket.addEventListener("message", function onStart(event) {
        if (typeof event.data === "string" && event.data.includes("session_started")) {
          started++;
          clearTimeout(timer);
          socket.removeEventListener("message", onStart);
          resolve();
        }
      });
      socket.addEventListener("error", () => reject(new Error("connect failed")), { once: true });
    });
    socket.addEventListener("message", (event) => {
      if (typeof event.data === "string") return;
      const view = new DataView(event.data as ArrayBuffer);
      if (view.byteLength < 8) return;
      const sentAt = view.getFloat64(0, true);
      // The first second is warm-up (sessions settling, JIT): not counted in the percentiles.
      if (sentAt >= warmupUntil) latencies.push(now() - sentAt);
      received++;
    });
  }),
);

// Real-time pacing on an absolute schedule; clients are spread over the 20 ms period (no bursts).
const frame = new Uint8Array(FRAME_BYTES);
const frameView = new DataView(frame.buffer);
for (let index = 8; index < FRAME_BYTES; index++) frame[index] = (index * 13) & 0xff;
const startAt = performance.now() + 50;
const cpuBefore = process.cpuUsage();
warmupUntil = performance.timeOrigin + startAt + 1000;
const framesPerClient = Math.floor(durationMs / FRAME_MS);
const nextFrame = new Array<number>(clients).fill(0);
const tickMs = 2;
await new Promise<void>((resolve) => {
  const timer = setInterval(() => {
    const elapsed = performance.now() - startAt;
    let done = true;
    for (let client = 0; client < clients; client++) {
      const offset = (client * FRAME_MS) / clients;
      while (nextFrame[client]! < framesPerClient && nextFrame[client]! * FRAME_MS + offset <= elapsed) {
        frameView.setFloat64(0, now(), true);
        sockets[client]!.send(frame);
        nextFrame[client]!++;
        sent++;
      }
      if (nextFrame[client]! < framesPerClient) done = false;
    }
    if (done) {
      clearInterval(timer);
      resolve();
    }
  }, tickMs);
});
const deadline = performance.now() + 3000;
while (received < sent && performance.now() < deadline) await Bun.sleep(10);
const cpu = process.cpuUsage(cpuBefore);
const loadGeneratorCpuPercent = Number(
  (((cpu.user + cpu.system) / 1000 / (performance.now() - startAt)) * 100).toFixed(1),
);
for (const socket of sockets) socket.close();
latencies.sort((a, b) => a - b);
const pick = (q: number) =>
  latencies.length === 0 ? null : Number(latencies[Math.floor(q * (latencies.length - 1))]!.toFixed(2));
console.log(
  JSON.stringify({
    clients,
    started,
    sent,
    received,
    p50: pick(0.5),
    p99: pick(0.99),
    max: pick(1),
    loadGeneratorCpuPercent,
  }),
);
process.exit(0);
