// Shared by this package's tests (not exported): an in-memory socket whose send buffer the test controls.
import { WebSocketConnection } from "../websocket-connection.ts";

/** A socket whose send buffer the test controls (a client that stopped reading). */
export function slowSocket() {
  const sent: Uint8Array[] = [];
  const texts: string[] = [];
  const sink = {
    buffered: 0,
    /** When true the client reads everything at once (the buffer stays empty). */
    reading: false,
    sendText: (text: string) => {
      texts.push(text);
      if (!sink.reading) sink.buffered += text.length;
    },
    sendBinary: (bytes: Uint8Array) => {
      sent.push(bytes);
      if (!sink.reading) sink.buffered += bytes.byteLength;
    },
    close: () => {},
    bufferedAmount: () => sink.buffered,
  };
  const connection = new WebSocketConnection({
    kind: "ws",
    url: new URL("ws://127.0.0.1/ws"),
    headers: new Headers(),
    request: undefined,
  });
  connection.bind(sink);
  return { sink, sent, texts, connection };
}
