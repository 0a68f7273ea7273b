/** Speech and turn state of one session (owned by `speech-events.ts` and `response-events.ts`). */
export class SpeechState {
  userSpeaking = false;
  responseActive = false;
  /** A barge-in happened: the user's next final transcription is marked `wasBargeIn`. */
  bargeInPending = false;
  speechStartedAt: Date | undefined;
  lastAssistantText = "";
}
