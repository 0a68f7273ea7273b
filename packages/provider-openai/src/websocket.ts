import { ProviderAuthenticationError, ProviderConnectionError, ProviderRateLimitError } from "@roomkit/spec";
import { WebSocket as WsWebSocket } from "ws";

/** The part of a WebSocket (the `ws` package or the WHATWG one) the provider uses. */
export interface WebSocketLike {
  readonly readyState: number;
  readonly bufferedAmount?: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export interface WebSocketInit {
  headers: Record<string, string>;
  /** Largest frame accepted from the server. */
  maxPayload: number;
}

/** Opens a socket. Inject one in tests or to use another WebSocket implementation. */
export type WebSocketFactory = (url: string, init: WebSocketInit) => WebSocketLike;

export const OPEN = 1;

export const defaultWebSocketFactory: WebSocketFactory = (url, init) =>
  new WsWebSocket(url, { headers: init.headers, maxPayload: init.maxPayload }) as unknown as WebSocketLike;

/** Opens a socket and waits for `open`; rejects on error, early close, timeout or abort. */
export function openSocket(
  factory: WebSocketFactory,
  url: string,
  init: WebSocketInit,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<WebSocketLike> {
  return new Promise((resolve, reject) => {
    let socket: WebSocketLike;
    try {
      socket = factory(url, init);
    } catch (error) {
      reject(new ProviderConnectionError({ message: `Could not open ${redact(url)}`, cause: error }));
      return;
    }
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      socket.onopen = null;
      // Keep a listener: closing a socket that is still connecting makes `ws` emit an error.
      socket.onerror = () => {};
      socket.onclose = null;
      if (error) {
        try {
          socket.close();
        } catch {
          // already closed
        }
        reject(error);
      } else resolve(socket);
    };
    const onAbort = () =>
      finish(new ProviderConnectionError({ message: "Connect aborted", cause: options.signal?.reason }));
    const timer = setTimeout(
      () => finish(new ProviderConnectionError({ message: `Connect timed out after ${options.timeoutMs} ms` })),
      options.timeoutMs,
    );
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    socket.onopen = () => finish();
    socket.onerror = (event) => finish(connectError(event));
    socket.onclose = (event) =>
      finish(new ProviderConnectionError({ message: `Socket closed during connect (code ${event.code})` }));
  });
}

function connectError(event: unknown): Error {
  const error = (event as { error?: unknown; message?: string } | undefined)?.error ?? event;
  const message = error instanceof Error ? error.message : String((event as { message?: string })?.message ?? error);
  if (/\b401\b|\b403\b/.test(message)) {
    return new ProviderAuthenticationError({
      message: `OpenAI Realtime rejected the API key: ${message}`,
      cause: error,
    });
  }
  if (/\b429\b/.test(message)) {
    return new ProviderRateLimitError({ message: `OpenAI Realtime refused the connection: ${message}`, cause: error });
  }
  return new ProviderConnectionError({ message: `OpenAI Realtime connect failed: ${message}`, cause: error });
}

function redact(url: string): string {
  return url.replace(/key=[^&]+/, "key=***");
}
