// Soak load generator (its own process), started by soak.ts. argv: url sessions seed. Keeps `sessions` WebSocket
// calls up at all times: each call lasts 3–15 s (seeded), streams a 640 B frame (20 ms of 16 kHz PCM16) every 20 ms
// and hangs up; a new call replaces it at once. stdin "stats" prints one JSON line of totals; "stop" hangs up all
// calls, prints the totals and exits.
const [url, sessionsText, seedText] = process.argv.slice(2) as [string, string, string];
const target = Number(sessionsText);
let seed = Number(seedText) >>> 0 || 1;
/** xorshift32: the same call lengths on every run with the same seed. */
const random = () => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 0x1_0000_0000;
};

const totals = { callsStarted: 0, callsEnded: 0, callsFailed: 0, framesSent: 0, framesReceived: 0, textMessages: 0 };
const live = new Set<{ socket: WebSocket; endsAt: number }>();
const frame = new Uint8Array(640).map((_, index) => (index * 13) & 0xff);
let stopping = false;

function startCall(): void {
  const socket = new WebSocket(url);
  socket.binaryType = "arraybuffer";
  const call = { socket, endsAt: Number.POSITIVE_INFINITY };
  live.add(call);
  totals.callsStarted++;
  socket.addEventListener("message", (event) => {
    if (typeof event.data !== "string") {
      totals.framesReceived++;
      return;
    }
    totals.textMessages++;
    if (call.endsAt === Number.POSITIVE_INFINITY && event.data.includes("session_started")) {
      call.endsAt = performance.now() + 3000 + random() * 12_000;
    }
  });
  let failed = false;
  socket.addEventListener("error", () => {
    failed = true;
    totals.callsFailed++;
  });
  socket.addEventListener("close", () => {
    if (!live.delete(call)) return;
    totals.callsEnded++;
    // A failed call is retried after 1 s, so a dead server does not turn this into a busy loop.
    if (!stopping) setTimeout(startCall, failed ? 1000 : 0);
  });
}

for (let index = 0; index < target; index++) startCall();
const pacer = setInterval(() => {
  const now = performance.now();
  for (const call of live) {
    if (call.socket.readyState !== WebSocket.OPEN || call.endsAt === Number.POSITIVE_INFINITY) continue;
    if (now >= call.endsAt) {
      call.socket.close(1000, "call over");
      continue;
    }
    call.socket.send(frame);
    totals.framesSent++;
  }
}, 20);

for await (const line of console) {
  if (line === "stats") console.log(JSON.stringify({ ...totals, live: live.size }));
  if (line === "stop") break;
}
stopping = true;
clearInterval(pacer);
for (const call of live) call.socket.close(1000, "soak over");
await Bun.sleep(500);
console.log(JSON.stringify({ ...totals, live: live.size }));
process.exit(0);
export {};
