import {
  type Clock,
  createRateLimiter,
  InvalidArgumentError,
  parseOptions,
  type RateLimiter,
  type RateLimitOption,
  retryAfterSeconds,
  TransportClosedError,
} from "@roomkit/spec";
import { z } from "zod";
import type { FastRTCRealtimeTransport } from "../fastrtc-realtime-transport.ts";
import { hasAudioSection, parseCandidate, parseOfferBody } from "./offer-body.ts";

/** What `auth` sees: the WebRTC id and the HTTP request (headers, cookies, URL) of the offer or candidate post. */
export interface FastRTCAuthContext {
  webrtcId: string;
  request: Request;
  type: "offer" | "ice-candidate";
}

/**
 * Runs before any peer connection exists. Return metadata to accept (merged into the session's metadata and passed
 * to `onClientConnected`), `null`/`undefined` to refuse (403 `{"detail":"unauthorized"}`); a throw is refused too
 * (403 `{"detail":"auth_error"}`).
 */
export type FastRTCAuth = (
  context: FastRTCAuthContext,
) => Record<string, unknown> | null | undefined | Promise<Record<string, unknown> | null | undefined>;

export interface FastRTCOfferHandlerOptions {
  /** Mount path; the route is `{path}/webrtc/offer`. Default `/rtc-realtime` (RoomKit). `""` mounts at the root. */
  path?: string;
  auth?: FastRTCAuth;
  /** Live peer connections at most (offer to close). Default 1, as in FastRTC: raise it for more than one browser. */
  concurrencyLimit?: number;
  /** Request bodies above this many bytes get 413. Default 256 KiB. */
  maxBodyBytes?: number;
  /** `Access-Control-Allow-Origin` for cross-origin clients (`true` = `*`); answers `OPTIONS` preflights. */
  cors?: boolean | string;
  /**
   * Signalling posts (offers and candidates) per remote address, checked before the body is read and before `auth`;
   * over it the answer is 429 `{"status":"failed","meta":{"error":"rate_limited","retry_after_ms":…}}` with
   * `Retry-After`. Default `{ perSecond: 20, burst: 100 }`; `false` turns it off.
   */
  rateLimit?: RateLimitOption;
  /**
   * The caller's address for the rate limit. Default: the second handler argument's `remoteAddress`, or Bun's
   * `server.requestIP(request)`, or a Node request's `socket.remoteAddress` (what `mountFastRTCRealtime` and
   * `toNodeListener` pass); requests without one share one bucket ("unknown"). Behind a proxy, read your trusted
   * forwarded-for header here.
   */
  clientAddress?: (request: Request, context: unknown) => string | undefined;
  /** Time source of the rate limiter. Default `systemClock`. */
  clock?: Pick<Clock, "now">;
}

/** Signalling posts per remote address by default: a burst of 100, then 20 per second. */
export const DEFAULT_SIGNALLING_RATE_LIMIT = { perSecond: 20, burst: 100 } as const;

/** `(Request) => Promise<Response>` for `POST {path}/webrtc/offer`; `route` is that pathname. */
export interface FastRTCOfferHandler {
  /**
   * `context` tells the caller's address: `{ remoteAddress }`, a Bun server (`requestIP`), or a Node request/Hono
   * env (`socket.remoteAddress`, `incoming.socket.remoteAddress`).
   */
  (request: Request, context?: unknown): Promise<Response>;
  readonly route: string;
  readonly transport: FastRTCRealtimeTransport;
  /** The signalling rate limiter (`undefined` when `rateLimit: false`); `rateLimiter.stats.refused` counts 429s. */
  readonly rateLimiter: RateLimiter | undefined;
}

type AddressSource = {
  remoteAddress?: unknown;
  requestIP?: (request: Request) => { address?: unknown } | null;
  socket?: { remoteAddress?: unknown };
  incoming?: { socket?: { remoteAddress?: unknown } };
};

/** The caller's address from what the framework passed next to the request (see `FastRTCOfferHandler`). */
export function remoteAddressOf(request: Request, context: unknown): string | undefined {
  if (typeof context !== "object" || context === null) return undefined;
  const source = context as AddressSource;
  const candidates = [
    source.remoteAddress,
    typeof source.requestIP === "function" ? source.requestIP(request)?.address : undefined,
    source.socket?.remoteAddress,
    source.incoming?.socket?.remoteAddress,
  ];
  return candidates.find((value): value is string => typeof value === "string" && value !== "");
}

const rateLimitSchema = z.union([
  z.literal(false),
  z.object({ perSecond: z.number().positive().finite(), burst: z.number().int().min(1) }),
]);

const schema = z.strictObject({
  path: z
    .string()
    .refine((value) => value === "" || (value.startsWith("/") && !value.endsWith("/")), {
      message: 'expected "" or a path starting with "/" and not ending with "/"',
    })
    .optional(),
  auth: z.custom<FastRTCAuth>((value) => typeof value === "function", { message: "expected a function" }).optional(),
  concurrencyLimit: z.number().int().positive().optional(),
  maxBodyBytes: z.number().int().positive().optional(),
  cors: z.union([z.boolean(), z.string().min(1)]).optional(),
  rateLimit: rateLimitSchema.optional(),
  clientAddress: z
    .custom<FastRTCOfferHandlerOptions["clientAddress"]>((value) => typeof value === "function", {
      message: "expected a function",
    })
    .optional(),
  clock: z.custom<Pick<Clock, "now">>((value) => typeof (value as Clock | undefined)?.now === "function").optional(),
});

