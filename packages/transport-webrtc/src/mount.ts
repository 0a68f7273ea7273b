import { InvalidArgumentError } from "@roomkit/spec";
import { toNodeListener } from "./adapters/node-listener.ts";
import type { FastRTCRealtimeTransport } from "./fastrtc-realtime-transport.ts";
import {
  createFastRTCOfferHandler,
  type FastRTCOfferHandler,
  type FastRTCOfferHandlerOptions,
} from "./signalling/offer-handler.ts";

/** A Hono app (anything with `fetch` and `all(path, handler)`, the handler getting `c.req.raw`). */
interface HonoLike {
  fetch: (...args: never[]) => unknown;
  all(path: string, handler: (context: { req: { raw: Request }; env?: unknown }) => Promise<Response>): unknown;
}

/** An Express/Connect app or router (`all(path, listener)` with node request/response). */
interface ExpressLike {
  use: (...args: never[]) => unknown;
  all(path: string, listener: ReturnType<typeof toNodeListener>): unknown;
}

/** `Bun.serve({ routes })`: a plain object of path → handler, filled in place. */
type RoutesObject = Record<string, unknown>;

export type FastRTCMountTarget = HonoLike | ExpressLike | RoutesObject;

function isHono(app: unknown): app is HonoLike {
  return typeof (app as HonoLike).fetch === "function" && typeof (app as HonoLike).all === "function";
}

function isExpress(app: unknown): app is ExpressLike {
  return typeof (app as ExpressLike).use === "function" && typeof (app as ExpressLike).all === "function";
}

function isRoutesObject(app: unknown): app is RoutesObject {
  if (typeof app !== "object" || app === null) return false;
  const prototype = Object.getPrototypeOf(app);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Mounts FastRTC's signalling route `POST {path}/webrtc/offer` (RoomKit's `mount_fastrtc_realtime`) on a Hono app,
 * an Express app, or a `Bun.serve` routes object, and returns the fetch-style handler (which also works alone:
 * `Bun.serve({ fetch: handler })`, `createServer(toNodeListener(handler))`).
 * @throws RoomKitConfigError for bad options; InvalidArgumentError for an app it does not know.
 */
export function mountFastRTCRealtime(
  app: FastRTCMountTarget | null | undefined,
  transport: FastRTCRealtimeTransport,
  options: FastRTCOfferHandlerOptions = {},
): FastRTCOfferHandler {
  const handler = createFastRTCOfferHandler(transport, options);
  if (app === null || app === undefined) return handler;
  if (isHono(app)) app.all(handler.route, (context) => handler(context.req.raw, context.env));
  else if (isExpress(app)) app.all(handler.route, toNodeListener(handler));
  else if (isRoutesObject(app)) app[handler.route] = handler;
  else {
    throw new InvalidArgumentError(
      "mountFastRTCRealtime needs a Hono app, an Express app or a Bun.serve routes object; for node:http use " +
        "createServer(toNodeListener(createFastRTCOfferHandler(transport, options)))",
    );
  }
  return handler;
}
