import { safeParseJson, type ToolArguments } from "@roomkit/spec";
import type { z } from "zod";
import {
  audioDoneSchema,
  committedSchema,
  deletedSchema,
  type ErrorBody,
  errorEventSchema,
  functionCallDoneSchema,
  itemEventSchema,
  outputItemSchema,
  responseCreatedSchema,
  responseDoneSchema,
  sessionEventSchema,
  speechStartedSchema,
  speechStoppedSchema,
  textDeltaSchema,
  textDoneSchema,
  timeoutSchema,
  transcriptCompletedSchema,
  transcriptDeltaSchema,
  transcriptDoneSchema,
  transcriptFailedSchema,
  truncatedSchema,
} from "./schemas.ts";
import type { OpenAIErrorInfo, OpenAIServerEvent, OpenAIUsage } from "./server-events.ts";

type Raw = Record<string, unknown>;

/** GA server events that are documented but carry nothing the provider acts on. */
const KNOWN_UNMAPPED = new Set([
  "conversation.created",
  "conversation.item.retrieved",
  "conversation.item.input_audio_transcription.segment",
  "response.content_part.added",
  "response.content_part.done",
  "response.function_call_arguments.delta",
  "output_audio_buffer.started",
  "output_audio_buffer.stopped",
  "output_audio_buffer.cleared",
  "input_audio_buffer.dtmf_event_received",
  "mcp_list_tools.in_progress",
  "mcp_list_tools.completed",
  "mcp_list_tools.failed",
  "response.mcp_call_arguments.delta",
  "response.mcp_call_arguments.done",
  "response.mcp_call.in_progress",
  "response.mcp_call.completed",
  "response.mcp_call.failed",
]);

/**
 * Turns one text frame from the GA Realtime API into a normalized event. Never throws: invalid JSON or a known
 * event with a broken shape gives `{ type: "invalid" }`, an unknown event gives `{ type: "custom" }`.
 * `response.output_audio.delta` (the hot path) is checked by hand instead of through zod.
 */
export function parseServerEvent(text: string): OpenAIServerEvent {
  const parsed = safeParseJson(text);
  if (!parsed.success) return { type: "invalid", reason: `invalid JSON: ${parsed.error.message}`, raw: text };
  return mapServerEvent(parsed.value);
}

/** Maps an already-parsed JSON value (see `parseServerEvent`). */
export function mapServerEvent(value: unknown): OpenAIServerEvent {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { type: "invalid", reason: "event is not a JSON object", raw: value };
  }
  const raw = value as Raw;
  const type = raw.type;
  if (typeof type !== "string") return { type: "invalid", reason: "event has no type", raw };
  if (type === "response.output_audio.delta") {
    const { response_id: responseId, item_id: itemId, content_index: contentIndex, delta } = raw;
    if (typeof delta !== "string" || typeof itemId !== "string") return invalid(type, raw);
    return {
      type: "audio-delta",
      responseId: typeof responseId === "string" ? responseId : "",
      itemId,
      contentIndex: typeof contentIndex === "number" ? contentIndex : 0,
      delta,
      raw,
    };
  }
  const mapper = Object.hasOwn(MAPPERS, type) ? MAPPERS[type] : undefined;
  if (mapper === undefined) return { type: "custom", rawType: type, known: KNOWN_UNMAPPED.has(type), raw };
  return mapper(raw) ?? invalid(type, raw);
}

function invalid(type: string, raw: unknown): OpenAIServerEvent {
  return { type: "invalid", reason: `malformed ${type} event`, raw };
}

function check<S extends z.ZodType>(schema: S, raw: Raw): z.infer<S> | undefined {
  const result = schema.safeParse(raw);
  return result.success ? result.data : undefined;
}

export function toErrorInfo(body: ErrorBody | null | undefined): OpenAIErrorInfo {
  const errorType = body?.type ?? "unknown";
  return {
    code: body?.code ?? body?.type ?? "unknown",
    message: body?.message ?? "",
    errorType,
    param: body?.param ?? undefined,
    eventId: body?.event_id ?? undefined,
  };
}

/** Parses tool-call arguments: an object stays as is, anything else (or broken JSON) becomes `{ raw }`. */
export function parseToolArguments(text: string): ToolArguments {
  if (text.trim() === "") return {};
  const parsed = safeParseJson(text);
  if (parsed.success && parsed.value !== null && typeof parsed.value === "object" && !Array.isArray(parsed.value)) {
    return parsed.value as ToolArguments;
  }
  return { raw: text };
}

function toUsage(usage: Raw | null | undefined): OpenAIUsage | undefined {
  if (!usage) return undefined;
  const inputTokens = typeof usage.input_tokens === "number" ? usage.input_tokens : 0;
  const outputTokens = typeof usage.output_tokens === "number" ? usage.output_tokens : 0;
  const totalTokens = typeof usage.total_tokens === "number" ? usage.total_tokens : inputTokens + outputTokens;
  const details: Record<string, unknown> = {};
  if (usage.input_token_details != null) details.input_token_details = usage.input_token_details;
  if (usage.output_token_details != null) details.output_token_details = usage.output_token_details;
  return { inputTokens, outputTokens, totalTokens, details };
}

