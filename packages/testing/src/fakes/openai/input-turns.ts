import type { StoredItem } from "./conversation.ts";
import type { FakeConnectionHost } from "./connection-host.ts";

/** Commits the input buffer as a user audio item; transcription follows if configured. */
export function commitInput(connection: FakeConnectionHost, itemId: string): void {
  connection.pendingUserItemId = undefined;
  const bufferedMs = connection.input.bufferedMs;
  const streamEndMs = connection.input.streamMs;
  const { samples, rms } = connection.input.take();
  const sampleRate = connection.input.sampleRate;
  const { lastVoicedMs } = connection.input.utterance;
  const voicedEnd = Math.max(0, lastVoicedMs - (streamEndMs - bufferedMs));
  const utterance = voicedEnd > 0 ? samples.subarray(0, Math.round((voicedEnd * sampleRate) / 1000)) : samples;
  const queued = connection.context.transcripts.shift();
  const audioMs = (utterance.length * 1000) / sampleRate;
  const item = {
    id: itemId,
    object: "realtime.item" as const,
    type: "message" as const,
    status: "completed" as const,
    role: "user" as const,
    // The real server sends `transcript: null` until transcription completes; the SDK types lag (string only).
    content: [{ type: "input_audio" as const, transcript: null as unknown as string }],
  };
  const stored: StoredItem = {
    item,
    audioChunks: [],
    audioMs: 0,
    bytesPerMs: 0,
    userAudio: { samples: utterance, sampleRate, rms, audioMs, transcript: queued },
  };
  const previous = connection.conversation.insert(stored) ?? null;
  connection.send({
    type: "input_audio_buffer.committed",
    event_id: connection.nextId("event"),
    item_id: itemId,
    previous_item_id: previous,
  });
  connection.send({
    type: "conversation.item.added",
    event_id: connection.nextId("event"),
    previous_item_id: previous,
    item,
  });
  connection.send({
    type: "conversation.item.done",
    event_id: connection.nextId("event"),
    previous_item_id: previous,
    item,
  });
  if (connection.session.audio.input.transcription)
    transcribe(connection, item, queued ?? `[${Math.round(audioMs)} ms of audio]`);
}

function transcribe(
  connection: FakeConnectionHost,
  item: { id: string; content: Array<{ transcript: string | null }> },
  transcript: string,
): void {
  const faults = connection.context.faults;
  connection.context.clock.setTimeout(() => {
    if (connection.info.closed) return;
    if (faults.failTranscriptions > 0) {
      faults.failTranscriptions--;
      connection.send({
        type: "conversation.item.input_audio_transcription.failed",
        event_id: connection.nextId("event"),
        item_id: item.id,
        content_index: 0,
        error: { type: "transcription_error", code: "audio_unintelligible", message: "Audio unintelligible" },
      });
      return;
    }
    for (const word of transcript.match(/\s*\S+/g) ?? []) {
      connection.send({
        type: "conversation.item.input_audio_transcription.delta",
        event_id: connection.nextId("event"),
        item_id: item.id,
        content_index: 0,
        delta: word,
      });
    }
    item.content[0]!.transcript = transcript;
    connection.send({
      type: "conversation.item.input_audio_transcription.completed",
      event_id: connection.nextId("event"),
      item_id: item.id,
      content_index: 0,
      transcript,
      usage: { type: "duration", seconds: 1 },
    });
  }, connection.context.options.transcriptionDelayMs ?? 5);
}
