import type { RealtimeTransportCapabilities } from "@roomkit/spec";
import { describeRealtimeProviderContract, describeRealtimeTransportContract } from "../contract/index.ts";
import { mockTransportSubject } from "../contract/test-support/mock-transport-subject.ts";
import { MockRealtimeProvider } from "./mock-realtime-provider.ts";
import { MockRealtimeTransport, MockVoiceBackend } from "./mock-realtime-transport.ts";

describeRealtimeProviderContract(() => ({ provider: new MockRealtimeProvider() }), {
  name: "MockRealtimeProvider meets the provider contract",
});

describeRealtimeProviderContract(
  () => ({
    provider: new MockRealtimeProvider({
      capabilities: { truncation: false, midSessionReconfigure: false, imageInput: true, inputSampleRates: [16000] },
    }),
  }),
  { name: "MockRealtimeProvider with overridden capabilities meets the provider contract" },
);

describeRealtimeTransportContract(
  () => {
    const transport = new MockRealtimeTransport();
    const { sendFromClient, closeFromClient, connect } = mockTransportSubject({}, transport);
    return { transport, connect, sendFromClient, closeFromClient, lossless: true };
  },
  { name: "MockRealtimeTransport (no capabilities, few client hooks) meets the transport contract" },
);

const combinations: Array<Partial<RealtimeTransportCapabilities>> = [
  {},
  { playbackCallback: true, playbackPosition: true, interrupt: true, inputMute: true, dtmf: true },
  { interrupt: true, playbackPosition: true },
  { inputMute: true, dtmf: true, playbackCallback: true },
];
for (const capabilities of combinations) {
  describeRealtimeTransportContract(() => mockTransportSubject(capabilities), {
    name: `MockRealtimeTransport ${JSON.stringify(capabilities)} meets the transport contract, every client hook`,
  });
}

describeRealtimeTransportContract(() => ({ transport: new MockVoiceBackend(), connect: () => "c" }), {
  name: "MockVoiceBackend meets the transport contract",
});
