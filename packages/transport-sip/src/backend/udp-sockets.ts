import { createSocket as createDgramSocket, type Socket, type SocketType } from "node:dgram";

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
