// Run by pulse-driver.node.test.ts under Node 22/24 (node --conditions=bun with scripts/node-test/register.mjs):
// the same LocalAudioBackend, on node:child_process, plays a tone into the test's private PulseAudio daemon and hears
// it back on the sink monitor. Prints one JSON line; the Bun test asserts on it.
import { VoiceSession } from "@roomkit/spec";
import { LocalAudioBackend, type LocalPlayedAudio } from "../local-audio-transport.ts";
import { toneCameBack } from "./loopback.ts";

const server = process.argv[2]!;
const rate = Number(process.argv[3]);
const transport = new LocalAudioBackend({
  sampleRate: rate,
  driver: "pulse",
  pulseServer: server,
  outputDevice: "rk_test",
  inputDevice: "rk_test.monitor",
  muteMicDuringPlayback: false,
});
const session = new VoiceSession({ id: "node-1", roomId: "room", participantId: "me", channelId: "voice" });
const heard: number[] = [];
let playedBytes = 0;
let playbackEnded = 0;
transport.onAudioReceived((_session, audio) => {
  const bytes = audio instanceof Uint8Array ? audio : audio.data;
  const samples = new Int16Array(bytes.slice().buffer);
  for (const sample of samples) if (Math.abs(sample) >= 1000) heard.push(sample);
});
transport.onAudioPlayed((_session, block) => {
  const played = block as LocalPlayedAudio;
  playedBytes += played.playedBytes;
  if (played.playbackEnded) playbackEnded++;
});
await transport.accept(session, null);
const pids = [...transport.helperPids];
await new Promise((resolve) => setTimeout(resolve, 100));
const tone = new Int16Array(Math.round(rate * 0.3));
for (let index = 0; index < tone.length; index++) tone[index] = 1000 + (index % 30000);
transport.sendAudio(session, new Uint8Array(tone.buffer));
transport.endOfResponse(session);
await new Promise((resolve) => setTimeout(resolve, 800));
const deviceUnderruns = transport.deviceUnderruns;
const failure = toneCameBack(Int16Array.from(heard), tone, deviceUnderruns);
await transport.close();
const alive = pids.filter((pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
});
console.log(
  JSON.stringify({
    runtime: process.version,
    helpers: pids.length,
    failure: failure ?? null,
    deviceUnderruns,
    playedBytes,
    toneBytes: tone.byteLength,
    playbackEnded,
    alive: alive.length,
  }),
);
