// The transport inside RoomKit + RealtimeVoiceChannel (mock provider): what only the pair can show.
import { afterEach, describe, expect, test } from "bun:test";
import { MemoryConversationStore, RoomKit } from "@roomkit/core";
import { RealtimeVoiceChannel } from "@roomkit/realtime-channel";
import { AuthenticationError, createRecordingLogger, silentLogger, type VoiceSession } from "@roomkit/spec";
import { MockRealtimeProvider, waitFor } from "@roomkit/testing";
import { connectClient, type LoopbackServer, pcmFrame, startLoopbackServer } from "./test-support/loopback-servers.ts";
import type { WebSocketConnection } from "./websocket-connection.ts";
import { type WebSocketAuthenticate, WebSocketRealtimeTransport } from "./websocket-realtime-transport.ts";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function setup(authenticate?: WebSocketAuthenticate) {
  const kit = new RoomKit({ store: new MemoryConversationStore(), logger: silentLogger });
  const provider = new MockRealtimeProvider({ logger: silentLogger });
  const transport = new WebSocketRealtimeTransport({
    authenticate,
    audioFormat: "binary",
    logger: createRecordingLogger(),
  });
  const channel = new RealtimeVoiceChannel("voice", {
    provider,
    transport,
    systemPrompt: "default prompt",
    voice: "alloy",
    logger: silentLogger,
  });
  kit.registerChannel(channel);
  await kit.createRoom({ roomId: "room-1" });
  await kit.attachChannel("room-1", "voice");
  const sessions: VoiceSession[] = [];
  const failures: unknown[] = [];
  const server: LoopbackServer = await startLoopbackServer("bun", async (connection: WebSocketConnection) => {
    try {
      sessions.push(await channel.startSession("room-1", "caller", { connection }));
    } catch (error) {
      failures.push(error);
    }
  });
  cleanups.push(async () => {
    await kit.close();
    await transport.close();
    await server.stop();
  });
  return { kit, provider, transport, channel, server, sessions, failures };
}

describe("WebSocketRealtimeTransport with RealtimeVoiceChannel", () => {
  test("metadata from authenticate configures the provider (prompt and voice), unlike the original", async () => {
    const { provider, server, sessions } = await setup(({ url }) => ({
      system_prompt: `You help ${url.searchParams.get("user")}.`,
      voice: "echo",
    }));
    const client = await connectClient(`${server.url}?user=ada`);
    cleanups.push(() => client.socket.close());
    await waitFor(() => sessions.length === 1, { label: "session" });
    const [, options] = provider.callsOf("connect")[0]!.args;
    expect(options.systemPrompt).toBe("You help ada.");
    expect(options.voice).toBe("echo");
  });

  test("a rejected caller never reaches the provider", async () => {
    const { provider, server, failures } = await setup(() => null);
    const client = await connectClient(server.url);
    client.socket.send(pcmFrame(1));
    await waitFor(() => failures.length === 1 && client.closed !== undefined, { label: "rejection" });
    expect(failures[0]).toBeInstanceOf(AuthenticationError);
    expect(client.closed!.code).toBe(4401);
    expect(provider.callsOf("connect").length).toBe(0);
    expect(provider.sentAudio.length).toBe(0);
  });

  test("caller audio reaches the provider, model audio reaches the caller, a hang-up ends the session once", async () => {
    const { provider, transport, server, sessions, channel } = await setup();
    const client = await connectClient(server.url);
    await waitFor(() => client.texts.some((message) => (message as { type: string }).type === "session_started"), {
      label: "session_started",
    });
    const session = sessions[0]!;
    client.socket.send(pcmFrame(1));
    await waitFor(() => provider.sentAudio.length > 0, { label: "audio at the provider" });
    await provider.simulateAudio(session, pcmFrame(2, 960));
    await waitFor(() => client.binaries.length > 0, { label: "audio at the caller" });
    expect(client.binaries[0]).toEqual(pcmFrame(2, 960));
    client.socket.close(1000, "bye");
    await waitFor(() => session.isEnded, { label: "session ended" });
    await Bun.sleep(30);
    expect(provider.callsOf("disconnect").length).toBe(1);
    expect(channel.getRoomSessions("room-1").length).toBe(0);
    expect(transport.stats.clientDisconnects).toBe(1);
  });
});
