// Issue 19 (security): a refused caller allocates nothing that outlives the refusal — no transport session, no
// channel session, no provider connection, no timer, no open socket — counted over N refused attempts per adapter.
import { afterEach, expect, test } from "bun:test";
import { MemoryConversationStore, RoomKit } from "@roomkit/core";
import { RealtimeVoiceChannel } from "@roomkit/realtime-channel";
import { AuthenticationError, silentLogger } from "@roomkit/spec";
import { MockRealtimeProvider, waitFor } from "@roomkit/testing";
import {
  connectClient,
  type ServerKind,
  startLoopbackServer,
  type TestClient,
} from "./test-support/loopback-servers.ts";
import type { WebSocketConnection } from "./websocket-connection.ts";
import { type TimerTracker, trackTimers as trackGlobalTimers } from "./test-support/timer-tracker.ts";
import { type WebSocketAuthenticate, WebSocketRealtimeTransport } from "./websocket-realtime-transport.ts";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** Timers the flow creates, released when the test ends. */
function trackTimers(): TimerTracker {
  const tracker = trackGlobalTimers();
  cleanups.push(() => tracker.restore());
  return tracker;
}

const ATTEMPTS = 20;

const refusals: Array<[string, WebSocketAuthenticate, number]> = [
  ["authenticate returns null", () => null, 4401],
  [
    "authenticate throws",
    () => {
      throw new Error("bad token");
    },
    1008,
  ],
  ["authenticate rejects later", async () => Promise.reject(new Error("expired")), 1008],
];

for (const kind of ["bun", "ws"] as ServerKind[]) {
  for (const [label, authenticate, closeCode] of refusals) {
    test(`${kind}: ${ATTEMPTS} refused attempts (${label}) leave 0 sessions, 0 provider connects, 0 timers, 0 open sockets`, async () => {
      const kit = new RoomKit({ store: new MemoryConversationStore(), logger: silentLogger });
      const provider = new MockRealtimeProvider({ logger: silentLogger });
      const transport = new WebSocketRealtimeTransport({ authenticate, logger: silentLogger });
      const channel = new RealtimeVoiceChannel("voice", { provider, transport, logger: silentLogger });
      kit.registerChannel(channel);
      await kit.createRoom({ roomId: "room-1" });
      await kit.attachChannel("room-1", "voice");
      const connections: WebSocketConnection[] = [];
      const failures: unknown[] = [];
      const server = await startLoopbackServer(kind, async (connection) => {
        connections.push(connection);
        try {
          await channel.startSession("room-1", "caller", { connection });
        } catch (error) {
          failures.push(error);
        }
      });
      cleanups.push(async () => {
        await kit.close();
        await transport.close();
        await server.stop();
      });

      const timers = trackTimers();
      const clients: TestClient[] = [];
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        const client = await connectClient(server.url);
        client.socket.send(new Uint8Array(640));
        clients.push(client);
      }
      await waitFor(() => failures.length === ATTEMPTS && clients.every((client) => client.closed !== undefined), {
        label: "every attempt refused and closed",
        timeoutMs: 10_000,
      });
      timers.restore();

      expect(failures.every((failure) => failure instanceof AuthenticationError)).toBe(true);
      expect(clients.map((client) => client.closed!.code)).toEqual(Array(ATTEMPTS).fill(closeCode));
      expect(transport.sessionCount).toBe(0);
      expect(transport.stats.sessionsAccepted).toBe(0);
      expect(transport.stats.authenticationRejected).toBe(ATTEMPTS);
      expect(channel.sessionCount).toBe(0);
      expect(provider.callsOf("connect").length).toBe(0);
      expect(provider.sentAudio.length).toBe(0);
      expect(connections.length).toBe(ATTEMPTS);
      expect(connections.every((connection) => connection.isClosed && !connection.isAttached)).toBe(true);
      expect(timers.created).toBeGreaterThan(0); // the flow did use timers: the count below is meaningful
      expect(timers.live.size).toBe(0);
    });
  }
}
