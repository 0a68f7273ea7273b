import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { type ConversationStore, MemoryConversationStore, RoomKit, SqliteConversationStore } from "@roomkit/core";
import { RealtimeVoiceChannel } from "@roomkit/realtime-channel";
import { createConsoleLogger, type Logger, type RealtimeVoiceProvider } from "@roomkit/spec";
import { createBunWebSocketAdapter, WebSocketRealtimeTransport } from "@roomkit/transport-ws";
import type { DemoProvider } from "./demo-provider.ts";
import { DEMO_TOOLS, runDemoTool } from "./demo-tools.ts";
import { buildWebAssets } from "./web-assets.ts";

export interface DemoServerOptions {
  provider: RealtimeVoiceProvider;
  /** `openai`, `gemini`, `offline` or `offline-gemini` (the badge's colour). */
  providerKind: string;
  /** Badge text. */
  label: string;
  /** The plain statement of the mode shown on the page. */
  mode: string;
  /** Placeholder of the page's text box. */
  typingHint?: string;
  port?: number;
  hostname?: string;
  /** SQLite file, or `:memory:`; `undefined` keeps timelines in memory. */
  databasePath?: string;
  /** Rate the browser sends (the channel resamples to what the provider accepts). */
  inputSampleRate?: number;
  outputSampleRate?: number;
  providerConfig?: Record<string, unknown>;
  systemPrompt?: string;
  voice?: string;
  logger?: Logger;
}

/** The server options that come from the chosen provider (badge, mode text, voice, providerConfig). */
export function providerServerOptions(
  demoProvider: Pick<DemoProvider, "provider" | "kind" | "label" | "mode" | "typingHint" | "voice" | "providerConfig">,
): Pick<DemoServerOptions, "provider" | "providerKind" | "label" | "mode" | "typingHint" | "voice" | "providerConfig"> {
  return {
    provider: demoProvider.provider,
    providerKind: demoProvider.kind,
    label: demoProvider.label,
    mode: demoProvider.mode,
    typingHint: demoProvider.typingHint,
    voice: demoProvider.voice,
    providerConfig: demoProvider.providerConfig,
  };
}

export interface DemoServer {
  url: string;
  port: number;
  kit: RoomKit;
  channel: RealtimeVoiceChannel;
  transport: WebSocketRealtimeTransport;
  stop(): Promise<void>;
}

const ROOM_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_TYPED_CHARS = 2000;

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body, null, 2), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
  });
}

