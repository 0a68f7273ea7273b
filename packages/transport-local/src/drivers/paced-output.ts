import type { AudioOutput, AudioStreamErrorHandler, AudioStreamOptions } from "./audio-driver.ts";
import type { HelperProcess } from "./helper-process.ts";

/** One playback tool process (pacat, aplay) and the clock of what it has played. */
export interface PlaybackProcess {
  helper: HelperProcess;
  /** Milliseconds this process has played since it started. */
  playedMs(): number;
  /** Audio queued that `written − played` does not show (a device buffer the clock cannot see), ms. */
  hiddenMs: number;
}

export interface PacedOutputOptions {
  stream: AudioStreamOptions;
  /** Spawns a connected playback process (resolves once it accepts audio; rejects with a TransportError). */
  start(): Promise<PlaybackProcess>;
  render(block: Uint8Array): void;
  onError: AudioStreamErrorHandler;
  /** The device underrun count, for drivers whose tool reports it. */
  underruns?(): number;
}

/**
 * A speaker stream paced by its process's playback clock: every `blockMs/4`, blocks are rendered and written while
 * the written audio is less than `leadMs` ahead of what was played. A stalled loop catches up at most a second of
 * blocks and skips the rest, so no backlog builds up. `flush()` (barge-in) kills the process at once, so the audio it
 * and the server still held is dropped (the tools have no flush command), and starts a fresh one; rendering resumes
 * once it is connected. `close()` waits for every process it started to exit.
 */
export async function openPacedOutput(options: PacedOutputOptions): Promise<AudioOutput> {
  const { stream, render, onError } = options;
  const blockBytes = stream.blockFrames * stream.channels * 2;
  const blockMs = (stream.blockFrames * 1000) / stream.sampleRate;
  let closed = false;
  let current: (PlaybackProcess & { writtenBlocks: number }) | undefined;
  let restarting: Promise<void> | undefined;
  const killed = new Set<Promise<void>>();

  const pump = () => {
    const playing = current;
    if (!playing) return;
    const behind = playing.playedMs() + stream.leadMs - playing.writtenBlocks * blockMs;
    if (behind > 1000) playing.writtenBlocks += Math.floor((behind - stream.leadMs) / blockMs);
    for (let count = 0; count < 50 && playing.writtenBlocks * blockMs < playing.playedMs() + stream.leadMs; count++) {
      const block = new Uint8Array(blockBytes);
      render(block);
      playing.writtenBlocks++;
      playing.helper.child.stdin?.write(block);
    }
  };
  const adopt = (playback: PlaybackProcess) => {
    const playing = Object.assign(playback, { writtenBlocks: 0 });
    current = playing;
    playback.helper.onExit((error) => {
      if (closed || current !== playing) return;
      current = undefined;
      clearInterval(timer);
      onError(error);
    });
    pump();
  };

  adopt(await options.start());
  const timer = setInterval(pump, Math.max(1, blockMs / 4));
  const restart = async () => {
    try {
      const fresh = await options.start();
      if (closed) await fresh.helper.close();
      else adopt(fresh);
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
      const pid = current?.helper.pid;
      return pid === undefined ? [] : [pid];
    },
    get deviceUnderruns() {
      return options.underruns?.() ?? 0;
    },
    queuedAheadMs: () =>
      current ? Math.max(0, current.writtenBlocks * blockMs - current.playedMs()) + current.hiddenMs : 0,
    flush() {
      // A process still connecting has nothing queued yet: nothing to drop.
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
      const playing = current;
      current = undefined;
      await Promise.all([playing?.helper.close(), restarting, ...killed]);
    },
  };
}