const MAPPERS: Record<string, (raw: Raw) => OpenAIServerEvent | undefined> = {
  "session.created": (raw) => {
    const event = check(sessionEventSchema, raw);
    return event && { type: "session-created", sessionId: event.session.id ?? "", session: event.session, raw };
  },
  "session.updated": (raw) => {
    const event = check(sessionEventSchema, raw);
    return event && { type: "session-updated", sessionId: event.session.id ?? "", session: event.session, raw };
  },
  "input_audio_buffer.speech_started": (raw) => {
    const event = check(speechStartedSchema, raw);
    return (
      event && {
        type: "speech-started",
        itemId: event.item_id ?? undefined,
        audioStartMs: event.audio_start_ms ?? 0,
        raw,
      }
    );
  },
  "input_audio_buffer.speech_stopped": (raw) => {
    const event = check(speechStoppedSchema, raw);
    return (
      event && { type: "speech-stopped", itemId: event.item_id ?? undefined, audioEndMs: event.audio_end_ms ?? 0, raw }
    );
  },
  "input_audio_buffer.committed": (raw) => {
    const event = check(committedSchema, raw);
    return (
      event && {
        type: "input-committed",
        itemId: event.item_id ?? undefined,
        previousItemId: event.previous_item_id ?? undefined,
        raw,
      }
    );
  },
  "input_audio_buffer.cleared": (raw) => ({ type: "input-cleared", raw }),
  "input_audio_buffer.timeout_triggered": (raw) => {
    const event = check(timeoutSchema, raw);
    return event && { type: "input-timeout", itemId: event.item_id ?? undefined, raw };
  },
  "conversation.item.input_audio_transcription.delta": (raw) => {
    const event = check(transcriptDeltaSchema, raw);
    return event && { type: "user-transcript-delta", itemId: event.item_id, delta: event.delta, raw };
  },
  "conversation.item.input_audio_transcription.completed": (raw) => {
    const event = check(transcriptCompletedSchema, raw);
    return event && { type: "user-transcript-done", itemId: event.item_id, transcript: event.transcript, raw };
  },
  "conversation.item.input_audio_transcription.failed": (raw) => {
    const event = check(transcriptFailedSchema, raw);
    return event && { type: "user-transcript-failed", itemId: event.item_id, error: toErrorInfo(event.error), raw };
  },
  "response.created": (raw) => {
    const event = check(responseCreatedSchema, raw);
    return event && { type: "response-created", responseId: event.response.id, raw };
  },
  "response.output_item.added": (raw) => {
    const event = check(outputItemSchema, raw);
    return (
      event && {
        type: "output-item-added",
        responseId: event.response_id,
        itemId: event.item.id,
        itemType: event.item.type,
        raw,
      }
    );
  },
  "response.output_item.done": (raw) => {
    const event = check(outputItemSchema, raw);
    return (
      event && {
        type: "output-item-done",
        responseId: event.response_id,
        itemId: event.item.id,
        itemType: event.item.type,
        raw,
      }
    );
  },
  "response.output_audio.done": (raw) => {
    const event = check(audioDoneSchema, raw);
    return event && { type: "audio-done", responseId: event.response_id, itemId: event.item_id, raw };
  },
  "response.output_audio_transcript.delta": (raw) => {
    const event = check(textDeltaSchema, raw);
    return (
      event && {
        type: "audio-transcript-delta",
        responseId: event.response_id,
        itemId: event.item_id,
        delta: event.delta,
        raw,
      }
    );
  },
  "response.output_audio_transcript.done": (raw) => {
    const event = check(transcriptDoneSchema, raw);
    return (
      event && {
        type: "audio-transcript-done",
        responseId: event.response_id,
        itemId: event.item_id,
        transcript: event.transcript,
        raw,
      }
    );
  },
  "response.output_text.delta": (raw) => {
    const event = check(textDeltaSchema, raw);
    return (
      event && { type: "text-delta", responseId: event.response_id, itemId: event.item_id, delta: event.delta, raw }
    );
  },
  "response.output_text.done": (raw) => {
    const event = check(textDoneSchema, raw);
    return event && { type: "text-done", responseId: event.response_id, itemId: event.item_id, text: event.text, raw };
  },
  "response.function_call_arguments.done": (raw) => {
    const event = check(functionCallDoneSchema, raw);
    return (
      event && {
        type: "function-call-done",
        responseId: event.response_id ?? "",
        itemId: event.item_id ?? "",
        callId: event.call_id,
        name: event.name ?? "",
        arguments: parseToolArguments(event.arguments),
        argumentsText: event.arguments,
        raw,
      }
    );
  },
  "response.done": (raw) => {
    const event = check(responseDoneSchema, raw);
    if (!event) return undefined;
    const details = event.response.status_details;
    return {
      type: "response-done",
      responseId: event.response.id,
      status: event.response.status ?? "completed",
      reason: details?.reason ?? undefined,
      error: details?.error ? toErrorInfo(details.error) : undefined,
      usage: toUsage(event.response.usage as Raw | null | undefined),
      raw,
    };
  },
  "conversation.item.added": (raw) => {
    const event = check(itemEventSchema, raw);
    return (
      event && {
        type: "item-added",
        itemId: event.item.id,
        previousItemId: event.previous_item_id ?? undefined,
        item: event.item,
        raw,
      }
    );
  },
  "conversation.item.done": (raw) => {
    const event = check(itemEventSchema, raw);
    return event && { type: "item-done", itemId: event.item.id, item: event.item, raw };
  },
  "conversation.item.truncated": (raw) => {
    const event = check(truncatedSchema, raw);
    return (
      event && {
        type: "item-truncated",
        itemId: event.item_id,
        contentIndex: event.content_index,
        audioEndMs: event.audio_end_ms,
        raw,
      }
    );
  },
  "conversation.item.deleted": (raw) => {
    const event = check(deletedSchema, raw);
    return event && { type: "item-deleted", itemId: event.item_id, raw };
  },
  "rate_limits.updated": (raw) => ({ type: "rate-limits-updated", raw }),
  error: (raw) => {
    const event = check(errorEventSchema, raw);
    return event && { type: "error", error: toErrorInfo(event.error), raw };
  },
};
