export { createGeminiLiveFake, type GeminiLiveFake, type GeminiLiveFakeFaults } from "./gemini-live-fake.ts";
export { type GeminiServerErrorKind, SERVER_ERROR_REASONS as GEMINI_SERVER_ERROR_REASONS } from "./fault-state.ts";
export { DEFAULT_FAKE_MODELS as GEMINI_FAKE_MODELS } from "./setup-validation.ts";
export { defaultBrain as defaultGeminiBrain } from "./default-brain.ts";
export { callerAudioFrames } from "./synthetic-speech.ts";
export type {
  FakeBrain as GeminiFakeBrain,
  FakeConnectionInfo as GeminiFakeConnectionInfo,
  FakeConversationInfo as GeminiFakeConversationInfo,
  FakeHistoryEntry as GeminiFakeHistoryEntry,
  FakeReply as GeminiFakeReply,
  FakeUserTurn as GeminiFakeUserTurn,
  GeminiApiVersion as GeminiFakeApiVersion,
  GeminiClientMessage,
  GeminiLiveFakeOptions,
  GeminiModelProfile,
  GeminiServerMessage,
  GeminiSetup,
  ReceivedClientMessage as GeminiFakeReceivedMessage,
} from "./types.ts";
