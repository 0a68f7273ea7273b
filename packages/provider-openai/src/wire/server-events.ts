import type { ToolArguments } from "@roomkit/spec";

/** Token usage of one response, as the GA `response.done` reports it. */
export interface OpenAIUsage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  details: Record<string, unknown>;
}

export interface OpenAIErrorInfo {
  /** `error.code`, or `error.type` when the code is null. */
  code: string;
  message: string;
  errorType: string;
  param: string | undefined;
  /** The client `event_id` that caused it, when the server echoes one. */
  eventId: string | undefined;
}

/**
 * A server event, normalized (hyphenated noun-verb names). Every event keeps the parsed JSON in `raw`.
 * Unknown events become `custom`; frames that are not JSON or break a known event's shape become `invalid`.
 */
export type OpenAIServerEvent =
  | { type: "session-created"; sessionId: string; session: Record<string, unknown>; raw: unknown }
  | { type: "session-updated"; sessionId: string; session: Record<string, unknown>; raw: unknown }
  | { type: "speech-started"; itemId: string | undefined; audioStartMs: number; raw: unknown }
  | { type: "speech-stopped"; itemId: string | undefined; audioEndMs: number; raw: unknown }
  | { type: "input-committed"; itemId: string | undefined; previousItemId: string | undefined; raw: unknown }
  | { type: "input-cleared"; raw: unknown }
  | { type: "input-timeout"; itemId: string | undefined; raw: unknown }
  | { type: "user-transcript-delta"; itemId: string; delta: string; raw: unknown }
  | { type: "user-transcript-done"; itemId: string; transcript: string; raw: unknown }
  | { type: "user-transcript-failed"; itemId: string; error: OpenAIErrorInfo; raw: unknown }
  | { type: "response-created"; responseId: string; raw: unknown }
  | { type: "output-item-added"; responseId: string; itemId: string; itemType: string; raw: unknown }
  | { type: "output-item-done"; responseId: string; itemId: string; itemType: string; raw: unknown }
  | { type: "audio-delta"; responseId: string; itemId: string; contentIndex: number; delta: string; raw: unknown }
  | { type: "audio-done"; responseId: string; itemId: string; raw: unknown }
  | { type: "audio-transcript-delta"; responseId: string; itemId: string; delta: string; raw: unknown }
  | { type: "audio-transcript-done"; responseId: string; itemId: string; transcript: string; raw: unknown }
  | { type: "text-delta"; responseId: string; itemId: string; delta: string; raw: unknown }
  | { type: "text-done"; responseId: string; itemId: string; text: string; raw: unknown }
  | {
      type: "function-call-done";
      responseId: string;
      itemId: string;
      callId: string;
      name: string;
      /** Parsed arguments; unparseable JSON arrives as `{ raw: "<text>" }`. */
      arguments: ToolArguments;
      argumentsText: string;
      raw: unknown;
    }
  | {
      type: "response-done";
      responseId: string;
      status: string;
      reason: string | undefined;
      error: OpenAIErrorInfo | undefined;
      usage: OpenAIUsage | undefined;
      raw: unknown;
    }
  | {
      type: "item-added";
      itemId: string;
      previousItemId: string | undefined;
      item: Record<string, unknown>;
      raw: unknown;
    }
  | { type: "item-done"; itemId: string; item: Record<string, unknown>; raw: unknown }
  | { type: "item-truncated"; itemId: string; contentIndex: number; audioEndMs: number; raw: unknown }
  | { type: "item-deleted"; itemId: string; raw: unknown }
  | { type: "rate-limits-updated"; raw: unknown }
  | { type: "error"; error: OpenAIErrorInfo; raw: unknown }
  /** `known`: a documented GA event this mapping does not act on (e.g. `response.content_part.added`). */
  | { type: "custom"; rawType: string | undefined; known: boolean; raw: unknown }
  | { type: "invalid"; reason: string; raw: unknown };

export type OpenAIServerEventType = OpenAIServerEvent["type"];
