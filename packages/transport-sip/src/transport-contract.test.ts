import { silentLogger } from "@roomkit/spec";
import { describeRealtimeTransportContract } from "@roomkit/testing";
import type { SipCall } from "./backend/sip-call.ts";
import { SipVoiceBackend } from "./backend/sip-voice-backend.ts";
import { SIPRealtimeTransport } from "./sip-realtime-transport.ts";
import { SipTestClient } from "./loopback/sip-test-client.ts";

let rtpBase = 36000 + (process.pid % 100) * 20;

/** A real UAS on 127.0.0.1 and the in-process test UAC as the caller (PCMU + telephone-event). */
describeRealtimeTransportContract(
  async () => {
    const start = rtpBase;
    rtpBase += 20;
    const backend = new SipVoiceBackend({
      host: "127.0.0.1",
      port: 0,
      rtpPortStart: start,
      rtpPortEnd: start + 20,
      logger: silentLogger,
    });
    await backend.start();
    const transport = new SIPRealtimeTransport({ backend, logger: silentLogger });
    const clients = new Map<unknown, SipTestClient>();
    const clientOf = (connection: unknown) => clients.get(connection)!;
    return {
      transport,
      async connect() {
        const client = await SipTestClient.create();
        const answered = new Promise<SipCall>((resolve) => {
          const unsubscribe = backend.onCall((call) => {
            unsubscribe();
            resolve(call);
          });
        });
        await client.call(backend.localPort, "0 101");
        const call = await answered;
        clients.set(call, client);
        return call;
      },
      sampleRate: 8000,
      lossless: false,
      sendFromClient: (connection, audio) => clientOf(connection).sendAudio(audio),
      closeFromClient: async (connection) => void (await clientOf(connection).bye()),
      receivedByClient: (connection) => ({ audioBytes: clientOf(connection).receivedPcmBytes }),
      sendDtmfFromClient: (connection, digit) => clientOf(connection).sendDtmf(digit),
      async cleanup() {
        await backend.close();
        for (const client of clients.values()) client.close();
      },
    };
  },
  { name: "SIPRealtimeTransport contract (real UDP, in-process UAC)" },
);
