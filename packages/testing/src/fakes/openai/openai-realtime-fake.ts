import { createServer, type IncomingMessage, type Server } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { Duplex } from "node:stream";
import { systemClock } from "@roomkit/spec";
import { Notifier } from "@roomkit/test-support";
import { WebSocketServer } from "ws";
import { defaultOpenAIBrain, echoOpenAIBrain } from "./brain.ts";
import { FakeConnection, type FakeServerContext, pushBounded } from "./fake-connection.ts";
import { listenOnLoopback, pickConnection, waitForEntry } from "../fake-server-support.ts";
import { FaultState } from "./fault-state.ts";
import type {
  FakeConnectionInfo,
  OpenAIRealtimeFakeOptions,
  RealtimeServerEvent,
  ReceivedClientEvent,
  SentServerEvent,
} from "./types.ts";

/** Fault injection on the latest live (or a given) connection. */
export interface OpenAIRealtimeFakeFaults {
  /** Drop the TCP connection without a close frame (the client sees 1006). */
  dropSocket(connectionId?: number): void;
  /** Close with a code and reason. */
  close(code: number, reason: string, connectionId?: number): void;
  /** Delay the next `count` server events of a type by `ms` (later events overtake them). */
  delayEvent(type: string, ms: number, count?: number): void;
  /** Send the next `count` server events of a type twice. */
  duplicateEvent(type: string, count?: number): void;
  /** Swap the next two server events of a type. */
  reorderEvent(type: string): void;
  /** Send an `error` event now. */
  sendError(
    error: { type?: string; code: string | null; message: string; param?: string },
    connectionId?: number,
  ): void;
  /** Send raw text (invalid JSON, unknown events, oversized frames). */
  sendRaw(text: string, connectionId?: number): void;
  /** Send a server event as is. */
  sendEvent(event: RealtimeServerEvent | { type: string; [key: string]: unknown }, connectionId?: number): void;
  /** The next `count` input transcriptions fail (`…input_audio_transcription.failed`). */
  failTranscriptions(count?: number): void;
  /** End the session now: error `session_expired`, then close 1000. */
  expireSession(connectionId?: number): void;
  /** Reject the next `count` upgrades with this HTTP status (401, 500, ...). */
  rejectUpgrades(count: number, status: number): void;
}

export interface OpenAIRealtimeFake {
  /** `ws://127.0.0.1:<port>/v1/realtime` (`wss://` with `tls`; add `?model=...`). */
  readonly url: string;
  /** `http(s)://127.0.0.1:<port>/v1`, for an `openai` client's `baseURL` (the SDK derives `wss://…/realtime`). */
  readonly httpBaseUrl: string;
  /** `ws://127.0.0.1:<port>/v1/realtime`, for a provider's `baseUrl`. */
  readonly baseUrl: string;
  readonly port: number;
  readonly connections: readonly FakeConnectionInfo[];
  readonly received: readonly ReceivedClientEvent[];
  readonly faults: OpenAIRealtimeFakeFaults;
  queueTranscripts(...transcripts: string[]): void;
  /** The conversation items of the latest (or a given) connection. */
  conversation(connectionId?: number): readonly unknown[];
  /** The effective session of the latest (or a given) connection. */
  session(connectionId?: number): Record<string, any> | undefined;
  /** Whether the latest (or a given) connection has a response in progress. */
  isResponding(connectionId?: number): boolean;
  waitForClientEvent(
    predicate: (event: ReceivedClientEvent["event"], entry: ReceivedClientEvent) => boolean,
    options?: { timeoutMs?: number; includePast?: boolean },
  ): Promise<ReceivedClientEvent>;
  waitForServerEvent(
    predicate: (event: SentServerEvent["event"], entry: SentServerEvent) => boolean,
    options?: { timeoutMs?: number; includePast?: boolean },
  ): Promise<SentServerEvent>;
  /** Resolves with connection number `index` (0-based) once it is open. Default: the next new one. */
  waitForConnection(options?: { index?: number; timeoutMs?: number }): Promise<FakeConnectionInfo>;
  close(): Promise<void>;
}

const PATH = /\/realtime$/;

