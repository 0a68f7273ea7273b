export {
  MockRealtimeProvider,
  type MockInjectedText,
  type MockProviderCall,
  type MockProviderMethod,
  type MockRealtimeProviderOptions,
  type MockSentAudio,
  type MockToolResult,
} from "./mock-realtime-provider.ts";
export {
  MockRealtimeTransport,
  MockVoiceBackend,
  type MockRealtimeTransportOptions,
  type MockTransportCall,
  type MockTransportMethod,
  type MockTransportSentAudio,
  type MockTransportSentMessage,
} from "./mock-realtime-transport.ts";
export { callsOf, type MethodName, type RecordedCall } from "./recorded-call.ts";
