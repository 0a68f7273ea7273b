// Backpressure against a real socket: a raw TCP client completes the WebSocket handshake and then stops reading.
import { afterEach, describe, expect, test } from "bun:test";
import { connect, type Socket } from "node:net";
import { createRecordingLogger, VoiceSession } from "@roomkit/spec";
import { waitFor } from "@roomkit/testing";
import { type LoopbackServer, startLoopbackServer } from "./test-support/loopback-servers.ts";
import type { WebSocketConnection } from "./websocket-connection.ts";
import { WebSocketRealtimeTransport } from "./websocket-realtime-transport.ts";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** Opens a WebSocket by hand and never reads after the 101 response (a stalled caller). */
async function stalledClient(url: string): Promise<Socket> {
  const { port } = new URL(url);
  const socket = connect({ host: "127.0.0.1", port: Number(port) });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("error", reject);
  });
  socket.write(
    "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
  );
  await new Promise<void>((resolve) => {
    socket.once("data", () => resolve());
  });
  socket.pause();
  return socket;
}

for (const kind of ["bun", "ws"] as const) {
  describe(`backpressure on a real ${kind} socket`, () => {
    test("a caller that stops reading loses the oldest audio, and buffered bytes stay bounded", async () => {
      const maxBufferedBytes = 64 * 1024;
      const maxQueuedAudioBytes = 96 * 1024;
      const transport = new WebSocketRealtimeTransport({
        audioFormat: "binary",
        maxBufferedBytes,
        maxQueuedAudioBytes,
        logger: createRecordingLogger(),
      });
      const session = new VoiceSession({ id: `slow-${kind}`, roomId: "r", participantId: "p", channelId: "c" });
      let accepted = false;
      const server: LoopbackServer = await startLoopbackServer(kind, async (connection: WebSocketConnection) => {
        await transport.accept(session, connection);
        accepted = true;
      });
      const client = await stalledClient(server.url);
      cleanups.push(async () => {
        client.destroy();
        await transport.close();
        await server.stop();
      });
      await waitFor(() => accepted, { label: "accept" });

      // 20 000 frames of 960 B (≈ 19 MB, 400 s of 24 kHz audio): far beyond the kernel's socket buffers.
      const frame = new Uint8Array(960).fill(1);
      let maxSocketBuffered = 0;
      const connection = transport.getConnection(session)!;
      for (let index = 0; index < 20_000; index++) {
        transport.sendAudio(session, frame);
        if (index % 100 === 0) {
          maxSocketBuffered = Math.max(maxSocketBuffered, connection.bufferedAmount());
          await Bun.sleep(0);
        }
      }
      expect(transport.stats.outboundAudioDropped).toBeGreaterThan(0);
      expect(transport.queuedAudioBytes(session)).toBeLessThanOrEqual(maxQueuedAudioBytes);
      // The socket's own buffer never grows far past the bound: we stop writing above it.
      expect(maxSocketBuffered).toBeLessThanOrEqual(maxBufferedBytes + 2 * 960 + 64);
      expect(
        transport.stats.audioFramesSent +
          transport.stats.outboundAudioDropped +
          transport.queuedAudioBytes(session) / 960,
      ).toBe(20_000);
    }, 30_000);
  });
}
