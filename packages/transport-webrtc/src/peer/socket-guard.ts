import type { RTCPeerConnection } from "werift";

interface EmitterLike {
  on(event: "error", listener: (error: Error) => void): unknown;
  listenerCount(event: string): number;
}

/**
 * werift's ICE UDP sockets have no `error` listener, and Bun reports ICMP port-unreachable from a peer that has gone
 * (`recvmsg ECONNREFUSED`) as a socket error: unhandled, it would crash the process. This adds a listener that
 * counts and ignores them (the peer's own consent checks and close detection handle a gone peer). Reaches into
 * werift's internals (iceTransports → connection.protocols → transport.socket); werift is pinned exactly.
 */
export function guardIceSockets(pc: RTCPeerConnection, onError: (error: Error) => void): number {
  let guarded = 0;
  for (const iceTransport of pc.iceTransports) {
    const protocols = (iceTransport as unknown as { connection?: { protocols?: unknown[] } }).connection?.protocols;
    for (const protocol of protocols ?? []) {
      const socket = (protocol as { transport?: { socket?: EmitterLike } }).transport?.socket;
      if (!socket || typeof socket.on !== "function" || typeof socket.listenerCount !== "function") continue;
      if (socket.listenerCount("error") === 0) socket.on("error", onError);
      guarded++;
    }
  }
  return guarded;
}
