// Load generator for bench/index.ts, in its own process. argv: urls (comma-separated) sessionsPerUrl durationMs.
// Every caller streams 640-byte frames (20 ms of 16 kHz PCM16) paced in real time on an absolute schedule, callers
// spread over the 20 ms period: 1 s of a 440 Hz tone (a turn for the fake's VAD) then 2 s of silence, repeating,
// each caller at its own phase. Counts the reply frames that come back. Prints one JSON line.
const [urlsText, perUrlText, durationText] = process.argv.slice(2) as [string, string, string];
const urls = urlsText.split(",");
const perUrl = Number(perUrlText);
const durationMs = Number(durationText);
const FRAME_MS = 20;
const SAMPLES = 320;
const CYCLE_FRAMES = 150;
const TONE_FRAMES = 50;

const toneRing = Array.from({ length: 50 }, (_, frame) => {
  const samples = new Int16Array(SAMPLES);
  for (let index = 0; index < SAMPLES; index++) {
    samples[index] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * (frame * SAMPLES + index)) / 16000));
  }
  return new Uint8Array(samples.buffer as ArrayBuffer);
});
const silence: Uint8Array<ArrayBuffer> = new Uint8Array(SAMPLES * 2);

let received = 0;
let sent = 0;
let started = 0;
const sockets: WebSocket[] = [];
const total = urls.length * perUrl;
await Promise.all(
  Array.from({ length: total }, async (_, index) => {
    // round robin across the nodes, as the front proxy does for new connections
    const socket = new WebSocket(urls[index % urls.length] as string);
    socket.binaryType = "arraybuffer";
    sockets.push(socket);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 30_000);
      socket.addEventListener("message", function onStart(event) {
        if (typeof event.data === "string" && event.data.includes("session_started")) {
          started++;
          clearTimeout(timer);
          socket.removeEventListener("message", onStart);
          resolve();
        }
      });
      socket.addEventListener("error", () => resolve(), { once: true });
    });
    socket.addEventListener("message", (event) => {
      if (typeof event.data !== "string") received++;
    });
  }),
);
process.stdout.write(`${JSON.stringify({ live: started })}\n`);
// Let the nodes take their "all live" reading before the stream starts.
await Bun.sleep(500);

const startAt = performance.now() + 50;
const framesPerClient = Math.floor(durationMs / FRAME_MS);
const nextFrame = new Array<number>(sockets.length).fill(0);
await new Promise<void>((resolve) => {
  const timer = setInterval(() => {
    const elapsed = performance.now() - startAt;
    let done = true;
    for (let client = 0; client < sockets.length; client++) {
      const offset = (client * FRAME_MS) / sockets.length;
      const socket = sockets[client] as WebSocket;
      while (
        (nextFrame[client] as number) < framesPerClient &&
        (nextFrame[client] as number) * FRAME_MS + offset <= elapsed
      ) {
        const frame = nextFrame[client] as number;
        const phase = (frame + client * 7) % CYCLE_FRAMES;
        if (socket.readyState === WebSocket.OPEN) {
          socket.send(phase < TONE_FRAMES ? (toneRing[frame % toneRing.length] as Uint8Array<ArrayBuffer>) : silence);
          sent++;
        }
        nextFrame[client] = frame + 1;
      }
      if ((nextFrame[client] as number) < framesPerClient) done = false;
    }
    if (done) {
      clearInterval(timer);
      resolve();
    }
  }, 2);
});
const lateness = performance.now() - startAt - durationMs;
process.stdout.write(
  `${JSON.stringify({ sessions: total, started, sent, received, finishedLateMs: Math.round(lateness) })}\n`,
);
// The calls stay up until the parent has read the nodes' figures and kills this process.
setInterval(() => {}, 1_000);
export {};
