import type { AudioDriver, AudioInput, AudioStreamOptions } from "./audio-driver.ts";
import { HelperProcess, type ToolHints } from "./helper-process.ts";
import { openPacedOutput, type PlaybackProcess } from "./paced-output.ts";
import { Reblocker } from "./reblocker.ts";

export interface PulseDriverOptions {
  /** `--server=` for every tool (e.g. `unix:/run/user/1000/pulse/native`); default: the user's server. */
  server?: string;
}

const HINTS: ToolHints = {
  debianPackage: "pulseaudio-utils",
  explain(stderr) {
    if (/Connection refused|Connection failure/i.test(stderr)) {
      return "no PulseAudio (or pipewire-pulse) server is running: start it (`pulseaudio --start`) or set pulseServer";
    }
    if (/No such entity/i.test(stderr)) return "no such device: list them with `pactl list short sinks` / `sources`";
    return undefined;
  },
};

/** The arguments pacat and parec share: raw s16le at the stream's rate and channels, the device and server. */
export function pulseToolArgs(options: AudioStreamOptions, server: string | undefined): string[] {
  const args = [
    "-v",
    "--raw",
    "--format=s16le",
    `--rate=${options.sampleRate}`,
    `--channels=${options.channels}`,
    `--latency-msec=${Math.max(1, Math.round(options.latencyMs))}`,
  ];
  if (options.device !== undefined) args.push(`--device=${options.device}`);
  if (server !== undefined) args.push(`--server=${server}`);
  return args;
}

/**
 * PulseAudio (and PipeWire's pulse server) through `pacat -v` and `parec`. The speaker is paced by the playback time
 * `pacat -v` prints every 50 ms (extrapolated between lines), never by wall time alone, so a stalled sink or event
 * loop builds no backlog.
 */
export function createPulseDriver(driverOptions: PulseDriverOptions = {}): AudioDriver {
  const server = driverOptions.server;
  return {
    name: "pulse",
    async openOutput(options, render, onError) {
      let underruns = 0;
      return openPacedOutput({
        stream: options,
        start: () => startPacat(options, server, () => void underruns++),
        render,
        onError,
        underruns: () => underruns,
      });
    },
    async openInput(options, onBlock, onError) {
      const blockBytes = options.blockFrames * options.channels * 2;
      const parec = new HelperProcess("parec", pulseToolArgs(options, server), HINTS, /Stream successfully created/);
      const reblocker = new Reblocker(blockBytes, onBlock);
      parec.child.stdout?.on("data", (chunk: Uint8Array) => reblocker.push(chunk));
      try {
        await parec.ready;
      } catch (error) {
        await parec.close();
        throw error;
      }
      parec.onExit(onError);
      const input: AudioInput = { pids: parec.pid === undefined ? [] : [parec.pid], close: () => parec.close() };
      return input;
    },
  };
}

/** Spawns pacat and follows the playback time it prints (`Time: X sec`, every 50 ms with -v). */
async function startPacat(
  options: AudioStreamOptions,
  server: string | undefined,
  onUnderrun: () => void,
): Promise<PlaybackProcess> {
  let started = false;
  let timeSec = 0;
  let timeAt = 0;
  const onStderr = (text: string) => {
    if (!started && text.includes("Stream started")) started = true;
    if (text.includes("Stream underrun")) onUnderrun();
    const matches = text.match(/Time: ([0-9.]+) sec/g);
    if (matches) {
      timeSec = Number.parseFloat(matches.at(-1)!.slice(6));
      timeAt = performance.now();
    }
  };
  const helper = new HelperProcess(
    "pacat",
    ["--playback", ...pulseToolArgs(options, server)],
    HINTS,
    /Stream successfully created/,
    onStderr,
  );
  try {
    await helper.ready;
  } catch (error) {
    await helper.close();
    throw error;
  }
  return {
    helper,
    hiddenMs: 0,
    playedMs() {
      if (!started || timeAt === 0) return 0;
      // Extrapolate from the last report, but never past one report interval (a stalled sink stops the clock).
      return timeSec * 1000 + Math.min(performance.now() - timeAt, 60);
    },
  };
}