/** The demo: page + `/ws` (one voice session per socket) + `/config` + `/rooms/:id/timeline`. */
export async function startDemoServer(options: DemoServerOptions): Promise<DemoServer> {
  const logger = options.logger ?? createConsoleLogger({ name: "demo" });
  let store: ConversationStore;
  if (options.databasePath === undefined) {
    store = new MemoryConversationStore();
  } else {
    if (options.databasePath !== ":memory:") mkdirSync(dirname(options.databasePath), { recursive: true });
    store = new SqliteConversationStore({ path: options.databasePath });
  }
  const kit = new RoomKit({ store, logger });
  const transport = new WebSocketRealtimeTransport({ audioFormat: "binary", logger });
  const inputSampleRate = options.inputSampleRate ?? 16000;
  const outputSampleRate = options.outputSampleRate ?? 24000;
  const channel = new RealtimeVoiceChannel("voice", {
    provider: options.provider,
    transport,
    systemPrompt:
      options.systemPrompt ??
      "You are a friendly voice assistant in a demo. Be brief. Use get_weather for weather and lookup_order for orders.",
    voice: options.voice,
    tools: DEMO_TOOLS,
    inputSampleRate,
    outputSampleRate,
    providerConfig: options.providerConfig,
    // The seed's advice for Gemini Live: no caller audio while a tool runs (the transport drops it).
    muteOnToolCall: options.providerKind === "gemini" || options.providerKind === "offline-gemini",
    logger,
    toolHandler: (session, name, args, context) => {
      const result = runDemoTool(name, args);
      transport.sendMessage(session, {
        type: "tool_call",
        name,
        call_id: context.callId,
        arguments: args,
        result: JSON.stringify(result),
      });
      return result;
    },
  });
  kit.registerChannel(channel);

  const ensureRoom = async (roomId: string) => {
    try {
      await kit.getRoom(roomId);
    } catch {
      await kit.createRoom({ roomId, metadata: { demo: true } });
    }
    if ((await kit.getBinding(roomId, "voice")) === undefined) await kit.attachChannel(roomId, "voice");
  };

  const adapter = createBunWebSocketAdapter({
    onConnection: async (connection) => {
      const requested = connection.url.searchParams.get("room") ?? "";
      const roomId = ROOM_ID_PATTERN.test(requested) ? requested : `room-${crypto.randomUUID().slice(0, 8)}`;
      await ensureRoom(roomId);
      await channel.startSession(roomId, "caller", { connection, metadata: { source: "demo-page" } });
    },
    // A failed start is logged and the socket closed with 1011 by the adapter.
    logger,
  });

  /** POST /rooms/:id/text {"text"}: a typed user message into the room's live voice session. */
  const typedMessage = async (roomId: string, request: Request): Promise<Response> => {
    if (!ROOM_ID_PATTERN.test(roomId)) return json({ error: "invalid room id" }, 400);
    let body: unknown;
    try {
      body = await request.json();
    } catch {
      return json({ error: "expected a JSON body" }, 400);
    }
    const text = (body as { text?: unknown } | null)?.text;
    if (typeof text !== "string" || text.trim().length === 0 || text.length > MAX_TYPED_CHARS) {
      return json({ error: `text must be a non-empty string of at most ${MAX_TYPED_CHARS} characters` }, 400);
    }
    const session = channel.getRoomSessions(roomId).find((candidate) => candidate.isActive);
    if (session === undefined) return json({ error: "no live voice session in this room" }, 409);
    await channel.injectText(session, text.trim(), { role: "user" });
    return json({ ok: true }, 202);
  };

  const assets = await buildWebAssets();
  const config = {
    provider: options.providerKind,
    label: options.label,
    mode: options.mode,
    typingHint: options.typingHint,
    inputSampleRate,
    outputSampleRate,
  };

  const server = Bun.serve({
    port: options.port ?? 3000,
    hostname: options.hostname ?? "localhost",
    fetch: async (request, bunServer) => {
      const url = new URL(request.url);
      if (url.pathname === "/ws") {
        if (adapter.upgrade(request, bunServer)) return undefined;
        return new Response("Expected a WebSocket upgrade", { status: 426 });
      }
      if (url.pathname === "/" || url.pathname === "/index.html") {
        return new Response(assets.html, { headers: { "content-type": "text/html; charset=utf-8" } });
      }
      if (url.pathname === "/app.js") {
        return new Response(assets.script, { headers: { "content-type": "text/javascript; charset=utf-8" } });
      }
      if (url.pathname === "/styles.css") {
        return new Response(assets.css, { headers: { "content-type": "text/css; charset=utf-8" } });
      }
      if (url.pathname === "/config") return json(config);
      if (url.pathname === "/favicon.ico") return new Response(null, { status: 204 });
      if (url.pathname === "/health") return json({ ok: true, sessions: transport.sessionCount });
      const typed = /^\/rooms\/([^/]+)\/text$/.exec(url.pathname);
      if (typed && request.method === "POST") return typedMessage(decodeURIComponent(typed[1]!), request);
      const timeline = /^\/rooms\/([^/]+)\/timeline$/.exec(url.pathname);
      if (timeline) {
        const roomId = decodeURIComponent(timeline[1]!);
        if (!ROOM_ID_PATTERN.test(roomId)) return json({ error: "invalid room id" }, 400);
        try {
          await kit.getRoom(roomId);
        } catch {
          return json({ error: `room ${roomId} not found` }, 404);
        }
        const limit = Math.min(1000, Math.max(1, Number(url.searchParams.get("limit") ?? 200) || 200));
        return json({ roomId, events: await kit.getTimeline(roomId, { limit }) });
      }
      return new Response("Not found", { status: 404 });
    },
    websocket: adapter.websocket,
  });

  let stopped = false;
  return {
    url: `http://${server.hostname}:${server.port}`,
    port: server.port ?? 0,
    kit,
    channel,
    transport,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await kit.close(); // ends every session (clients get session_ended), then closes the store
      await transport.close();
      server.stop(true);
    },
  };
}
