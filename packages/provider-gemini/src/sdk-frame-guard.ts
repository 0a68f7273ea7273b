import type { GoogleGenAI } from "@google/genai";
import { WebSocket } from "ws";

interface SocketCallbacks {
  onmessage: (event: { data: unknown }) => void;
  [name: string]: unknown;
}
interface WebSocketFactoryLike {
  create(url: string, headers: Record<string, string>, callbacks: SocketCallbacks): unknown;
}

/** Receives the reason of each frame the guard dropped, for the connection being opened. */
export type InvalidFrameReporter = (reason: string) => void;

/** What the guard reports about the socket the SDK is creating: dropped frames, and the socket itself. */
export interface SocketWatcher {
  report?: InvalidFrameReporter;
  /** The SDK's socket wrapper, so a connect that is given up can close it before the SDK would. */
  created?(socket: { close(): void }): void;
}

const decoder = new TextDecoder();

/** Why a frame is not JSON, or undefined when it parses (Blobs pass: the SDK reads them asynchronously). */
export function invalidJsonReason(data: unknown): string | undefined {
  let text: string;
  if (typeof data === "string") text = data;
  else if (data instanceof Uint8Array) text = decoder.decode(data);
  else if (data instanceof ArrayBuffer) text = decoder.decode(new Uint8Array(data));
  else if (Array.isArray(data) && data.every((part) => part instanceof Uint8Array))
    text = Buffer.concat(data).toString();
  else return undefined;
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    return `invalid JSON (${text.length} chars): ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** Frame limits: larger frames are dropped and reported (`soft`); the socket refuses frames beyond `hard`. */
export interface FrameLimits {
  maxFrameBytes: number;
  /** ws `maxPayload`: a frame beyond it closes the socket (1009; 1006 under Bun) and the session resumes. */
  maxPayloadBytes: number;
}

function frameBytes(data: unknown): number {
  if (typeof data === "string") return Buffer.byteLength(data);
  if (data instanceof Uint8Array || data instanceof ArrayBuffer) return data.byteLength;
  if (Array.isArray(data)) return data.reduce((sum: number, part: Uint8Array) => sum + part.byteLength, 0);
  return 0;
}

/**
 * The SDK's Node socket (`connect`, `send`, `close` over `ws`), with `maxPayload` set: the SDK's own leaves ws's
 * 100 MiB default, so one huge frame would be buffered whole.
 */
class CappedSocket {
  readonly #url: string;
  readonly #headers: Record<string, string>;
  readonly #callbacks: SocketCallbacks;
  readonly #maxPayload: number;
  #ws: WebSocket | undefined;

  constructor(url: string, headers: Record<string, string>, callbacks: SocketCallbacks, maxPayload: number) {
    this.#url = url;
    this.#headers = headers;
    this.#callbacks = callbacks;
    this.#maxPayload = maxPayload;
  }

  connect(): void {
    const ws = new WebSocket(this.#url, { headers: this.#headers, maxPayload: this.#maxPayload });
    const callbacks = this.#callbacks as Record<string, ((event: unknown) => void) | undefined>;
    ws.onopen = (event) => callbacks.onopen?.(event);
    ws.onerror = (event) => callbacks.onerror?.(event);
    ws.onclose = (event) => callbacks.onclose?.(event);
    ws.onmessage = (event) => this.#callbacks.onmessage(event);
    this.#ws = ws;
  }

  send(message: string): void {
    if (this.#ws === undefined) throw new Error("WebSocket is not connected");
    this.#ws.send(message);
  }

  close(): void {
    if (this.#ws === undefined) throw new Error("WebSocket is not connected");
    this.#ws.close();
  }
}

/**
 * `@google/genai` parses every frame inside an un-awaited async function, so one frame that is not JSON becomes an
 * unhandled rejection, which ends a Bun or Node process. This wraps the client's socket factory so such frames are
 * dropped and reported before the SDK sees them, as are frames over `limits.maxFrameBytes`; with `limits`, the
 * socket is the SDK's Node socket with a `maxPayload` cap. The factory is an SDK internal: when it is not where 3.x
 * keeps it, nothing is wrapped. `watcherForNextSocket` is read synchronously when the SDK creates the socket (its
 * Developer-API `connect` does so before its first await).
 */
export function guardSdkFrames(
  ai: GoogleGenAI,
  watcherForNextSocket: () => SocketWatcher | undefined,
  limits?: FrameLimits,
): void {
  const live = ai.live as unknown as { webSocketFactory?: WebSocketFactoryLike };
  const inner = live.webSocketFactory;
  if (inner === undefined || typeof inner.create !== "function") return;
  live.webSocketFactory = {
    create: (url, headers, callbacks) => {
      const watcher = watcherForNextSocket();
      const onmessage = callbacks.onmessage;
      const guarded: SocketCallbacks = {
        ...callbacks,
        onmessage: (event) => {
          const bytes = limits === undefined ? 0 : frameBytes(event?.data);
          const reason =
            limits !== undefined && bytes > limits.maxFrameBytes
              ? `frame of ${bytes} bytes over the ${limits.maxFrameBytes}-byte cap`
              : invalidJsonReason(event?.data);
          if (reason === undefined) onmessage(event);
          else watcher?.report?.(reason);
        },
      };
      const socket =
        limits === undefined
          ? inner.create(url, headers, guarded)
          : new CappedSocket(url, headers, guarded, limits.maxPayloadBytes);
      watcher?.created?.(socket as { close(): void });
      return socket;
    },
  };
}
