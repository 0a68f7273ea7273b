// Test support for this package's tests (not exported): a provider wired to the Gemini Live fake, with every
// callback recorded and event-driven waits.
import {
  createRecordingLogger,
  type ProviderConnectOptions,
  type ProviderErrorEvent,
  type RecordingLogger,
  type RoomEvent,
  VoiceSession,
} from "@roomkit/spec";
import {
  callerAudioFrames,
  createGeminiLiveFake,
  type GeminiLiveFake,
  type GeminiLiveFakeOptions,
  Notifier,
  waitFor as waitForCondition,
} from "@roomkit/testing";
import { GeminiLiveProvider, type GeminiLiveProviderOptions } from "./gemini-live-provider.ts";

export type RecordedEvent =
  | { type: "audio"; bytes: number }
  | { type: "transcription"; text: string; role: string; isFinal: boolean }
  | { type: "speech_start" }
  | { type: "speech_end" }
  | { type: "tool_call"; callId: string; name: string; args: Record<string, unknown> }
  | { type: "tool_call_cancel"; callIds: readonly string[] }
  | { type: "response_start" }
  | { type: "response_end" }
  | { type: "error"; error: ProviderErrorEvent };

export interface Harness {
  fake: GeminiLiveFake;
  provider: GeminiLiveProvider;
  session: VoiceSession;
  logger: RecordingLogger;
  events: RecordedEvent[];
  waitFor<T extends RecordedEvent["type"]>(
    type: T,
    predicate?: (event: Extract<RecordedEvent, { type: T }>) => boolean,
    timeoutMs?: number,
  ): Promise<Extract<RecordedEvent, { type: T }>>;
  count(type: RecordedEvent["type"]): number;
  /** Sends `speechMs` of tone then `silenceMs` of zeros in 20 ms frames; returns the frame count. */
  speak(speechMs?: number, silenceMs?: number): number;
  close(): Promise<void>;
}

export const CONNECT_DEFAULTS: ProviderConnectOptions = {
  inputSampleRate: 16000,
  outputSampleRate: 24000,
  serverVad: true,
};

export async function createHarness(
  options: {
    fake?: GeminiLiveFakeOptions;
    provider?: Partial<GeminiLiveProviderOptions>;
    connect?: Partial<ProviderConnectOptions>;
    skipConnect?: boolean;
  } = {},
): Promise<Harness> {
  const fake = await createGeminiLiveFake(options.fake);
  const logger = createRecordingLogger();
  const provider = new GeminiLiveProvider({ apiKey: "test-key", baseUrl: fake.baseUrl, logger, ...options.provider });
  const session = new VoiceSession({ id: "s1", roomId: "r1", participantId: "p1", channelId: "voice" });
  const events: RecordedEvent[] = [];
  const notifier = new Notifier();
  const push = (event: RecordedEvent) => {
    events.push(event);
    notifier.notify();
  };
  provider.onAudio((_s, audio) => push({ type: "audio", bytes: audio.byteLength }));
  provider.onTranscription((_s, text, role, isFinal) => push({ type: "transcription", text, role, isFinal }));
  provider.onSpeechStart(() => push({ type: "speech_start" }));
  provider.onSpeechEnd(() => push({ type: "speech_end" }));
  provider.onToolCall((_s, callId, name, args) => push({ type: "tool_call", callId, name, args }));
  provider.onToolCallCancel((_s, callIds) => push({ type: "tool_call_cancel", callIds }));
  provider.onResponseStart(() => push({ type: "response_start" }));
  provider.onResponseEnd(() => push({ type: "response_end" }));
  provider.onError((_s, error) => push({ type: "error", error }));
  if (!options.skipConnect) await provider.connect(session, { ...CONNECT_DEFAULTS, ...options.connect });
  const waitFor: Harness["waitFor"] = (type, predicate, timeoutMs = 5000) =>
    notifier
      .until(() => events.find((event) => event.type === type && (!predicate || predicate(event as never))) as never, {
        timeoutMs,
        label: type,
      })
      .catch((error: unknown) => {
        const seen = events.filter((event) => event.type !== "audio").map((event) => event.type);
        throw new Error(`${(error as Error).message}; got ${seen.slice(-20).join(",")}`, { cause: error });
      });
  return {
    fake,
    provider,
    session,
    logger,
    events,
    waitFor,
    count: (type) => events.filter((event) => event.type === type).length,
    speak(speechMs = 300, silenceMs = 600) {
      const frames = [
        ...callerAudioFrames({ durationMs: speechMs }),
        ...callerAudioFrames({ durationMs: silenceMs, silent: true }),
      ];
      for (const frame of frames) provider.sendAudio(session, frame);
      return frames.length;
    },
    async close() {
      await provider.close();
      await fake.close();
    },
  };
}

/** Waits (up to 15 s) for a condition that no single callback marks. */
export function until(label: string, condition: () => boolean | Promise<boolean>): Promise<void> {
  return waitForCondition(condition, { label, timeoutMs: 15_000, intervalMs: 10 });
}

/** The bodies of the text events a role stored in a room timeline (transcripts), oldest first. */
export function storedTexts(events: readonly RoomEvent[], role: string): string[] {
  return events
    .filter((event) => event.content.type === "text" && event.metadata?.role === role)
    .map((event) => (event.content as { body: string }).body);
}
