// Test support for the Gemini fake's tests (not exported, not packed): a fake per test and @google/genai clients.
import { GoogleGenAI, type LiveConnectConfig, type LiveServerMessage, type Session } from "@google/genai";
import { Notifier } from "@roomkit/test-support";
import { createGeminiLiveFake, type GeminiLiveFake } from "./gemini-live-fake.ts";
import { callerAudioFrames } from "./synthetic-speech.ts";
import type { GeminiLiveFakeOptions } from "./types.ts";

export const MODEL = "gemini-2.5-flash-native-audio-preview-12-2025";

/** The fake of the running test; the test file's `afterEach` closes it (`closeCurrent`). */
export const current: { fake: GeminiLiveFake | undefined } = { fake: undefined };

export async function closeCurrent(): Promise<void> {
  await current.fake?.close();
  current.fake = undefined;
}

export interface Client {
  session: Session;
  messages: LiveServerMessage[];
  closed: Promise<{ code: number; reason: string }>;
  waitFor(predicate: (message: LiveServerMessage) => boolean, timeoutMs?: number): Promise<LiveServerMessage>;
}

export async function start(options: GeminiLiveFakeOptions = {}): Promise<GeminiLiveFake> {
  current.fake = await createGeminiLiveFake(options);
  return current.fake;
}

export async function connect(
  server: GeminiLiveFake,
  config: LiveConnectConfig,
  apiVersion: "v1beta" | "v1alpha" = "v1beta",
  model = MODEL,
): Promise<Client> {
  const ai = new GoogleGenAI({ apiKey: "test-key", httpOptions: { baseUrl: server.baseUrl, apiVersion } });
  const messages: LiveServerMessage[] = [];
  const received = new Notifier();
  let closeResolve: (value: { code: number; reason: string }) => void = () => {};
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    closeResolve = resolve;
  });
  const session = await ai.live.connect({
    model,
    config,
    callbacks: {
      onmessage: (message) => {
        messages.push(message);
        received.notify();
      },
      onclose: (event) => closeResolve({ code: event.code, reason: event.reason }),
    },
  });
  const waitFor = (predicate: (message: LiveServerMessage) => boolean, timeoutMs = 5000) =>
    received.until(() => messages.find(predicate), { timeoutMs, label: "a server message" });
  return { session, messages, closed, waitFor };
}

export function sendFrames(session: Session, frames: Uint8Array[]): void {
  for (const frame of frames) {
    session.sendRealtimeInput({
      audio: { data: Buffer.from(frame).toString("base64"), mimeType: "audio/pcm;rate=16000" },
    });
  }
}

export function speak(session: Session, speechMs = 300, silenceMs = 600): void {
  sendFrames(session, callerAudioFrames({ durationMs: speechMs }));
  sendFrames(session, callerAudioFrames({ durationMs: silenceMs, silent: true }));
}
