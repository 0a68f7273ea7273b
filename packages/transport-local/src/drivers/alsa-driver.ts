import type { AudioDriver, AudioInput, AudioStreamOptions } from "./audio-driver.ts";
import { HelperProcess, type ToolHints } from "./helper-process.ts";
import { openPacedOutput, type PlaybackProcess } from "./paced-output.ts";
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
 * (`latencyMs`) absorbs the jitter. `flush` restarts aplay. Bit-exact through a real card or ALSA's pulse plugin.
 */
export function createAlsaDriver(): AudioDriver {
  return {
    name: "alsa",
    async openOutput(options, render, onError) {
      let underruns = 0;
      const onStderr = (text: string) => {
        // aplay reports each xrun ("underrun!!! (at least N ms long)") even with -q.
        underruns += text.match(/underrun!!!/g)?.length ?? 0;
      };
      const start = async (): Promise<PlaybackProcess> => {
        const helper = new HelperProcess("aplay", alsaToolArgs(options), HINTS, undefined, onStderr);
        await helper.ready;
        const startedAt = performance.now();
        // aplay prints no position: wall time since start, plus the device buffer the clock cannot see.
        return { helper, hiddenMs: options.latencyMs, playedMs: () => performance.now() - startedAt };
      };
      return openPacedOutput({ stream: options, start, render, onError, underruns: () => underruns });
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
