import type { RTCPeerConnection } from "werift";

/** What is used of a `dgram` socket: error listeners, and (the bench) arrival stamps before werift's handler. */
export interface IceSocket {
  on(event: "error", listener: (error: Error) => void): unknown;
  prependListener(event: "message", listener: (message: Uint8Array) => void): unknown;
  listenerCount(event: string): number;
}

/**
 * werift's ICE UDP sockets have no `error` listener, and Bun reports ICMP port-unreachable from a peer that has gone
 * (`recvmsg ECONNREFUSED`) as a socket error: unhandled, it would crash the process. This adds a listener that
 * counts and ignores them (the peer's own consent checks and close detection handle a gone peer). Reaches into
 * werift's internals (iceTransports → connection.protocols → transport.socket); werift is pinned exactly.
 */
export function guardIceSockets(pc: RTCPeerConnection, onError: (error: Error) => void): number {
  const sockets = iceSockets(pc);
  for (const socket of sockets) if (socket.listenerCount("error") === 0) socket.on("error", onError);
  return sockets.length;
}

/** The UDP sockets of a peer connection's ICE transports (werift internals, as above). */
export function iceSockets(pc: RTCPeerConnection): IceSocket[] {
  const sockets: IceSocket[] = [];
  for (const iceTransport of pc.iceTransports) {
    const protocols = (iceTransport as unknown as { connection?: { protocols?: unknown[] } }).connection?.protocols;
    for (const protocol of protocols ?? []) {
      const socket = (protocol as { transport?: { socket?: IceSocket } }).transport?.socket;
      if (!socket || typeof socket.on !== "function" || typeof socket.listenerCount !== "function") continue;
      sockets.push(socket);
    }
  }
  return sockets;
}
