import {
  GoogleGenAI,
  type LiveConnectConfig,
  type LiveSendClientContentParameters,
  type LiveSendRealtimeInputParameters,
  type LiveSendToolResponseParameters,
  type LiveServerMessage,
} from "@google/genai";
import { guardSdkFrames, type SocketWatcher } from "./sdk-frame-guard.ts";
import {
  InvalidArgumentError,
  LoadApiKeyError,
  ProviderAuthenticationError,
  ProviderConnectionError,
  ProviderRateLimitError,
  type RoomKitError,
} from "@roomkit/spec";
import { closeToProviderError } from "./wire/to-provider-error.ts";

export type GeminiApiVersion = "v1alpha" | "v1beta";

/** Server frames above this are dropped (a Live message is a few kilobytes; ws's own default is 100 MiB). */
export const DEFAULT_MAX_INBOUND_FRAME_BYTES = 16 * 1024 * 1024;

/** The part of the SDK's live `Session` the provider uses (tests may inject their own). */
export interface LiveSessionLike {
  sendRealtimeInput(params: LiveSendRealtimeInputParameters): void;
  sendClientContent(params: LiveSendClientContentParameters): void;
  sendToolResponse(params: LiveSendToolResponseParameters): void;
  close(): void;
}

export interface LiveConnectRequest {
  apiVersion: GeminiApiVersion;
  model: string;
  config: LiveConnectConfig;
  onMessage(message: LiveServerMessage): void;
  onClose(code: number, reason: string): void;
  /** A frame that is not JSON was dropped before the SDK parsed it. */
  onInvalidMessage?(reason: string): void;
  /** Aborted when the caller gives up on this attempt (timeout, close): the socket is closed at once. */
  signal?: AbortSignal;
}

/**
 * Opens one Live connection and resolves after `setupComplete`. Network and server outcomes reject with
 * `LiveConnectFailure` (close code and reason when the server closed); any other error is treated as fatal.
 */
export type LiveConnector = (request: LiveConnectRequest) => Promise<LiveSessionLike>;

/** A connect attempt that the server refused or that closed before `setupComplete`. */
export class LiveConnectFailure extends Error {
  constructor(
    readonly closeCode: number | undefined,
    readonly closeReason: string,
    options?: { cause?: unknown },
  ) {
    super(
      closeCode === undefined
        ? `Gemini Live connection failed: ${closeReason}`
        : `Gemini Live closed the connection (code ${closeCode}): ${closeReason}`,
      options,
    );
  }
}

/**
 * The default connector: `@google/genai`'s `ai.live.connect`, one `GoogleGenAI` client per API version (the SDK
 * fixes the version per client and refuses per-connect HTTP options).
 */
export function createSdkLiveConnector(options: {
  apiKey: string;
  baseUrl?: string;
  /** Server frames above this are dropped and reported (default 16 MiB); the socket refuses 4× that. */
  maxInboundFrameBytes?: number;
}): LiveConnector {
  const maxFrameBytes = options.maxInboundFrameBytes ?? DEFAULT_MAX_INBOUND_FRAME_BYTES;
  const limits = { maxFrameBytes, maxPayloadBytes: maxFrameBytes * 4 };
  const clients = new Map<GeminiApiVersion, GoogleGenAI>();
  const client = (apiVersion: GeminiApiVersion) => {
    let ai = clients.get(apiVersion);
    if (!ai) {
      ai = new GoogleGenAI({
        apiKey: options.apiKey,
        httpOptions: { apiVersion, ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}) },
      });
      guardSdkFrames(ai, () => nextWatcher, limits);
      clients.set(apiVersion, ai);
    }
    return ai;
  };
  let nextWatcher: SocketWatcher | undefined;
  return async (request) => {
    let closed: { code: number; reason: string } | undefined;
    const ai = client(request.apiVersion);
    let socket: { close(): void } | undefined;
    const closeSocket = () => {
      try {
        socket?.close();
      } catch {
        // not open yet or already closed
      }
    };
    request.signal?.addEventListener("abort", closeSocket, { once: true });
    nextWatcher = { report: request.onInvalidMessage?.bind(request), created: (created) => (socket = created) };
    try {
      const connecting = ai.live.connect({
        model: request.model,
        config: request.config,
        callbacks: {
          onmessage: (message) => request.onMessage(message),
          onclose: (event) => {
            closed = { code: event?.code ?? 1006, reason: event?.reason ?? "" };
            request.onClose(closed.code, closed.reason);
          },
          onerror: () => {},
        },
      });
      nextWatcher = undefined; // the socket was created synchronously above
      return await connecting;
    } catch (error) {
      if (closed) throw new LiveConnectFailure(closed.code, closed.reason, { cause: error });
      throw new LiveConnectFailure(undefined, error instanceof Error ? error.message : String(error), { cause: error });
    } finally {
      request.signal?.removeEventListener("abort", closeSocket);
    }
  };
}

/**
 * The error `connect` rejects with: the close code as `ws_<code>` and the reason verbatim; config errors as is. A
 * refused key or an exhausted quota is a `ProviderAuthenticationError` / `ProviderRateLimitError`, any other refusal
 * a `ProviderConnectionError`.
 */
export function toConnectionError(error: unknown): RoomKitError {
  if (error instanceof InvalidArgumentError || error instanceof LoadApiKeyError) return error;
  if (error instanceof LiveConnectFailure && error.closeCode !== undefined) {
    const init = { message: error.message, code: `ws_${error.closeCode}`, cause: error };
    const kind = closeToProviderError(error.closeCode, error.closeReason, init);
    if (kind instanceof ProviderAuthenticationError || kind instanceof ProviderRateLimitError) return kind;
    return new ProviderConnectionError(init);
  }
  return new ProviderConnectionError({
    message: `Gemini Live connection failed: ${error instanceof Error ? error.message : String(error)}`,
    cause: error,
  });
}
