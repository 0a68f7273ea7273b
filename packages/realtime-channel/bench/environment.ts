import { MemoryConversationStore, RoomKit } from "@roomkit/core";
import type { Logger, VoiceSession } from "@roomkit/spec";
import { MockRealtimeProvider, MockRealtimeTransport } from "@roomkit/testing";
import { RealtimeVoiceChannel } from "../src/index.ts";

/** Resolves a waiter once `count` reaches a target (no polling). */
export class Probe {
  count = 0;
  bytes = 0;
  #target = Number.POSITIVE_INFINITY;
  #resolve: (() => void) | undefined;

  hit(bytes: number): void {
    this.count++;
    this.bytes += bytes;
    if (this.#resolve !== undefined && this.count >= this.#target) {
      const resolve = this.#resolve;
      this.#resolve = undefined;
      resolve();
    }
  }

  /** Resolves true when `count >= target`, false after `timeoutMs`. */
  waitFor(target: number, timeoutMs = 10_000): Promise<boolean> {
    if (this.count >= target) return Promise.resolve(true);
    this.#target = target;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.#resolve = undefined;
        resolve(false);
      }, timeoutMs);
      this.#resolve = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
  }
}

/** Counts warnings and errors by message instead of printing them. */
export function countingLogger(counts: Record<string, number>): Logger {
  const count = (message: string) => {
    counts[message] = (counts[message] ?? 0) + 1;
  };
  return { debug() {}, info() {}, warn: count, error: count };
}

export type Receipt = (session: VoiceSession, nowNs: number) => void;

export interface Environment {
  kit: RoomKit;
  store: MemoryConversationStore;
  provider: MockRealtimeProvider;
  transport: MockRealtimeTransport;
  channel: RealtimeVoiceChannel;
  roomIds: string[];
  sessions: VoiceSession[];
  inbound: Probe;
  outbound: Probe;
  commits: Probe;
  warnings: Record<string, number>;
  /** Optional per-receipt callbacks (latency tracking); `now` is taken at entry. */
  onInbound: Receipt | undefined;
  onOutbound: Receipt | undefined;
  onCommit: ((roomId: string, nowNs: number) => void) | undefined;
  clearRecordings(): void;
  close(): Promise<void>;
}

export interface EnvironmentOptions {
  sessions: number;
  resample: boolean;
  /** Build rooms but start no sessions (memory phase). */
  roomsOnly?: boolean;
}

/** The workload's environment: one RoomKit, one channel, one room per session, probes around the mocks. */
export async function buildEnvironment(options: EnvironmentOptions): Promise<Environment> {
  const warnings: Record<string, number> = {};
  const logger = countingLogger(warnings);
  const store = new MemoryConversationStore();
  const kit = new RoomKit({ store, logger });
  const provider = new MockRealtimeProvider();
  const transport = new MockRealtimeTransport();
  const channel = new RealtimeVoiceChannel("rt-voice", {
    provider,
    transport,
    systemPrompt: "You are a benchmark agent.",
    transportSampleRate: options.resample ? 8000 : undefined,
    logger,
  });
  kit.registerChannel(channel);
  const inbound = new Probe();
  const outbound = new Probe();
  const commits = new Probe();
  const environment: Environment = {
    kit,
    store,
    provider,
    transport,
    channel,
    roomIds: [],
    sessions: [],
    inbound,
    outbound,
    commits,
    warnings,
    onInbound: undefined,
    onOutbound: undefined,
    onCommit: undefined,
    clearRecordings() {
      provider.calls.length = 0;
      provider.sentAudio.length = 0;
      provider.injectedTexts.length = 0;
      provider.toolResults.length = 0;
      transport.calls.length = 0;
      transport.sentAudio.length = 0;
      transport.sentMessages.length = 0;
    },
    async close() {
      await kit.close();
    },
  };

  // Probes: instance-level wrappers that record the receipt, then call the original method.
  const providerSend = provider.sendAudio.bind(provider);
  provider.sendAudio = (session: VoiceSession, audio: Uint8Array) => {
    const now = Number(process.hrtime.bigint());
    inbound.hit(audio.byteLength);
    environment.onInbound?.(session, now);
    return providerSend(session, audio);
  };
  // The probe records what the mock records (calls, sentAudio) and stops there: the mock's caller-device queue
  // (`playToCaller`, for capability tests; added after the 40a5ada baseline) is test machinery, not channel work.
  transport.sendAudio = (session: VoiceSession, audio: Uint8Array) => {
    const now = Number(process.hrtime.bigint());
    outbound.hit(audio.byteLength);
    environment.onOutbound?.(session, now);
    transport.calls.push({ method: "sendAudio", args: [session, audio] });
    transport.sentAudio.push({ sessionId: session.id, audio });
  };
  const append = store.appendEvent.bind(store);
  store.appendEvent = async (event) => {
    const stored = await append(event);
    commits.hit(0);
    environment.onCommit?.(event.roomId, Number(process.hrtime.bigint()));
    return stored;
  };

  for (let index = 0; index < options.sessions; index++) {
    const room = await kit.createRoom();
    await kit.attachChannel(room.id, "rt-voice");
    environment.roomIds.push(room.id);
  }
  if (!options.roomsOnly) await startSessions(environment);
  commits.count = 0; // setup commits one channel_attached system event per room
  return environment;
}

export async function startSessions(environment: Environment): Promise<void> {
  for (let index = 0; index < environment.roomIds.length; index++) {
    const session = await environment.channel.startSession(environment.roomIds[index]!, `user-${index}`, {
      connection: `conn-${index}`,
    });
    environment.sessions.push(session);
  }
  environment.clearRecordings();
}
