import { speechDurationMs, synthesizeSpeech, wordChunks } from "./synthetic-speech.ts";
import type { FakeHistoryEntry, GeminiServerMessage } from "./types.ts";

export interface ReplyStreamOptions {
  text: string;
  /** TEXT modality: text parts instead of audio. */
  textMode: boolean;
  /** Output transcription enabled in setup. */
  transcribe: boolean;
  /** 3.x profiles put audio and its transcript in one message; 2.5 sends one field per message. */
  combined: boolean;
  chunkMs: number;
  /** 0 = instant; N = N× faster than real time. */
  pace: number;
  dbfs: number;
  send(message: GeminiServerMessage): void;
  sleep(delayMs: number): Promise<void>;
  /** True once the reply must stop (barge-in, closed connection). */
  stopped(): boolean;
}

/**
 * Streams one reply: audio in `chunkMs` chunks (or text parts), each followed by its proportional slice of the
 * output transcript. Resolves true when every chunk was sent, false when stopped part-way.
 */
export async function streamReply(options: ReplyStreamOptions): Promise<boolean> {
  const { text, textMode } = options;
  const words = wordChunks(text);
  const chunks = textMode
    ? []
    : synthesizeSpeech({ text, sampleRate: 24000, chunkMs: options.chunkMs, dbfs: options.dbfs });
  const steps = textMode ? words.length : chunks.length;
  let wordIndex = 0;
  for (let step = 0; step < steps; step++) {
    if (options.stopped()) return false;
    const wordsDue = textMode ? step + 1 : Math.ceil(((step + 1) * words.length) / steps);
    const spoken = words.slice(wordIndex, wordsDue).join("");
    wordIndex = Math.max(wordIndex, wordsDue);
    if (textMode) {
      options.send({ serverContent: { modelTurn: { role: "model", parts: [{ text: spoken }] } } });
    } else {
      const inlineData = { mimeType: "audio/pcm;rate=24000", data: Buffer.from(chunks[step]!).toString("base64") };
      const modelTurn = { role: "model", parts: [{ inlineData }] };
      if (options.combined && options.transcribe && spoken) {
        options.send({ serverContent: { modelTurn, outputTranscription: { text: spoken } } });
      } else {
        options.send({ serverContent: { modelTurn } });
        if (options.transcribe && spoken) options.send({ serverContent: { outputTranscription: { text: spoken } } });
      }
    }
    if (options.pace > 0) await options.sleep(options.chunkMs / options.pace);
  }
  return !options.stopped();
}

/** `turnComplete` with usage computed from sizes: 1 token per 4 characters of text, 1 per 20 ms of audio. */
export function turnCompleteWithUsage(
  history: readonly FakeHistoryEntry[],
  reply: string,
  textMode: boolean,
): GeminiServerMessage {
  const promptTokens = Math.ceil(history.reduce((sum, entry) => sum + entry.text.length, 0) / 4);
  const responseTokens = textMode ? Math.ceil(reply.length / 4) : Math.ceil(speechDurationMs(reply) / 20);
  return {
    serverContent: { turnComplete: true },
    usageMetadata: {
      promptTokenCount: promptTokens,
      responseTokenCount: responseTokens,
      totalTokenCount: promptTokens + responseTokens,
      promptTokensDetails: [{ modality: "TEXT" as never, tokenCount: promptTokens }],
      responseTokensDetails: [{ modality: (textMode ? "TEXT" : "AUDIO") as never, tokenCount: responseTokens }],
    },
  };
}
