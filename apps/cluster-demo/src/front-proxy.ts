import type { ServerWebSocket } from "bun";

export interface FrontProxy {
  url: string;
  port: number;
  stop(): void;
}

interface Pipe {
  upstream: WebSocket;
  pending: Array<string | Uint8Array<ArrayBuffer>>;
}

/**
 * One port in front of the nodes, round robin on each new connection: an HTTP request is forwarded to the next node;
 * a WebSocket is paired with a socket to the next node and relayed both ways for its whole life (the call stays on
 * the node that accepted it). A development stand-in for a real load balancer.
 */
export function startFrontProxy(options: { port?: number; upstreams: readonly string[] }): FrontProxy {
  if (options.upstreams.length === 0) throw new Error("startFrontProxy: no upstreams");
  let next = 0;
  const pick = () => options.upstreams[next++ % options.upstreams.length] as string;
  const server = Bun.serve<{ target: string; pipe?: Pipe }, never>({
    port: options.port ?? 0,
    hostname: "127.0.0.1",
    fetch: async (request, bunServer) => {
      const url = new URL(request.url);
      const target = `${pick()}${url.pathname}${url.search}`;
      if (request.headers.get("upgrade")?.toLowerCase() === "websocket") {
        if (bunServer.upgrade(request, { data: { target: target.replace(/^http/, "ws") } })) return undefined;
        return new Response("WebSocket upgrade failed", { status: 400 });
      }
      try {
        return await fetch(target, {
          method: request.method,
          headers: request.headers,
          body: request.method === "GET" || request.method === "HEAD" ? undefined : await request.arrayBuffer(),
        });
      } catch {
        return new Response("upstream unavailable", { status: 502 });
      }
    },
    websocket: {
      open(client: ServerWebSocket<{ target: string; pipe?: Pipe }>) {
        const upstream = new WebSocket(client.data.target);
        upstream.binaryType = "arraybuffer";
        const pipe: Pipe = { upstream, pending: [] };
        client.data.pipe = pipe;
        upstream.onopen = () => {
          for (const message of pipe.pending.splice(0)) upstream.send(message);
        };
        upstream.onmessage = (event) =>
          client.send(typeof event.data === "string" ? event.data : new Uint8Array(event.data as ArrayBuffer));
        upstream.onclose = (event) => client.close(closeCode(event.code), event.reason);
        upstream.onerror = () => client.close(1011, "upstream error");
      },
      message(client, message) {
        const pipe = client.data.pipe;
        if (!pipe) return;
        const payload = typeof message === "string" ? message : new Uint8Array(message as Uint8Array<ArrayBuffer>);
        if (pipe.upstream.readyState === WebSocket.OPEN) pipe.upstream.send(payload);
        else pipe.pending.push(payload);
      },
      close(client, code, reason) {
        const upstream = client.data.pipe?.upstream;
        if (upstream && upstream.readyState <= WebSocket.OPEN) upstream.close(closeCode(code), reason);
      },
    },
  });
  return { url: `http://127.0.0.1:${server.port}`, port: server.port ?? 0, stop: () => server.stop(true) };
}

/** A close code a WebSocket may send (1005/1006 and other reserved codes become 1000). */
function closeCode(code: number): number {
  return code === 1000 || (code >= 3000 && code <= 4999) ? code : 1000;
}
