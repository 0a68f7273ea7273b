import { afterEach, describe, expect, test } from "bun:test";
import { RoomKitConfigError, silentLogger, TransportError, VoiceSession } from "@roomkit/spec";
import { waitFor } from "@roomkit/testing";
import type { SipCall } from "./backend/sip-call.ts";
import { SipVoiceBackend } from "./backend/sip-voice-backend.ts";
import { SIPRealtimeTransport, SipRealtimeTransport } from "./sip-realtime-transport.ts";
import { SipTestClient } from "./loopback/sip-test-client.ts";

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

let rtpBase = 43000 + (process.pid % 100) * 20;

async function setup(preWarm = false) {
  const start = rtpBase;
  rtpBase += 20;
  const backend = new SipVoiceBackend({
    host: "127.0.0.1",
    port: 0,
    rtpPortStart: start,
    rtpPortEnd: start + 20,
    preWarm,
    logger: silentLogger,
  });
  await backend.start();
  const transport = new SIPRealtimeTransport({ backend, logger: silentLogger });
  const client = await SipTestClient.create();
  cleanups.push(async () => {
    await transport.close();
    await backend.close();
    client.close();
  });
  const nextCall = () => new Promise<SipCall>((resolve) => backend.onCall(resolve));
  return { backend, transport, client, nextCall };
}

const session = (id = "s1") => new VoiceSession({ id, roomId: "room", participantId: "caller", channelId: "voice" });

describe("SIPRealtimeTransport", () => {
  test("identity and options: the seed's name, a SipRealtimeTransport alias, a config error without a backend", () => {
    expect(SipRealtimeTransport).toBe(SIPRealtimeTransport);
    expect(new SIPRealtimeTransport({ backend: new SipVoiceBackend({ logger: silentLogger }) }).name).toBe(
      "SIPRealtimeTransport",
    );
    expect(() => new SIPRealtimeTransport({} as never)).toThrow(RoomKitConfigError);
    expect(() => new SIPRealtimeTransport({ backend: {} as never })).toThrow(/backend/);
  });

  test("accept: the codec rate is returned and set on the session with the call metadata; a non-call is refused", async () => {
    const { backend, transport, client, nextCall } = await setup();
    const calling = nextCall();
    await client.call(backend.localPort, "9 0 101", [["X-Tenant", "acme"]]);
    const call = await calling;
    const voice = session();
    await expect(transport.accept(voice, { not: "a call" })).rejects.toBeInstanceOf(TransportError);
    expect(await transport.accept(voice, call)).toEqual({ sampleRate: 16000 });
    expect(voice.metadata.transport_sample_rate).toBe(16000);
    expect(voice.metadata.sip).toMatchObject({
      codec: "G722",
      callerDisplayName: "Test Caller",
      xHeaders: { "X-Tenant": "acme" },
    });
    expect(transport.callOf(voice)).toBe(call);
  });

  test("preWarm: accept leaves the call ringing, activate answers it", async () => {
    const { backend, transport, client, nextCall } = await setup(true);
    const calling = nextCall();
    client.invite(backend.localPort);
    const call = await calling;
    const voice = session();
    await transport.accept(voice, call);
    expect(call.state).toBe("ringing");
    expect(client.responses(200).length).toBe(0);
    await transport.activate(voice);
    await client.until(() => client.responses(200).length === 1);
    expect(call.state).not.toBe("ringing");
  });

  test("disconnect hangs up with a BYE (Q.850 16) and fires no client-disconnect; a remote BYE fires it once", async () => {
    const { backend, transport, client, nextCall } = await setup();
    const calling = nextCall();
    await client.call(backend.localPort);
    const call = await calling;
    const voice = session();
    await transport.accept(voice, call);
    let disconnects = 0;
    transport.onClientDisconnected(() => void disconnects++);
    await transport.disconnect(voice);
    await client.until(() => client.requests("BYE").length === 1);
    expect(client.requests("BYE")[0]!.headers.find((h) => h.name === "Reason")?.value).toBe("Q.850 ;cause=16");
    expect(call.state).toBe("ended");
    expect(disconnects).toBe(0);

    const second = await SipTestClient.create();
    cleanups.push(() => second.close());
    const calling2 = nextCall();
    await second.call(backend.localPort);
    const call2 = await calling2;
    const voice2 = session("s2");
    await transport.accept(voice2, call2);
    transport.onClientDisconnected((ended) => {
      expect(ended).toBe(voice2);
    });
    await second.bye();
    await waitFor(() => disconnects === 1);
    expect(voice2.metadata.bye_reason).toEqual({ cause: 16, text: "Normal call clearing" });
  });

  test("an ended call cannot be accepted", async () => {
    const { backend, transport, client, nextCall } = await setup();
    const calling = nextCall();
    await client.call(backend.localPort);
    const call = await calling;
    await client.bye();
    await waitFor(() => call.state === "ended");
    await expect(transport.accept(session(), call)).rejects.toThrow(/ended/);
  });
});
