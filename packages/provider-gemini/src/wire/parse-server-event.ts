import type { LiveServerMessage } from "@google/genai";
import type { RealtimeUsage } from "@roomkit/spec";
import { parseDurationMs } from "./close-codes.ts";
import type { GeminiServerEvent } from "./server-events.ts";

type WireMessage = Omit<LiveServerMessage, "text" | "data">;

const MODEL_OUTPUT: GeminiServerEvent = { type: "model-output" };
const INTERRUPTED: GeminiServerEvent = { type: "interrupted" };
const GENERATION_COMPLETE: GeminiServerEvent = { type: "generation-complete" };
const ACTIVITY_START: GeminiServerEvent = { type: "voice-activity", kind: "start" };
const ACTIVITY_END: GeminiServerEvent = { type: "voice-activity", kind: "end" };

/**
 * Turns one server message (as the SDK parsed it) into typed events, in a fixed order: setupComplete → resumption →
 * voice activity → input transcription → model output (output transcription, audio, text) → tool call →
 * cancellation → usage → interrupted → generationComplete → turnComplete → goAway. Thought parts are skipped. Pure:
 * no state; never throws on a well-typed message.
 */
export function parseServerEvent(message: WireMessage): GeminiServerEvent[] {
  const events: GeminiServerEvent[] = [];
  if (message.setupComplete) events.push({ type: "setup-complete", sessionId: message.setupComplete.sessionId });
  const update = message.sessionResumptionUpdate;
  if (update)
    events.push({ type: "resumption-update", handle: update.newHandle ?? "", resumable: update.resumable === true });
  const activity = message.voiceActivity?.voiceActivityType as string | undefined;
  if (activity === "ACTIVITY_START") events.push(ACTIVITY_START);
  else if (activity === "ACTIVITY_END") events.push(ACTIVITY_END);
  const content = message.serverContent;
  if (content) {
    const input = content.inputTranscription;
    if (input && (input.text || input.finished)) {
      events.push({ type: "input-transcription", text: input.text ?? "", finished: input.finished === true });
    }
    const output = content.outputTranscription;
    const parts = Array.isArray(content.modelTurn?.parts) ? content.modelTurn.parts : undefined;
    let produced = output !== undefined && (output.text ?? "") !== "";
    if (parts) {
      for (const part of parts) {
        if (!part.thought && ((part.inlineData?.data ?? "") !== "" || (part.text ?? "") !== "")) produced = true;
      }
    }
    if (produced) events.push(MODEL_OUTPUT);
    if (output && (output.text || output.finished)) {
      events.push({ type: "output-transcription", text: output.text ?? "", finished: output.finished === true });
    }
    if (parts) {
      for (const part of parts) {
        if (part.thought) continue;
        const inline = part.inlineData;
        if (inline?.data && (inline.mimeType ?? "audio/pcm").startsWith("audio/")) {
          events.push({ type: "audio", data: inline.data, mimeType: inline.mimeType ?? "audio/pcm;rate=24000" });
        } else if (part.text) {
          events.push({ type: "text", text: part.text });
        }
      }
    }
  }
  const calls = message.toolCall?.functionCalls;
  if (calls && calls.length > 0) {
    events.push({
      type: "tool-call",
      calls: calls.map((call) => ({
        id: call.id,
        name: call.name ?? "",
        args: (call.args as Record<string, unknown>) ?? {},
      })),
    });
  }
  const cancelled = message.toolCallCancellation?.ids;
  if (cancelled && cancelled.length > 0) events.push({ type: "tool-call-cancellation", ids: cancelled });
  if (typeof message.usageMetadata === "object" && message.usageMetadata !== null)
    events.push({ type: "usage", usage: usageFromMetadata(message.usageMetadata) });
  if (content?.interrupted) events.push(INTERRUPTED);
  if (content?.generationComplete) events.push(GENERATION_COMPLETE);
  if (content?.turnComplete) {
    events.push({ type: "turn-complete", reason: content.turnCompleteReason as string | undefined });
  }
  if (message.goAway) events.push({ type: "go-away", timeLeftMs: parseDurationMs(message.goAway.timeLeft) });
  return events;
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
