import type {
  AudioDriver,
  AudioInput,
  AudioOutput,
  AudioStreamErrorHandler,
  AudioStreamOptions,
} from "./audio-driver.ts";
import { HelperProcess, type ToolHints } from "./helper-process.ts";
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
      return openPulseOutput(options, server, render, onError);
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

/** One pacat process and the playback clock it reports. */
interface PacatStream {
  helper: HelperProcess;
  started: boolean;
  timeSec: number;
  timeAt: number;
  writtenBlocks: number;
}

async function startPacat(
  options: AudioStreamOptions,
  server: string | undefined,
  onUnderrun: () => void,
): Promise<PacatStream> {
  const stream: Omit<PacatStream, "helper"> = { started: false, timeSec: 0, timeAt: 0, writtenBlocks: 0 };
  const onStderr = (text: string) => {
    if (!stream.started && text.includes("Stream started")) stream.started = true;
    if (text.includes("Stream underrun")) onUnderrun();
    const matches = text.match(/Time: ([0-9.]+) sec/g);
    if (matches) {
      stream.timeSec = Number.parseFloat(matches.at(-1)!.slice(6));
      stream.timeAt = performance.now();
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
  return Object.assign(stream, { helper });
}

function playedMs(stream: PacatStream): number {
  if (!stream.started || stream.timeAt === 0) return 0;
  // Extrapolate from the last report, but never past one report interval (a stalled sink stops the clock).
  return stream.timeSec * 1000 + Math.min(performance.now() - stream.timeAt, 60);
}

/**
 * The speaker: pacat paced by its own playback clock, `leadMs` ahead. `flush()` (barge-in) kills pacat at once, so
 * the server drops the stream's queue (pacat has no flush command), and starts a fresh one; blocks are rendered
 * again once it is connected.
 */
async function openPulseOutput(
  options: AudioStreamOptions,
  server: string | undefined,
  render: (block: Uint8Array) => void,
  onError: AudioStreamErrorHandler,
): Promise<AudioOutput> {
  const blockBytes = options.blockFrames * options.channels * 2;
  const blockMs = (options.blockFrames * 1000) / options.sampleRate;
  let underruns = 0;
  let closed = false;
  const onUnderrun = () => void underruns++;
  let current: PacatStream | undefined = await startPacat(options, server, onUnderrun);
  let restarting: Promise<void> | undefined;
  const killed = new Set<Promise<void>>();
  const pump = () => {
    const stream = current;
    if (!stream) return;
    // Bounded: at most a second of blocks per tick even if the clock jumped.
    for (let count = 0; count < 50 && stream.writtenBlocks * blockMs < playedMs(stream) + options.leadMs; count++) {
      const block = new Uint8Array(blockBytes);
      render(block);
      stream.writtenBlocks++;
      stream.helper.child.stdin?.write(block);
    }
  };
  const watch = (stream: PacatStream) => {
    stream.helper.onExit((error) => {
      if (closed || stream !== current) return;
      current = undefined;
      clearInterval(timer);
      onError(error);
    });
  };
  watch(current);
  pump();
  const timer = setInterval(pump, Math.max(1, blockMs / 4));
  const restart = async () => {
    try {
      const fresh = await startPacat(options, server, onUnderrun);
      if (closed) {
        await fresh.helper.close();
        return;
      }
      current = fresh;
      watch(fresh);
      pump();
    } catch (error) {
      if (!closed) {
        clearInterval(timer);
        onError(error as Error);
      }
    } finally {
      restarting = undefined;
    }
  };
  return {
    get pids() {
      return current?.helper.pid === undefined ? [] : [current.helper.pid];
    },
    get deviceUnderruns() {
      return underruns;
    },
    queuedAheadMs: () => (current ? Math.max(0, current.writtenBlocks * blockMs - playedMs(current)) : 0),
    flush() {
      // A stream still connecting has nothing queued yet: nothing to drop.
      if (closed || restarting || !current) return;
      const old = current;
      current = undefined;
      const killing = old.helper.close("SIGKILL").finally(() => killed.delete(killing));
      killed.add(killing);
      restarting = restart();
    },
    async close() {
      closed = true;
      clearInterval(timer);
      const stream = current;
      current = undefined;
      await Promise.all([stream?.helper.close(), restarting, ...killed]);
    },
  };
}
