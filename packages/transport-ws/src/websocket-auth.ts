import type { VoiceSession } from "@roomkit/spec";
import type { WebSocketConnection } from "./websocket-connection.ts";

/** What `authenticate` sees about the caller. */
export interface WebSocketAuthContext {
  url: URL;
  headers: Headers;
  /** The framework's upgrade request: a Fetch `Request` (Bun.serve) or a Node `IncomingMessage` (ws). */
  request: unknown;
  /** The framework's socket. */
  socket: unknown;
  connection: WebSocketConnection;
  session: VoiceSession;
}

/** Returns metadata merged into `session.metadata` (it may set `system_prompt`, `voice`, `tools`...), or null to reject. */
export type WebSocketAuthenticate = (
  context: WebSocketAuthContext,
) => Record<string, unknown> | null | undefined | Promise<Record<string, unknown> | null | undefined>;

export const ABORTED = Symbol("aborted");

/** Resolves with `value`, or rejects with ABORTED as soon as `signal` aborts (a slow authenticate cannot hold a cancelled start). */
export function abortable<T>(value: T | Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined || !(value instanceof Promise)) return Promise.resolve(value);
  if (signal.aborted) return Promise.reject(ABORTED);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(ABORTED);
    signal.addEventListener("abort", onAbort, { once: true });
    value.then(
      (result) => {
        signal.removeEventListener("abort", onAbort);
        resolve(result);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