class BodyTooLarge extends Error {}

async function readBody(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/**
 * FastRTC's signalling route as a framework-neutral fetch handler: the offer gets `{sdp, type:"answer"}` (every
 * server candidate inside), candidate posts get `{status:"success"}`; FastRTC's refusals are HTTP 200
 * `{status:"failed", meta:{error}}` (`connection_already_exists`, `concurrency_limit_reached` with `limit`,
 * `unknown_connection`, `connection_closed`, `invalid_candidate_format`). A bad body is 422 with FastAPI's
 * `{"detail":[...]}`, an unusable SDP 400, a refused `auth` 403 — all before any peer connection is created.
 * @throws RoomKitConfigError naming a bad option.
 */
export function createFastRTCOfferHandler(
  transport: FastRTCRealtimeTransport,
  options: FastRTCOfferHandlerOptions = {},
): FastRTCOfferHandler {
  const parsed = parseOptions("mountFastRTCRealtime", schema, options ?? {});
  const path = parsed.path ?? "/rtc-realtime";
  const route = `${path}/webrtc/offer`;
  const limit = parsed.concurrencyLimit ?? 1;
  const maxBodyBytes = parsed.maxBodyBytes ?? 256 * 1024;
  const auth = parsed.auth;
  const origin = parsed.cors === true ? "*" : parsed.cors || undefined;
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (origin) headers["access-control-allow-origin"] = origin;
  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers });
  const failed = (error: string, extra: Record<string, unknown> = {}) =>
    json({ status: "failed", meta: { error, ...extra } });
  const rateLimiter = createRateLimiter(parsed.rateLimit, DEFAULT_SIGNALLING_RATE_LIMIT, parsed.clock);
  const clientAddress = parsed.clientAddress ?? remoteAddressOf;

  const handle = async (request: Request, context?: unknown): Promise<Response> => {
    if (new URL(request.url).pathname !== route) return json({ detail: "Not Found" }, 404);
    if (request.method === "OPTIONS" && origin) {
      return new Response(null, {
        status: 204,
        headers: {
          "access-control-allow-origin": origin,
          "access-control-allow-methods": "POST, OPTIONS",
          "access-control-allow-headers": request.headers.get("access-control-request-headers") ?? "content-type",
          "access-control-max-age": "600",
        },
      });
    }
    if (request.method !== "POST") return json({ detail: "Method Not Allowed" }, 405);
    if (rateLimiter !== undefined) {
      const decision = rateLimiter.take(clientAddress(request, context) ?? "unknown");
      if (!decision.allowed) {
        return new Response(
          JSON.stringify({ status: "failed", meta: { error: "rate_limited", retry_after_ms: decision.retryAfterMs } }),
          { status: 429, headers: { ...headers, "retry-after": String(retryAfterSeconds(decision)) } },
        );
      }
    }
    let text: string;
    try {
      text = await readBody(request, maxBodyBytes);
    } catch (error) {
      if (error instanceof BodyTooLarge) return json({ detail: `body larger than ${maxBodyBytes} bytes` }, 413);
      return json({ detail: "could not read the request body" }, 400);
    }
    const body = parseOfferBody(text);
    if (!body.ok) return json({ detail: body.detail }, 422);
    const { webrtcId } = body.body;
    let metadata: Record<string, unknown> = {};
    if (auth) {
      try {
        const result = await auth({ webrtcId, request, type: body.body.kind });
        if (result === null || result === undefined) return json({ detail: "unauthorized" }, 403);
        metadata = { ...result };
      } catch {
        return json({ detail: "auth_error" }, 403);
      }
    }
    if (body.body.kind === "ice-candidate") {
      const peer = transport.getPeer(webrtcId);
      if (!peer) return failed("unknown_connection");
      if (peer.isClosed) return failed("connection_closed");
      const candidate = parseCandidate(body.body.candidate);
      if (!candidate) return failed("invalid_candidate_format");
      try {
        const result = await transport.addIceCandidate(webrtcId, candidate);
        return result === "added" ? json({ status: "success" }) : failed(result);
      } catch (error) {
        return failed((error as Error)?.message ?? String(error));
      }
    }
    const { sdp } = body.body;
    if (!sdp.startsWith("v=0")) return json({ detail: "invalid_sdp: an SDP offer starts with v=0" }, 400);
    if (!hasAudioSection(sdp)) return json({ detail: "invalid_sdp: the offer has no audio m-line" }, 400);
    // No await between these checks and openPeer: the peer is registered synchronously (no over-admission).
    if (transport.getPeer(webrtcId)) return failed("connection_already_exists");
    if (transport.peerCount >= limit) return failed("concurrency_limit_reached", { limit });
    try {
      const answer = await transport.openPeer(webrtcId, sdp, metadata);
      return json({ sdp: answer, type: "answer" });
    } catch (error) {
      if (error instanceof TransportClosedError) return json({ detail: "transport_closed" }, 503);
      if (error instanceof InvalidArgumentError) return json({ detail: `invalid_sdp: ${error.message}` }, 400);
      return json({ detail: "Internal Server Error" }, 500);
    }
  };
  return Object.assign(handle, { route, transport, rateLimiter });
}