/** Starts a protocol-faithful OpenAI Realtime (GA) fake on 127.0.0.1, port 0. See protocols.md E1. */
export async function createOpenAIRealtimeFake(options: OpenAIRealtimeFakeOptions = {}): Promise<OpenAIRealtimeFake> {
  const clock = options.clock ?? systemClock;
  const live: FakeConnection[] = [];
  const infos: FakeConnectionInfo[] = [];
  const received: ReceivedClientEvent[] = [];
  const sentListeners = new Set<(entry: SentServerEvent) => void>();
  const receivedListeners = new Set<(entry: ReceivedClientEvent) => void>();
  const connectionsChanged = new Notifier();
  const faults = new FaultState();
  const transcripts = [...(options.transcripts ?? [])];
  const rejections = { count: 0, status: 401 };
  let counter = 0;
  const brain =
    options.brain === "echo"
      ? echoOpenAIBrain
      : typeof options.brain === "function"
        ? options.brain
        : defaultOpenAIBrain;
  const context: FakeServerContext = {
    options,
    clock,
    brain,
    transcripts,
    faults,
    nextId: (prefix) => `${prefix}_${(++counter).toString().padStart(4, "0")}`,
    onReceived(entry) {
      if (options.recordAudio !== false || entry.event.type !== "input_audio_buffer.append") {
        pushBounded(received, entry, options.maxRecordedEvents);
      }
      for (const listener of [...receivedListeners]) listener(entry);
    },
    onSent(entry) {
      for (const listener of [...sentListeners]) listener(entry);
    },
  };

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxPayloadBytes ?? 20 * 1024 * 1024,
    handleProtocols: (protocols: Set<string>) => (protocols.has("realtime") ? "realtime" : false),
  });
  const notFound = (_request: IncomingMessage, response: import("node:http").ServerResponse) => {
    response.writeHead(404);
    response.end();
  };
  const server: Server = options.tls
    ? (createTlsServer({ cert: options.tls.cert, key: options.tls.key }, notFound) as unknown as Server)
    : createServer(notFound);
  const scheme = options.tls ? "wss" : "ws";
  server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const raw = request.url ?? "";
    const queryIndex = raw.indexOf("?");
    const path = queryIndex >= 0 ? raw.slice(0, queryIndex) : raw;
    if (!PATH.test(path)) return reject(socket, 404, "Not Found");
    if (rejections.count > 0) {
      rejections.count--;
      return reject(socket, rejections.status, "Rejected");
    }
    const offered = String(request.headers["sec-websocket-protocol"] ?? "")
      .split(",")
      .map((entry) => entry.trim())
      .filter(Boolean);
    const bearer = /^Bearer\s+(\S+)/i.exec(String(request.headers.authorization ?? ""))?.[1];
    const apiKey =
      bearer ??
      (typeof request.headers["api-key"] === "string" ? request.headers["api-key"] : undefined) ??
      offered.find((entry) => entry.startsWith("openai-insecure-api-key."))?.slice("openai-insecure-api-key.".length) ??
      "";
    if (apiKey === "" || (options.isValidKey && !options.isValidKey(apiKey))) {
      return reject(socket, 401, "Unauthorized");
    }
    const beta =
      String(request.headers["openai-beta"] ?? "").includes("realtime=v1") ||
      offered.includes("openai-beta.realtime-v1");
    const query = Object.fromEntries(new URLSearchParams(queryIndex >= 0 ? raw.slice(queryIndex + 1) : ""));
    wss.handleUpgrade(request, socket, head, (ws) => {
      const info: FakeConnectionInfo = {
        id: infos.length + 1,
        path,
        query,
        headers: { ...request.headers },
        apiKey,
        protocol: offered.includes("realtime") ? "realtime" : undefined,
        shape: beta ? "beta" : "ga",
        received: [],
        sent: [],
        appendedAudio: [],
        appendCount: 0,
        appendedBytes: 0,
        closed: false,
        closeCode: undefined,
      };
      infos.push(info);
      const connection = new FakeConnection(ws, info, context);
      live.push(connection);
      connection.open();
      connectionsChanged.notify();
    });
  });
  const port = await listenOnLoopback(server);
  const target = (connectionId?: number) => pickConnection(live, connectionId);
  const waitFor = <T>(
    listeners: Set<(entry: T) => void>,
    past: readonly T[],
    matches: (entry: T) => boolean,
    waitOptions: { timeoutMs?: number; includePast?: boolean },
    what: string,
  ) => waitForEntry(listeners, past, matches, { timeoutMs: 10_000, ...waitOptions }, what);

  const faultApi: OpenAIRealtimeFakeFaults = {
    dropSocket: (id) => target(id)?.drop(),
    close: (code, reason, id) => target(id)?.close(code, reason),
    delayEvent: (type, ms, count = 1) => void faults.delays.set(type, { ms, count }),
    duplicateEvent: (type, count = 1) => void faults.duplicates.set(type, count),
    reorderEvent: (type) => void faults.reorders.add(type),
    sendError: (error, id) => target(id)?.sendError({ type: error.type ?? "invalid_request_error", ...error }),
    sendRaw: (text, id) => target(id)?.sendText(text),
    sendEvent: (event, id) => target(id)?.send(event as RealtimeServerEvent),
    failTranscriptions: (count = 1) => {
      faults.failTranscriptions += count;
    },
    expireSession: (id) => target(id)?.expire(),
    rejectUpgrades: (count, status) => {
      rejections.count = count;
      rejections.status = status;
    },
  };

  return {
    url: `${scheme}://127.0.0.1:${port}/v1/realtime`,
    baseUrl: `${scheme}://127.0.0.1:${port}/v1/realtime`,
    httpBaseUrl: `${options.tls ? "https" : "http"}://127.0.0.1:${port}/v1`,
    port,
    connections: infos,
    received,
    faults: faultApi,
    queueTranscripts: (...items) => void transcripts.push(...items),
    conversation: (id) => target(id)?.conversation.items.map((entry) => entry.item) ?? [],
    session: (id) => target(id)?.session,
    isResponding: (id) => target(id)?.response?.active ?? false,
    waitForClientEvent: (predicate, waitOptions = {}) =>
      waitFor(receivedListeners, received, (entry) => predicate(entry.event, entry), waitOptions, "a client event"),
    waitForServerEvent: (predicate, waitOptions = {}) =>
      waitFor(
        sentListeners,
        infos.flatMap((info) => info.sent),
        (entry) => predicate(entry.event, entry),
        waitOptions,
        "a server event",
      ),
    waitForConnection(waitOptions = {}) {
      const index = waitOptions.index ?? infos.length;
      const timeoutMs = waitOptions.timeoutMs ?? 10_000;
      return connectionsChanged.until(() => infos[index], { timeoutMs, label: `connection ${index}` });
    },
    async close() {
      for (const connection of live) connection.close(1001, "server closing");
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function reject(socket: Duplex, status: number, text: string): void {
  socket.write(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}
