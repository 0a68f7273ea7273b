export {
  createOpenAIRealtimeFake,
  type OpenAIRealtimeFake,
  type OpenAIRealtimeFakeFaults,
} from "./openai-realtime-fake.ts";
export { defaultOpenAIBrain, echoOpenAIBrain } from "./brain.ts";
export type {
  FakeBrain as OpenAIFakeBrain,
  FakeConnectionInfo as OpenAIFakeConnectionInfo,
  FakeReply as OpenAIFakeReply,
  FakeSpeed as OpenAIFakeSpeed,
  FakeUserTurn as OpenAIFakeUserTurn,
  OpenAIRealtimeFakeOptions,
  ReceivedClientEvent as OpenAIFakeReceivedEvent,
  SentServerEvent as OpenAIFakeSentEvent,
} from "./types.ts";
