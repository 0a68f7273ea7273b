import { VoiceSession } from "@roomkit/spec";
import { LocalAudioBackend, type LocalPlayedAudio } from "../local-audio-transport.ts";
import type { LocalAudioOptions } from "../local-audio-options.ts";
import type { PulseDaemon } from "./pulse-daemon.ts";

let counter = 0;

/** Every transport `loopback` opened; `closeOpenTransports()` after each test, whatever failed. */
export const openTransports = new Set<LocalAudioBackend>();
export async function closeOpenTransports(): Promise<void> {
  const all = [...openTransports];
  openTransports.clear();
  await Promise.all(all.map((transport) => transport.close()));
}
export function realSession(): VoiceSession {
  counter++;
  return new VoiceSession({ id: `real-${counter}`, roomId: "room", participantId: "me", channelId: "voice" });
}

/** A ramp whose samples encode their index (never 0, |x| ≥ 1000): where each sample lands is recoverable. */
export function rampTone(samples: number, start = 0): Int16Array {
  const out = new Int16Array(samples);
  for (let index = 0; index < samples; index++) out[index] = 1000 + ((start + index) % 30000);
  return out;
}

export interface MicBlock {
  at: number;
  samples: Int16Array;
}

/** A transport on the private daemon: speaker `rk_test`, microphone `rk_test.monitor`; records everything. */
export async function loopback(daemon: PulseDaemon, options: LocalAudioOptions = {}) {
  const transport = new LocalAudioBackend({
    sampleRate: daemon.rate,
    driver: "pulse",
    pulseServer: daemon.server,
    outputDevice: "rk_test",
    inputDevice: "rk_test.monitor",
    ...options,
  });
  openTransports.add(transport);
  const mic: MicBlock[] = [];
  const played: Array<{ at: number; played: LocalPlayedAudio }> = [];
  transport.onAudioReceived((_session, audio) => {
    const bytes = audio instanceof Uint8Array ? audio : audio.data;
    mic.push({ at: performance.now(), samples: new Int16Array(bytes.slice().buffer) });
  });
  transport.onAudioPlayed(
    (_session, block) => void played.push({ at: performance.now(), played: block as LocalPlayedAudio }),
  );
  const session = realSession();
  await transport.accept(session, null);
  return { transport, session, mic, played };
}

export function concat(blocks: readonly MicBlock[]): Int16Array {
  const total = blocks.reduce((sum, block) => sum + block.samples.length, 0);
  const out = new Int16Array(total);
  let offset = 0;
  for (const block of blocks) {
    out.set(block.samples, offset);
    offset += block.samples.length;
  }
  return out;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Child processes of this process (pid, command), from ps. */
export async function childProcesses(): Promise<Array<{ pid: number; command: string }>> {
  const { execFileSync } = await import("node:child_process");
  const text = execFileSync("ps", ["-o", "pid=,comm=", "--ppid", String(process.pid)], { encoding: "utf8" });
  return text
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter((parts) => parts.length === 2)
    .map(([pid, command]) => ({ pid: Number(pid), command: command! }));
}

/**
 * The tone came back: bit-exact and contiguous when the device never ran dry; after a device underrun (a loaded
 * machine: PulseAudio drops what arrives late, ALSA inserts silence) every sample heard is still the tone's, in
 * order, and at most `lostBlocks` blocks of 20 ms per underrun are missing. Returns a description of what failed.
 */
export function toneCameBack(heard: Int16Array, tone: Int16Array, deviceUnderruns: number): string | undefined {
  if (deviceUnderruns === 0) {
    const start = heard.indexOf(tone[0]!);
    if (start < 0) return "the tone's first sample never arrived";
    for (let index = 0; index < tone.length; index++) {
      if (heard[start + index] !== tone[index]) return `sample ${index}: ${heard[start + index]} ≠ ${tone[index]}`;
    }
    return undefined;
  }
  const loud = [...heard].filter((sample) => sample >= 1000);
  let position = 0;
  for (const sample of loud) {
    while (position < tone.length && tone[position] !== sample) position++;
    if (position === tone.length) return `a sample heard (${sample}) is not the tone's next one`;
    position++;
  }
  const allowed = deviceUnderruns * 2 * 480;
  if (loud.length < tone.length - allowed)
    return `${tone.length - loud.length} samples lost in ${deviceUnderruns} underruns`;
  return undefined;
}
