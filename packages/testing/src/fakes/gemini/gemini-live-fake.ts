import { createServer, type IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { systemClock } from "@roomkit/spec";
import { Notifier } from "@roomkit/test-support";
import { WebSocketServer } from "ws";
import { ConversationStore } from "./conversation-store.ts";
import { FakeConnection, type FakeServerContext } from "./fake-connection.ts";
import { listenOnLoopback, pickConnection, waitForEntry } from "../fake-server-support.ts";
import { FaultState, type GeminiServerErrorKind, SERVER_ERROR_REASONS } from "./fault-state.ts";
import { DEFAULT_FAKE_MODELS } from "./setup-validation.ts";
import type {
  FakeConnectionInfo,
  FakeConversationInfo,
  GeminiApiVersion,
  GeminiClientMessage,
  GeminiLiveFakeOptions,
  GeminiServerMessage,
  ReceivedClientMessage,
} from "./types.ts";

const PATH =
  /\/ws\/google\.ai\.generativelanguage\.(v1alpha|v1beta)\.GenerativeService\.(BidiGenerateContent|BidiGenerateContentConstrained)$/;

/** Fault injection on the latest (or a given) connection. */
export interface GeminiLiveFakeFaults {
  /** Drop the TCP connection without a close frame (client sees 1006). */
  dropSocket(connectionId?: number): void;
  /** Close with a code and reason. */
  close(code: number, reason: string, connectionId?: number): void;
  /** Delay the next message of a kind (`toolCall`, `serverContent.turnComplete`, ...) by `ms`. */
  delay(kind: string, ms: number): void;
  /** Send the next `count` messages of a kind twice. */
  duplicate(kind: string, count?: number): void;
  /** Swap the next two messages of a kind. */
  reorder(kind: string): void;
  /** Send raw text or a message as is ("send an error": the Live API has no error message, so anything goes). */
  sendRaw(payload: string | GeminiServerMessage, connectionId?: number): void;
  /** Send `goAway` now; close the connection `timeLeftMs` later (default: the configured lead). */
  goAway(timeLeftMs?: number, connectionId?: number): void;
  /** End the connection's lifetime now: `goAway` with 0 s, then close. */
  expireConnection(connectionId?: number): void;
  /** The session hit its limit: close 1011 "Deadline expired". */
  expireSession(connectionId?: number): void;
  /**
   * A server fault, as the service reports it: close 1011 with the reason of its kind. `internal`, `unavailable`
   * and `deadline` are transient (resuming with the latest handle works); `quota` also refuses every later setup.
   */
  serverError(kind: GeminiServerErrorKind, connectionId?: number): void;
  /** Forget every resumption handle. */
  expireHandles(): void;
  /** Reject the next `count` setups with a code and reason. */
  rejectSetups(count: number, code: number, reason: string): void;
}

export interface GeminiLiveFake {
  /** `http://127.0.0.1:<port>`, for `httpOptions.baseUrl`. */
  readonly baseUrl: string;
  readonly port: number;
  readonly connections: readonly FakeConnectionInfo[];
  readonly conversations: readonly FakeConversationInfo[];
  readonly received: readonly ReceivedClientMessage[];
  readonly faults: GeminiLiveFakeFaults;
  /** Transcripts for the next audio turns (appended to the queue). */
  queueTranscripts(...transcripts: string[]): void;
  /** The live connection state (generating, pending tool calls) of the latest or a given connection. */
  connectionState(connectionId?: number): { generating: boolean; pendingToolCalls: readonly string[] } | undefined;
  /** Resolves with the first client message (from now on, or already received when `includePast`) matching. */
  waitForClientMessage(
    predicate: (message: GeminiClientMessage, entry: ReceivedClientMessage) => boolean,
    options?: { timeoutMs?: number; includePast?: boolean },
  ): Promise<ReceivedClientMessage>;
  /** Resolves when a new connection has completed setup (or with the n-th connection when `index` is given). */
  waitForConnection(options?: { index?: number; timeoutMs?: number }): Promise<FakeConnectionInfo>;
  close(): Promise<void>;
}

/** Starts a protocol-faithful Gemini Live fake server on 127.0.0.1 (port 0). See protocols.md E2. */
export async function createGeminiLiveFake(options: GeminiLiveFakeOptions = {}): Promise<GeminiLiveFake> {
  const clock = options.clock ?? systemClock;
  const live: FakeConnection[] = [];
  const infos: FakeConnectionInfo[] = [];
  const received: ReceivedClientMessage[] = [];
  const listeners = new Set<(entry: ReceivedClientMessage) => void>();
  const connectionsChanged = new Notifier();
  const faults = new FaultState();
  const transcripts = [...(options.transcripts ?? [])];
  let callCounter = 0;
  const context: FakeServerContext = {
    options,
    models: options.models ?? DEFAULT_FAKE_MODELS,
    clock,
    store: new ConversationStore(options.resumptionTtlMs ?? 2 * 60 * 60_000, () => clock.now()),
    faults,
    transcripts,
    record(entry) {
      received.push(entry);
    },
    handled(entry) {
      if (entry.message.setup) connectionsChanged.notify();
      for (const listener of [...listeners]) listener(entry);
    },
    nextCallId: () => `fc_${++callCounter}`,
    connectionsOf: (conversationId) =>
      live.filter((connection) => !connection.info.closed && connection.info.conversationId === conversationId),
  };

  const wss = new WebSocketServer({ noServer: true });
  const server = createServer((_request, response) => {
    response.writeHead(404);
    response.end();
  });
  server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Never `new URL(request.url, base)`: the SDK requests "//ws/...", which would parse "ws" as a host.
    const raw = request.url ?? "";
    const queryIndex = raw.indexOf("?");
    const path = queryIndex >= 0 ? raw.slice(0, queryIndex) : raw;
    const match = PATH.exec(path);
    if (!match) {
      socket.write("HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n");
      socket.destroy();
      return;
    }
    const query = new URLSearchParams(queryIndex >= 0 ? raw.slice(queryIndex + 1) : "");
    const method = match[2]!;
    const key = (method === "BidiGenerateContentConstrained" ? query.get("access_token") : query.get("key")) ?? "";
    wss.handleUpgrade(request, socket, head, (ws) => {
      const info: FakeConnectionInfo = {
        id: infos.length + 1,
        apiVersion: match[1] as GeminiApiVersion,
        method,
        key,
        path,
        headers: { ...request.headers },
        setup: undefined,
        conversationId: undefined,
        resumedFrom: undefined,
        closed: false,
        closeCode: undefined,
        closeReason: undefined,
        audioMessages: 0,
        audioBytes: 0,
        audioOutsideActivity: 0,
        sentMessages: [],
      };
      infos.push(info);
      const connection = new FakeConnection(ws, info, context);
      live.push(connection);
      const valid = key !== "" && (options.isValidKey ? options.isValidKey(key) : true);
      if (!valid) {
        connection.close(1008, options.invalidKeyReason ?? "API key not valid. Please pass a valid API key.");
      }
    });
  });
  const port = await listenOnLoopback(server);
  const target = (connectionId?: number) => pickConnection(live, connectionId);

  const faultApi: GeminiLiveFakeFaults = {
    dropSocket: (id) => target(id)?.drop(),
    close: (code, reason, id) => target(id)?.close(code, reason),
    delay: (kind, ms) => void faults.delays.set(kind, ms),
    duplicate: (kind, count = 1) => void faults.duplicates.set(kind, count),
    reorder: (kind) => void faults.reorders.add(kind),
    sendRaw: (payload, id) => {
      const connection = target(id);
      if (!connection || connection.info.closed) return;
      if (typeof payload === "string") connection.sendText(payload);
      else connection.send(payload);
    },
    goAway: (timeLeftMs, id) => {
      const connection = target(id);
      if (!connection) return;
      const lead = timeLeftMs ?? options.goAwayLeadMs ?? 60_000;
      connection.goAway(lead);
      clock.setTimeout(() => connection.close(options.lifetimeCloseCode ?? 1000, ""), lead);
    },
    expireConnection: (id) => {
      const connection = target(id);
      connection?.goAway(0);
      connection?.close(options.lifetimeCloseCode ?? 1000, "");
    },
    expireSession: (id) => target(id)?.close(1011, "Deadline expired before operation could complete."),
    serverError: (kind, id) => {
      if (kind === "quota") faults.quotaReason = SERVER_ERROR_REASONS.quota;
      target(id)?.close(1011, SERVER_ERROR_REASONS[kind]);
    },
    expireHandles: () => context.store.expireAll(),
    rejectSetups: (count, code, reason) => {
      faults.rejectSetups = { count, code, reason };
    },
  };

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    connections: infos,
    conversations: context.store.conversations,
    received,
    faults: faultApi,
    queueTranscripts: (...items) => void transcripts.push(...items),
    connectionState(connectionId) {
      const connection = target(connectionId);
      return connection
        ? { generating: connection.generating, pendingToolCalls: connection.pendingToolCalls }
        : undefined;
    },
    waitForClientMessage: (predicate, waitOptions = {}) =>
      waitForEntry(
        listeners,
        received,
        (entry) => predicate(entry.message, entry),
        { timeoutMs: 5000, ...waitOptions },
        "a client message",
      ),
    waitForConnection(waitOptions = {}) {
      const wanted = waitOptions.index ?? infos.filter((info) => info.setup).length + 1;
      const ready = () => infos.filter((info) => info.setup)[wanted - 1];
      return connectionsChanged.until(ready, {
        timeoutMs: waitOptions.timeoutMs ?? 5000,
        label: `connection ${wanted}`,
      });
    },
    async close() {
      for (const connection of live) connection.close(1001, "Server shutting down");
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
    },
  };
}
