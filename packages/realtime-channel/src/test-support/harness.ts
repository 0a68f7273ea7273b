// Test helpers (not exported from the package).
import { RoomKit } from "@roomkit/core";
import { createRecordingLogger, type RecordingLogger, type VoiceSession } from "@roomkit/spec";
import {
  MockRealtimeProvider,
  type MockRealtimeProviderOptions,
  MockRealtimeTransport,
  type MockRealtimeTransportOptions,
  settle,
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

/** PCM16 frame of `samples` samples with a simple non-zero pattern. */
export function pcmFrame(samples: number, seed = 1): Uint8Array {
  const view = new Int16Array(samples);
  for (let index = 0; index < samples; index++) view[index] = ((index * 37 + seed * 101) % 2000) - 1000;
  return new Uint8Array(view.buffer);
}

/**
 * Releases held calls one at a time, oldest first, letting each release's follow-up work run (one `settle` turn)
 * before the next. Fails after `maxReleases` instead of looping forever when releases keep queuing new calls.
 */
export async function releaseInOrder(pending: Array<() => void>, maxReleases = 100): Promise<void> {
  for (let released = 0; pending.length > 0; released++) {
    if (released >= maxReleases) {
      throw new Error(`releaseInOrder: ${pending.length} call(s) still held after ${maxReleases} releases`);
    }
    pending.shift()!();
    await settle(1);
  }
}
