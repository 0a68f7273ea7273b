import { describeRealtimeProviderContract, describeRealtimeTransportContract } from "../contract/index.ts";
import { MockRealtimeProvider } from "./mock-realtime-provider.ts";
import { MockRealtimeTransport, MockVoiceBackend } from "./mock-realtime-transport.ts";

describeRealtimeProviderContract(() => ({ provider: new MockRealtimeProvider() }), {
  name: "MockRealtimeProvider meets the provider contract",
});

describeRealtimeTransportContract(
  () => {
    const transport = new MockRealtimeTransport();
    const sessions = new Map<unknown, Parameters<typeof transport.simulateClientAudio>[0]>();
    const original = transport.accept.bind(transport);
    transport.accept = async (session, connection, options) => {
      sessions.set(connection, session);
      return original(session, connection, options);
    };
    let next = 0;
    return {
      transport,
      connect: () => `client-${next++}`,
      sendFromClient: (connection, audio) => transport.simulateClientAudio(sessions.get(connection)!, audio),
      closeFromClient: (connection) => transport.simulateClientDisconnect(sessions.get(connection)!),
      lossless: true,
    };
  },
  { name: "MockRealtimeTransport meets the transport contract" },
);

describeRealtimeTransportContract(() => ({ transport: new MockVoiceBackend(), connect: () => "c" }), {
  name: "MockVoiceBackend meets the transport contract",
});
