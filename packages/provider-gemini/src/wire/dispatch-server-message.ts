import type { LiveServerMessage } from "@google/genai";
import type { RealtimeUsage } from "@roomkit/spec";
import { parseDurationMs } from "./close-codes.ts";

/** What a Gemini server message means, delivered in the order the provider must act on it. */
export interface ServerMessageHandler {
  setupComplete(sessionId: string | undefined): void;
  resumptionUpdate(handle: string, resumable: boolean): void;
  voiceActivity(kind: "start" | "end"): void;
  inputTranscription(text: string, finished: boolean): void;
  /** The model produced output (audio, text or an output transcription) in this message. */
  modelOutput(): void;
  outputTranscription(text: string, finished: boolean): void;
  /** Base64 PCM16 24 kHz audio, one call per inline-data part. */
  audio(base64: string, mimeType: string): void;
  text(text: string): void;
  toolCall(calls: ReadonlyArray<{ id: string | undefined; name: string; args: Record<string, unknown> }>): void;
  toolCallCancellation(ids: readonly string[]): void;
  usage(usage: RealtimeUsage): void;
  interrupted(): void;
  generationComplete(): void;
  turnComplete(reason: string | undefined): void;
  goAway(timeLeftMs: number | undefined): void;
}

type WireMessage = Omit<LiveServerMessage, "text" | "data">;

/**
 * Walks one server message and calls the handler in a fixed order: setupComplete → resumption → voice activity →
 * input transcription → model output (output transcription, audio, text) → tool call → cancellation → usage →
 * interrupted → generationComplete → turnComplete → goAway. Thought parts are skipped. Pure: no state, no
 * allocation beyond what the handler does.
 */
export function dispatchServerMessage(message: WireMessage, handler: ServerMessageHandler): void {
  if (message.setupComplete) handler.setupComplete(message.setupComplete.sessionId);
  const update = message.sessionResumptionUpdate;
  if (update) handler.resumptionUpdate(update.newHandle ?? "", update.resumable === true);
  const activity = message.voiceActivity?.voiceActivityType as string | undefined;
  if (activity === "ACTIVITY_START") handler.voiceActivity("start");
  else if (activity === "ACTIVITY_END") handler.voiceActivity("end");
  const content = message.serverContent;
  if (content) {
    const input = content.inputTranscription;
    if (input && (input.text || input.finished)) handler.inputTranscription(input.text ?? "", input.finished === true);
    const output = content.outputTranscription;
    const parts = content.modelTurn?.parts;
    let produced = output !== undefined && (output.text ?? "") !== "";
    if (parts) {
      for (const part of parts) {
        if (!part.thought && ((part.inlineData?.data ?? "") !== "" || (part.text ?? "") !== "")) produced = true;
      }
    }
    if (produced) handler.modelOutput();
    if (output && (output.text || output.finished))
      handler.outputTranscription(output.text ?? "", output.finished === true);
    if (parts) {
      for (const part of parts) {
        if (part.thought) continue;
        const inline = part.inlineData;
        if (inline?.data && (inline.mimeType ?? "audio/pcm").startsWith("audio/")) {
          handler.audio(inline.data, inline.mimeType ?? "audio/pcm;rate=24000");
        } else if (part.text) {
          handler.text(part.text);
        }
      }
    }
  }
  const calls = message.toolCall?.functionCalls;
  if (calls && calls.length > 0) {
    handler.toolCall(
      calls.map((call) => ({ id: call.id, name: call.name ?? "", args: (call.args as Record<string, unknown>) ?? {} })),
    );
  }
  const cancelled = message.toolCallCancellation?.ids;
  if (cancelled && cancelled.length > 0) handler.toolCallCancellation(cancelled);
  if (message.usageMetadata) handler.usage(usageFromMetadata(message.usageMetadata));
  if (content?.interrupted) handler.interrupted();
  if (content?.generationComplete) handler.generationComplete();
  if (content?.turnComplete) handler.turnComplete(content.turnCompleteReason as string | undefined);
  if (message.goAway) handler.goAway(parseDurationMs(message.goAway.timeLeft));
}

/** Gemini `usageMetadata` → RoomKit usage (prompt → input tokens, response → output tokens, the rest in details). */
export function usageFromMetadata(metadata: NonNullable<WireMessage["usageMetadata"]>): RealtimeUsage {
  const details: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (key !== "promptTokenCount" && key !== "responseTokenCount" && value !== undefined) details[key] = value;
  }
  return {
    inputTokens: metadata.promptTokenCount ?? 0,
    outputTokens: metadata.responseTokenCount ?? 0,
    details,
  };
}
