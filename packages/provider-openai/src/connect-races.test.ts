import { afterEach, describe, expect, test } from "bun:test";
import { VoiceSessionState } from "@roomkit/spec";
import { waitFor, within } from "@roomkit/testing";
import { OpenAIRealtimeProvider } from "./openai-realtime-provider.ts";
import { clientEvents, connectToFake, type Harness, newSession } from "./test-harness.ts";
import type { WebSocketFactory, WebSocketLike } from "./websocket.ts";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const CONNECT = { inputSampleRate: 24000, outputSampleRate: 24000, serverVad: true };
const fast = { reconnect: { initialDelayMs: 5, maxDelayMs: 20, maxAttempts: 3 } };

/** A socket that opens when told to and never answers: records what was sent and whether it was closed. */
class ScriptedSocket implements WebSocketLike {
  readyState = 0;
  sent: string[] = [];
  closed = false;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  send(data: string): void {
    this.sent.push(data);
  }
  close(): void {
    this.closed = true;
    this.readyState = 3;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
}

function scriptedFactory(): { factory: WebSocketFactory; sockets: ScriptedSocket[] } {
  const sockets: ScriptedSocket[] = [];
  return {
    sockets,
    factory: () => {
      const socket = new ScriptedSocket();
      sockets.push(socket);
      return socket;
    },
  };
}

describe("connect: disconnect and abort while connecting", () => {
  test("disconnect() while the socket is still opening rejects connect at once and closes the socket", async () => {
    const { factory, sockets } = scriptedFactory();
    const provider = new OpenAIRealtimeProvider({ apiKey: "k", webSocketFactory: factory });
    const session = newSession();
    const connecting = provider.connect(session, CONNECT).catch((error: unknown) => error);
    await waitFor(() => sockets.length === 1);
    await provider.disconnect(session);
    // still pending after 2 s would be the bug: a connect that waits out its 30 s timeout
    expect(await within(connecting, { timeoutMs: 2000, label: "connect" })).toBeInstanceOf(Error);
    expect(sockets[0]!.closed).toBe(true);
    expect(session.state).toBe(VoiceSessionState.ENDED);
  });

  test("an abort while waiting for session.updated rejects connect at once and closes the socket", async () => {
    const { factory, sockets } = scriptedFactory();
    const provider = new OpenAIRealtimeProvider({ apiKey: "k", webSocketFactory: factory });
    const session = newSession();
    const abort = new AbortController();
    const connecting = provider.connect(session, { ...CONNECT, signal: abort.signal }).catch((error: unknown) => error);
    await waitFor(() => sockets.length === 1);
    sockets[0]!.open();
    await waitFor(() => sockets[0]!.sent.length === 1); // the session.update
    abort.abort(new Error("caller hung up"));
    expect(await within(connecting, { timeoutMs: 2000, label: "connect" })).toBeInstanceOf(Error);
    expect(sockets[0]!.closed).toBe(true);
    expect(provider.getStats(session.id)).toBeUndefined();
  });
});

describe("reconnect races", () => {
  test("a reconfigure in flight when the socket dies: the new connection gets the new config on its first attempt", async () => {
    harness = await connectToFake({ connect: { providerConfig: fast } });
    const { fake, provider, session } = harness;
    fake.faults.delayEvent("session.updated", 200);
    const reconfigured = provider.reconfigure(session, {
      ...CONNECT,
      systemPrompt: "You are the billing agent.",
      providerConfig: fast,
    });
    await waitFor(() => clientEvents(fake, "session.update").length === 2); // its session.updated is held back
    fake.faults.dropSocket();
    expect(await within(reconfigured, { timeoutMs: 3000, label: "reconfigure" })).toBeUndefined();
    await fake.waitForConnection({ index: 1 });
    await fake.waitForServerEvent((event, entry) => entry.connectionId === 2 && event.type === "session.updated", {
      includePast: true,
    });
    const update = clientEvents(fake)
      .filter((event) => event.type === "session.update")
      .at(-1)!;
    expect(update.session.instructions).toBe("You are the billing agent.");
    await Bun.sleep(50);
    expect(fake.connections).toHaveLength(2);
    expect(session.state).toBe(VoiceSessionState.ACTIVE);
  });

  test("disconnect() during the reconnect back-off stops retrying: no new socket, no error", async () => {
    harness = await connectToFake({
      connect: { providerConfig: { reconnect: { initialDelayMs: 100, maxDelayMs: 100, maxAttempts: 3 } } },
    });
    const { fake, provider, session, recorder } = harness;
    fake.faults.dropSocket();
    await waitFor(() => fake.connections[0]!.closed);
    await Bun.sleep(10);
    await provider.disconnect(session);
    await Bun.sleep(300);
    expect(fake.connections).toHaveLength(1);
    expect(recorder.of("error").filter((event) => !event.error.recoverable)).toEqual([]);
    expect(session.state).toBe(VoiceSessionState.ENDED);
  });

  test("manual turn ended while reconnecting: the new connection gets the audio, then commit, then response.create", async () => {
    harness = await connectToFake({
      connect: { serverVad: false, providerConfig: { reconnect: { initialDelayMs: 100, maxAttempts: 3 } } },
    });
    const { fake, provider, session } = harness;
    fake.faults.dropSocket();
    await waitFor(() => provider.getStats(session.id)?.reconnects === 1);
    for (let frame = 0; frame < 10; frame++) provider.sendAudio(session, new Uint8Array(960)); // 200 ms
    await provider.sendActivityEnd(session);
    await fake.waitForConnection({ index: 1 });
    await fake.waitForServerEvent((event, entry) => entry.connectionId === 2 && event.type === "response.created", {
      includePast: true,
    });
    const second = fake.connections[1]!.received.map((entry) => entry.event.type);
    const commit = second.indexOf("input_audio_buffer.commit");
    expect(commit).toBeGreaterThan(second.lastIndexOf("input_audio_buffer.append"));
    expect(second.indexOf("response.create")).toBeGreaterThan(commit);
  });
});
