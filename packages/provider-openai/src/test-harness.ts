// Test support (not exported): a provider connected to the OpenAI fake, with every callback recorded.
import {
  createRecordingLogger,
  type ProviderConnectOptions,
  type ProviderErrorEvent,
  type RecordingLogger,
  type ToolArguments,
  VoiceSession,
} from "@roomkit/spec";
import {
  createOpenAIRealtimeFake,
  Notifier,
  type OpenAIRealtimeFake,
  type OpenAIRealtimeFakeOptions,
} from "@roomkit/testing";
import { OpenAIRealtimeProvider, type OpenAIRealtimeProviderOptions } from "./openai-realtime-provider.ts";

export type Recorded =
  | { kind: "audio"; audio: Uint8Array }
  | { kind: "transcription"; text: string; role: string; isFinal: boolean; itemId?: string }
  | { kind: "speech-start" }
  | { kind: "speech-end" }
  | { kind: "tool-call"; callId: string; name: string; args: ToolArguments }
  | { kind: "response-start" }
  | { kind: "response-end" }
  | { kind: "error"; error: ProviderErrorEvent };

export class CallbackRecorder {
  readonly events: Recorded[] = [];
  readonly #notifier = new Notifier();

  constructor(provider: OpenAIRealtimeProvider) {
    provider.onAudio((_session, audio) => this.#push({ kind: "audio", audio: audio.slice() }));
    provider.onTranscription((_session, text, role, isFinal, details) =>
      this.#push({ kind: "transcription", text, role, isFinal, itemId: details?.itemId }),
    );
    provider.onSpeechStart(() => this.#push({ kind: "speech-start" }));
    provider.onSpeechEnd(() => this.#push({ kind: "speech-end" }));
    provider.onToolCall((_session, callId, name, args) => this.#push({ kind: "tool-call", callId, name, args }));
    provider.onResponseStart(() => this.#push({ kind: "response-start" }));
    provider.onResponseEnd(() => this.#push({ kind: "response-end" }));
    provider.onError((_session, error) => this.#push({ kind: "error", error }));
  }

  of<K extends Recorded["kind"]>(kind: K): Array<Extract<Recorded, { kind: K }>> {
    return this.events.filter((event): event is Extract<Recorded, { kind: K }> => event.kind === kind);
  }

  /** Waits until `count` events of a kind (matching `predicate`) were recorded. Event-driven, generous timeout. */
  waitFor<K extends Recorded["kind"]>(
    kind: K,
    predicate: (event: Extract<Recorded, { kind: K }>) => boolean = () => true,
    count = 1,
    timeoutMs = 10_000,
  ): Promise<Extract<Recorded, { kind: K }>> {
    return this.#notifier
      .until(() => this.of(kind).filter(predicate)[count - 1], { timeoutMs, label: `${count}× ${kind}` })
      .catch((error: unknown) => {
        throw new Error(`${(error as Error).message}; got ${this.events.map((e) => e.kind).join(",")}`, {
          cause: error,
        });
      });
  }

  #push(event: Recorded): void {
    this.events.push(event);
    this.#notifier.notify();
  }
}

export interface Harness {
  fake: OpenAIRealtimeFake;
  provider: OpenAIRealtimeProvider;
  session: VoiceSession;
  recorder: CallbackRecorder;
  logger: RecordingLogger;
  close(): Promise<void>;
}

export function newSession(id = "session-1"): VoiceSession {
  return new VoiceSession({ id, roomId: "room-1", participantId: "caller", channelId: "voice" });
}

export async function connectToFake(
  options: {
    fake?: OpenAIRealtimeFakeOptions;
    provider?: Partial<OpenAIRealtimeProviderOptions>;
    connect?: Partial<ProviderConnectOptions>;
  } = {},
): Promise<Harness> {
  const fake = await createOpenAIRealtimeFake({ speed: "instant", ...options.fake });
  const logger = createRecordingLogger();
  const provider = new OpenAIRealtimeProvider({
    apiKey: "sk-test",
    baseUrl: fake.baseUrl,
    logger,
    ...options.provider,
  });
  const recorder = new CallbackRecorder(provider);
  const session = newSession();
  await provider.connect(session, {
    systemPrompt: "You are a test.",
    inputSampleRate: 24000,
    outputSampleRate: 24000,
    serverVad: true,
    ...options.connect,
  });
  return {
    fake,
    provider,
    session,
    recorder,
    logger,
    async close() {
      await provider.close();
      await fake.close();
    },
  };
}

/** PCM16 at `rate`: a 440 Hz tone at about −12 dBFS ("speech") or zeros ("silence"). */
export function tone(durationMs: number, rate = 24000, frequency = 440): Uint8Array {
  const samples = new Int16Array(Math.round((rate * durationMs) / 1000));
  for (let i = 0; i < samples.length; i++) {
    samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * frequency * i) / rate));
  }
  return new Uint8Array(samples.buffer);
}

export function silence(durationMs: number, rate = 24000): Uint8Array {
  return new Uint8Array(Math.round((rate * durationMs) / 1000) * 2);
}

/** Sends `speechMs` of tone then `silenceMs` of zeros in 20 ms frames. */
export function speak(
  provider: OpenAIRealtimeProvider,
  session: VoiceSession,
  speechMs: number,
  silenceMs: number,
  rate = 24000,
): void {
  for (let ms = 0; ms < speechMs; ms += 20) provider.sendAudio(session, tone(20, rate));
  for (let ms = 0; ms < silenceMs; ms += 20) provider.sendAudio(session, silence(20, rate));
}

export function clientEvents(fake: OpenAIRealtimeFake, type?: string): Array<Record<string, any>> {
  return fake.received
    .map((entry) => entry.event as Record<string, any>)
    .filter((event) => !type || event.type === type);
}
