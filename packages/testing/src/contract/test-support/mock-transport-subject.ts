// Shared by this package's tests (not exported): MockRealtimeTransport as a contract subject, every client hook wired.
import type { RealtimeTransportCapabilities, VoiceSession } from "@roomkit/spec";
import { MockRealtimeTransport } from "../../mocks/mock-realtime-transport.ts";
import type { TransportContractSubject } from "../transport-contract-subject.ts";

/**
 * `transport` defaults to a `MockRealtimeTransport` with `capabilities`. DTMF goes through `simulateDtmf`, which
 * fires whatever the mock declares, so the hook is only wired when `dtmf` is declared.
 */
export function mockTransportSubject(
  capabilities: Partial<RealtimeTransportCapabilities>,
  transport: MockRealtimeTransport = new MockRealtimeTransport({ capabilities }),
): TransportContractSubject {
  const sessions = new Map<unknown, VoiceSession>();
  transport.beforeAccept = (session, connection) => {
    sessions.set(connection, session);
    return undefined;
  };
  const sessionOf = (connection: unknown) => sessions.get(connection)!;
  let next = 0;
  const subject: TransportContractSubject = {
    transport,
    lossless: true,
    connect: () => `client-${next++}`,
    sendFromClient: (connection, audio) => transport.simulateClientAudio(sessionOf(connection), audio),
    closeFromClient: (connection) => transport.simulateClientDisconnect(sessionOf(connection)),
    receivedByClient: (connection) => {
      const session = sessionOf(connection);
      const caller = transport.callerPlayback(session);
      return {
        audioBytes: caller === undefined ? 0 : caller.queuedBytes + caller.playedBytes,
        messages: transport.sentMessages
          .filter((entry) => entry.sessionId === session.id)
          .map((entry) => entry.message),
      };
    },
    playOnClient: async (connection, ms) => {
      await transport.playToCaller(sessionOf(connection), ms);
    },
  };
  if (transport.capabilities.dtmf) {
    subject.sendDtmfFromClient = (connection, digit) => transport.simulateDtmf(sessionOf(connection), { digit });
  }
  return subject;
}
