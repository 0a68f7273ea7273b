import type { AudioDriver, AudioInput, AudioStreamOptions } from "./audio-driver.ts";
import { HelperProcess, type ToolHints } from "./helper-process.ts";
import { Reblocker } from "./reblocker.ts";

const HINTS: ToolHints = {
  debianPackage: "alsa-utils",
  explain(stderr) {
    if (/No such file or directory|No such device|cannot find card/i.test(stderr)) {
      return "no such ALSA device: list them with `aplay -L`";
    }
    if (/Device or resource busy/i.test(stderr))
      return "the ALSA device is busy: use the `default` (dmix/pulse) device";
    return undefined;
  },
};

/** aplay/arecord arguments: raw S16_LE, rate, channels, a buffer of `latencyMs` in 4 periods, the PCM name. */
export function alsaToolArgs(options: AudioStreamOptions): string[] {
  const bufferUs = Math.max(1000, Math.round(options.latencyMs * 1000));
  return [
    "-q",
    "-t",
    "raw",
    "-f",
    "S16_LE",
    "-r",
    String(options.sampleRate),
    "-c",
    String(options.channels),
    `--buffer-time=${bufferUs}`,
    `--period-time=${Math.round(bufferUs / 4)}`,
    "-D",
    options.device === undefined ? "default" : String(options.device),
  ];
}

/**
 * ALSA through `aplay`/`arecord` (alsa-utils), the fallback when no PulseAudio tools are installed. `aplay` prints
 * no playback position, so the speaker is paced by the wall clock, `leadMs` ahead; the device buffer
 * (`latencyMs`) absorbs the jitter. Bit-exact through a real card or ALSA's pulse plugin.
 */
export function createAlsaDriver(): AudioDriver {
  return {
    name: "alsa",
    async openOutput(options, render, onError) {
      const blockBytes = options.blockFrames * options.channels * 2;
      const blockMs = (options.blockFrames * 1000) / options.sampleRate;
      const aplay = new HelperProcess("aplay", alsaToolArgs(options), HINTS, undefined);
      await aplay.ready;
      const startedAt = performance.now();
      let writtenBlocks = 0;
      const playedMs = () => performance.now() - startedAt;
      const pump = () => {
        // A stalled loop catches up by at most a second of blocks; the rest is skipped (no backlog builds up).
        const behind = playedMs() + options.leadMs - writtenBlocks * blockMs;
        if (behind > 1000) writtenBlocks += Math.floor((behind - options.leadMs) / blockMs);
        for (let count = 0; count < 50 && writtenBlocks * blockMs < playedMs() + options.leadMs; count++) {
          const block = new Uint8Array(blockBytes);
          render(block);
          writtenBlocks++;
          aplay.child.stdin?.write(block);
        }
      };
      pump();
      const timer = setInterval(pump, Math.max(1, blockMs / 4));
      let closed = false;
      aplay.onExit((error) => {
        clearInterval(timer);
        if (!closed) onError(error);
      });
      return {
        pids: aplay.pid === undefined ? [] : [aplay.pid],
        queuedAheadMs: () => Math.max(0, writtenBlocks * blockMs - playedMs()) + options.latencyMs,
        async close() {
          closed = true;
          clearInterval(timer);
          await aplay.close();
        },
      };
    },
    async openInput(options, onBlock, onError) {
      const blockBytes = options.blockFrames * options.channels * 2;
      const arecord = new HelperProcess("arecord", alsaToolArgs(options), HINTS, undefined);
      const reblocker = new Reblocker(blockBytes, onBlock);
      arecord.child.stdout?.on("data", (chunk: Uint8Array) => reblocker.push(chunk));
      await arecord.ready;
      arecord.onExit(onError);
      const input: AudioInput = { pids: arecord.pid === undefined ? [] : [arecord.pid], close: () => arecord.close() };
      return input;
    },
  };
}
