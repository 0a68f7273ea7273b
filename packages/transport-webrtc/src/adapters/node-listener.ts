import type { IncomingMessage, ServerResponse } from "node:http";
import type { FastRTCOfferHandler } from "../signalling/offer-handler.ts";

/** A node:http / Express / Connect style listener. `next` (Express) gets requests for other paths. */
export type NodeListener = (
  request: IncomingMessage,
  response: ServerResponse,
  next?: (error?: unknown) => void,
) => void;

/** Bodies read from a node stream are capped here too (the handler applies its own, smaller limit). */
const MAX_NODE_BODY_BYTES = 1024 * 1024;
/** Past the cap the rest is read and discarded (so the client sees the 413) up to this much, then the socket drops. */
const MAX_DISCARDED_BYTES = 16 * 1024 * 1024;

function readNodeBody(request: IncomingMessage): Promise<Uint8Array | undefined> {
  // Express with a body parser (express.json()) has consumed the stream already: use what it parsed.
  const parsed = (request as IncomingMessage & { body?: unknown }).body;
  if (parsed !== undefined && request.readableEnded) {
    if (typeof parsed === "string") return Promise.resolve(new TextEncoder().encode(parsed));
    if (parsed instanceof Uint8Array) return Promise.resolve(parsed);
    return Promise.resolve(new TextEncoder().encode(JSON.stringify(parsed)));
  }
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let total = 0;
    request.on("data", (chunk: Uint8Array) => {
      total += chunk.byteLength;
      if (total > MAX_DISCARDED_BYTES) request.destroy();
      else if (total <= MAX_NODE_BODY_BYTES) chunks.push(chunk);
    });
    request.on("end", () => resolve(total > MAX_NODE_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    request.on("error", reject);
    // Destroyed before its end (a client that vanished, or past MAX_DISCARDED_BYTES): nothing to answer.
    request.on("close", () => resolve(undefined));
  });
}

/**
 * Adapts the fetch-style handler to node:http (`createServer(toNodeListener(handler))`) and Express/Connect
 * (`app.use(toNodeListener(handler))`: other paths go to `next`).
 */
export function toNodeListener(handler: FastRTCOfferHandler): NodeListener {
  return (request, response, next) => {
    const host = request.headers.host ?? "localhost";
    const url = new URL(request.url ?? "/", `http://${host}`);
    if (url.pathname !== handler.route && next) {
      next();
      return;
    }
    void (async () => {
      try {
        const method = request.method ?? "GET";
        const body = method === "POST" ? await readNodeBody(request) : undefined;
        if (method === "POST" && body === undefined) {
          response.writeHead(413, { "content-type": "application/json", connection: "close" });
          response.end(JSON.stringify({ detail: "body too large" }));
          return;
        }
        const headers = new Headers();
        for (const [name, value] of Object.entries(request.headers)) {
          if (typeof value === "string") headers.set(name, value);
          else if (Array.isArray(value)) headers.set(name, value.join(", "));
        }
        headers.delete("content-length");
        const reply = await handler(new Request(url, { method, headers, body: body as BodyInit | undefined }), {
          remoteAddress: request.socket?.remoteAddress,
        });
        const outHeaders: Record<string, string> = {};
        reply.headers.forEach((value, name) => {
          outHeaders[name] = value;
        });
        response.writeHead(reply.status, outHeaders);
        response.end(Buffer.from(await reply.arrayBuffer()));
      } catch (error) {
        if (next) {
          next(error);
          return;
        }
        if (!response.headersSent) response.writeHead(500, { "content-type": "application/json" });
        response.end(JSON.stringify({ detail: "Internal Server Error" }));
      }
    })();
  };
}
