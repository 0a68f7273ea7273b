// Test helpers (not exported from the package).
import { RoomKit } from "@roomkit/core";
import { createRecordingLogger, type RecordingLogger, type VoiceSession } from "@roomkit/spec";
import {
  MockRealtimeProvider,
  type MockRealtimeProviderOptions,
  MockRealtimeTransport,
  type MockRealtimeTransportOptions,
} from "@roomkit/testing";
import {
  RealtimeVoiceChannel,
  type RealtimeVoiceChannelAdvancedOptions,
  type RealtimeVoiceChannelOptions,
} from "../index.ts";

export interface Harness {
  kit: RoomKit;
  provider: MockRealtimeProvider;
  transport: MockRealtimeTransport;
  channel: RealtimeVoiceChannel;
  logger: RecordingLogger;
  roomId: string;
  start(participantId?: string, metadata?: Record<string, unknown>): Promise<VoiceSession>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  channel?: Partial<RealtimeVoiceChannelOptions> & RealtimeVoiceChannelAdvancedOptions;
  provider?: MockRealtimeProviderOptions;
  transport?: MockRealtimeTransportOptions;
  /** Register with a real RoomKit (default true). */
  withKit?: boolean;
}

export async function createHarness(options: HarnessOptions = {}): Promise<Harness> {
  const logger = createRecordingLogger();
  const kit = new RoomKit({ logger });
  const provider = new MockRealtimeProvider(options.provider);
  const transport = new MockRealtimeTransport(options.transport);
  const channel = new RealtimeVoiceChannel("rt-voice", { provider, transport, logger, ...options.channel });
  let roomId = "room-1";
  if (options.withKit !== false) {
    kit.registerChannel(channel);
    const room = await kit.createRoom();
    roomId = room.id;
    await kit.attachChannel(roomId, "rt-voice");
  }
  return {
    kit,
    provider,
    transport,
    channel,
    logger,
    roomId,
    start: (participantId = "user-1", metadata) =>
      channel.startSession(roomId, participantId, { connection: "conn", metadata }),
    close: async () => {
      await channel.close();
      await kit.close();
    },
  };
}

/** Counts `kit.buildContext` calls from now on (the no-hooks fast path builds none). */
export function countContextBuilds(kit: RoomKit): () => number {
  let builds = 0;
  const original = kit.buildContext.bind(kit);
  kit.buildContext = ((roomId: string) => {
    builds++;
    return original(roomId);
  }) as typeof kit.buildContext;
  return () => builds;
}

/** Lets queued microtasks and one macrotask turn run (bounded). */
export async function settle(turns = 5): Promise<void> {
  for (let index = 0; index < turns; index++) await new Promise((resolve) => setTimeout(resolve, 0));
}

/** Waits until `condition` holds, polling every 2 ms, failing after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error("waitFor timed out");
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** PCM16 frame of `samples` samples with a simple non-zero pattern. */
export function pcmFrame(samples: number, seed = 1): Uint8Array {
  const view = new Int16Array(samples);
  for (let index = 0; index < samples; index++) view[index] = ((index * 37 + seed * 101) % 2000) - 1000;
  return new Uint8Array(view.buffer);
}

/** A clock the test moves by hand. */
export interface ManualClock {
  now(): number;
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
  advance(ms: number): void;
  /** Timers set and not yet fired or cleared. */
  readonly pendingTimers: number;
}

export function createManualClock(start = 1000): ManualClock {
  let current = start;
  let nextId = 1;
  const timers = new Map<number, { at: number; callback: () => void }>();
  return {
    now: () => current,
    setTimeout: (callback, delayMs) => {
      const id = nextId++;
      timers.set(id, { at: current + delayMs, callback });
      return id;
    },
    clearTimeout: (handle) => {
      timers.delete(handle as number);
    },
    get pendingTimers() {
      return timers.size;
    },
    advance(ms) {
      current += ms;
      for (const [id, timer] of [...timers]) {
        if (timer.at <= current) {
          timers.delete(id);
          timer.callback();
        }
      }
    },
  };
}
