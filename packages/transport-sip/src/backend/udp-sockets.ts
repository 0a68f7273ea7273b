import { createSocket as createDgramSocket, type Socket, type SocketType } from "node:dgram";
import type { Logger } from "@roomkit/spec";
import type { RtpPortPool } from "../rtp/port-pool.ts";

export type SocketFactory = (type: SocketType) => Socket;

export const defaultSocketFactory: SocketFactory = (type) => createDgramSocket({ type, reuseAddr: false });

export function socketTypeFor(address: string): SocketType {
  return address.includes(":") ? "udp6" : "udp4";
}

/** Binds a UDP socket; rejects (and closes it) on a bind error such as EADDRINUSE. */
export function bindSocket(factory: SocketFactory, address: string, port: number): Promise<Socket> {
  const socket = factory(socketTypeFor(address));
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      socket.removeListener("listening", onListening);
      try {
        socket.close();
      } catch {
        // never bound
      }
      reject(error);
    };
    const onListening = () => {
      socket.removeListener("error", onError);
      resolve(socket);
    };
    socket.once("error", onError);
    socket.once("listening", onListening);
    socket.bind({ address, port, exclusive: true });
  });
}

/** The local address the OS would use toward `remote` (a connected UDP socket, nothing is sent). */
export async function localAddressToward(factory: SocketFactory, remote: string): Promise<string | undefined> {
  const socket = factory(socketTypeFor(remote));
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once("error", reject);
      socket.connect(9, remote, () => resolve());
    });
    return socket.address().address;
  } catch {
    return undefined;
  } finally {
    try {
      socket.close();
    } catch {
      // already closed
    }
  }
}

const BIND_ATTEMPTS = 8;
const rtcpSockets = new WeakMap<Socket, Socket>();

/** The RTCP socket (RTP port + 1) bound with an RTP socket by `bindFromPool`; it closes when the RTP socket does. */
export function pairedRtcpSocket(rtp: Socket): Socket | undefined {
  return rtcpSockets.get(rtp);
}

/**
 * Binds an RTP socket on an even port from the pool and its RTCP socket on the next one, trying other ports when
 * either is busy; undefined when none is left. Closing the RTP socket closes the RTCP one.
 */
export async function bindFromPool(
  pool: RtpPortPool,
  factory: SocketFactory,
  address: string,
  logger: Logger,
): Promise<Socket | undefined> {
  const failed = new Set<number>();
  for (let attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
    let port: number;
    try {
      port = pool.allocate(failed);
    } catch {
      return undefined;
    }
    let rtp: Socket | undefined;
    try {
      rtp = await bindSocket(factory, address, port);
      const rtcp = await bindSocket(factory, address, port + 1);
      rtcpSockets.set(rtp, rtcp);
      rtp.once("close", () => {
        try {
          rtcp.close();
        } catch {
          // already closed
        }
      });
      return rtp;
    } catch (error) {
      rtp?.close();
      pool.release(port);
      failed.add(port);
      logger.debug("SIP: RTP/RTCP port busy, trying another", { port, error: String(error) });
    }
  }
  return undefined;
}
