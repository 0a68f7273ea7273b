import type { GoogleGenAI } from "@google/genai";

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

/**
 * `@google/genai` parses every frame inside an un-awaited async function, so one frame that is not JSON becomes an
 * unhandled rejection, which ends a Bun or Node process. This wraps the client's socket factory so such frames are
 * dropped and reported before the SDK sees them. The factory is an SDK internal: when it is not where 3.x keeps it,
 * nothing is wrapped. `watcherForNextSocket` is read synchronously when the SDK creates the socket (its
 * Developer-API `connect` does so before its first await).
 */
export function guardSdkFrames(ai: GoogleGenAI, watcherForNextSocket: () => SocketWatcher | undefined): void {
  const live = ai.live as unknown as { webSocketFactory?: WebSocketFactoryLike };
  const inner = live.webSocketFactory;
  if (inner === undefined || typeof inner.create !== "function") return;
  live.webSocketFactory = {
    create: (url, headers, callbacks) => {
      const watcher = watcherForNextSocket();
      const onmessage = callbacks.onmessage;
      const socket = inner.create(url, headers, {
        ...callbacks,
        onmessage: (event) => {
          const reason = invalidJsonReason(event?.data);
          if (reason === undefined) onmessage(event);
          else watcher?.report?.(reason);
        },
      });
      watcher?.created?.(socket as { close(): void });
      return socket;
    },
  };
}
