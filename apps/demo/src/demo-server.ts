import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { type ConversationStore, MemoryConversationStore, RoomKit, SqliteConversationStore } from "@roomkit/core";
import { RealtimeVoiceChannel } from "@roomkit/realtime-channel";
import { createConsoleLogger, type Logger, type RealtimeTransport, type RealtimeVoiceProvider } from "@roomkit/spec";
import {
  createFastRTCOfferHandler,
  FastRTCRealtimeTransport,
  type FastRTCRealtimeTransportOptions,
} from "@roomkit/transport-webrtc";
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
  /**
   * ICE of the WebRTC route. Default: no STUN, and 127.0.0.1 advertised beside the machine's IPv4 addresses (the
   * demo listens on localhost; werift hides loopback otherwise).
   */
  webrtcIce?: Pick<
    FastRTCRealtimeTransportOptions,
    "iceServers" | "iceAdditionalHostAddresses" | "iceUseIpv4" | "iceUseIpv6" | "icePortRange"
  >;
}

/** The WebRTC signalling route (FastRTC's `{path}/webrtc/offer`); `?room=<id>` on it picks the room. */
export const WEBRTC_PATH = "/rtc-realtime";

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
  /** The same agent over WebRTC (`?transport=webrtc` on the page). */
  webrtcChannel: RealtimeVoiceChannel;
  webrtcTransport: FastRTCRealtimeTransport;
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

/**
 * The demo: page + `/ws` (one voice session per socket) + `POST /rtc-realtime/webrtc/offer` (one per browser peer) +
 * `/config` + `/rooms/:id/timeline`. Each transport has its own channel with the same agent.
 */
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
  // The Opus track is what the page plays (the browser's echo canceller works on it); μ-law on the DataChannel too,
  // for a page that asks for it (`?play=datachannel`).
  const webrtcTransport = new FastRTCRealtimeTransport({
    inputSampleRate,
    outputSampleRate,
    outboundAudio: "both",
    iceServers: [],
    iceAdditionalHostAddresses: ["127.0.0.1"],
    ...options.webrtcIce,
    logger,
  });
  const createChannel = (channelId: string, channelTransport: RealtimeTransport) =>
    new RealtimeVoiceChannel(channelId, {
      provider: options.provider,
      transport: channelTransport,
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
        channelTransport.sendMessage(session, {
          type: "tool_call",
          name,
          call_id: context.callId,
          arguments: args,
          result: JSON.stringify(result),
        });
        return result;
      },
    });
  const channel = createChannel("voice", transport);
  const webrtcChannel = createChannel("voice-webrtc", webrtcTransport);
  kit.registerChannel(channel);
  kit.registerChannel(webrtcChannel);

  const ensureRoom = async (roomId: string, channelId = "voice") => {
    try {
      await kit.getRoom(roomId);
    } catch {
      await kit.createRoom({ roomId, metadata: { demo: true } });
    }
    if ((await kit.getBinding(roomId, channelId)) === undefined) await kit.attachChannel(roomId, channelId);
  };
  const roomFrom = (url: URL) => {
    const requested = url.searchParams.get("room") ?? "";
    return ROOM_ID_PATTERN.test(requested) ? requested : `room-${crypto.randomUUID().slice(0, 8)}`;
  };

  // WebRTC: the offer's `?room=` is read at offer time (the auth hook) and comes back with the connected peer.
  const offerHandler = createFastRTCOfferHandler(webrtcTransport, {
    path: WEBRTC_PATH,
    concurrencyLimit: 20,
    auth: ({ request }) => ({ roomId: roomFrom(new URL(request.url)) }),
  });
  webrtcTransport.onClientConnected(async (webrtcId, metadata) => {
    const roomId = String(metadata.roomId);
    try {
      await ensureRoom(roomId, "voice-webrtc");
      await webrtcChannel.startSession(roomId, "caller", {
        connection: webrtcId,
        metadata: { source: "demo-page-webrtc" },
      });
    } catch (error) {
      logger.error("demo: the WebRTC session did not start", { roomId, error: String(error) });
    }
  });

  const adapter = createBunWebSocketAdapter({
    onConnection: async (connection) => {
      const roomId = roomFrom(connection.url);
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
    for (const voiceChannel of [channel, webrtcChannel]) {
      const session = voiceChannel.getRoomSessions(roomId).find((candidate) => candidate.isActive);
      if (session === undefined) continue;
      await voiceChannel.injectText(session, text.trim(), { role: "user" });
      return json({ ok: true }, 202);
    }
    return json({ error: "no live voice session in this room" }, 409);
  };

  const assets = await buildWebAssets();
  const config = {
    provider: options.providerKind,
    label: options.label,
    mode: options.mode,
    typingHint: options.typingHint,
    inputSampleRate,
    outputSampleRate,
    webrtcOfferUrl: `${WEBRTC_PATH}/webrtc/offer`,
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
      if (url.pathname.startsWith(`${WEBRTC_PATH}/`)) return offerHandler(request);
      if (url.pathname === "/config") return json(config);
      if (url.pathname === "/favicon.ico") return new Response(null, { status: 204 });
      if (url.pathname === "/health") {
        return json({ ok: true, sessions: transport.sessionCount, webrtcPeers: webrtcTransport.peerCount });
      }
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
    webrtcChannel,
    webrtcTransport,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await kit.close(); // ends every session (clients get session_ended), then closes the store
      await transport.close();
      await webrtcTransport.close();
      server.stop(true);
    },
  };
}
