export { createGeminiLiveFake, type GeminiLiveFake, type GeminiLiveFakeFaults } from "./gemini-live-fake.ts";
export { DEFAULT_FAKE_MODELS, type SetupRejection, validateSetup } from "./setup-validation.ts";
export { defaultBrain } from "./default-brain.ts";
export { EnergyVad, type EnergyVadSettings } from "./energy-vad.ts";
export { callerAudioFrames, speechDurationMs, synthesizeSpeech, wordChunks } from "./synthetic-speech.ts";
export type {
  FakeBrain,
  FakeConnectionInfo,
  FakeConversationInfo,
  FakeHistoryEntry,
  FakeReply,
  FakeUserTurn,
  GeminiApiVersion,
  GeminiClientMessage,
  GeminiLiveFakeOptions,
  GeminiModelProfile,
  GeminiServerMessage,
  GeminiSetup,
  ReceivedClientMessage,
} from "./types.ts";
