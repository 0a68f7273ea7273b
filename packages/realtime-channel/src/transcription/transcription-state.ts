import type { SerialQueue } from "./serial-queue.ts";

/** The session's ordered transcriptions (owned by `transcription-handler.ts`). */
export class TranscriptionState {
  queue: SerialQueue | undefined;
  dropped = 0;
}
