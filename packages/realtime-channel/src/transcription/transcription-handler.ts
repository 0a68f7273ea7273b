import {
  ChannelNotFoundError,
  HookTrigger,
  type PartialTranscriptionEvent,
  type RealtimeTranscriptionEvent,
  RoomKitError,
  type TranscriptionDetails,
  type TranscriptionRole,
} from "@roomkit/spec";
import { sendClientMessage } from "../client-messages.ts";
import { hasHooks, runChannelSyncHooks, scheduleSessionHook } from "../hooks/hook-dispatch.ts";
import type { ChannelRuntime } from "../runtime.ts";
import { SessionPhase } from "../session/lifecycle-state.ts";
import type { SessionState } from "../session/session-state.ts";
import { SerialQueue } from "./serial-queue.ts";
import { TranscriptionState } from "./transcription-state.ts";

/** Partials waiting behind a slow final before new partials are dropped (they are display-only deltas). */
const MAX_WAITING_PARTIALS = 64;
/** Anything waiting before even finals are dropped (counted and logged): the queue never grows without bound. */
const MAX_WAITING_TRANSCRIPTIONS = 1024;

/** The session's FIFO for transcriptions (and the order barrier of tool calls). */
export function transcriptionQueue(runtime: ChannelRuntime, state: SessionState): SerialQueue {
  const transcription = (state.transcription ??= new TranscriptionState());
  return (transcription.queue ??= new SerialQueue((error) =>
    runtime.logger.error("Transcription handling failed", { sessionId: state.session.id, error }),
  ));
}

/**
 * A transcription from the provider, processed in arrival order per session so a partial never overtakes its
 * final. Partials go to the client (then ON_PARTIAL_TRANSCRIPTION); finals pass ON_TRANSCRIPTION (fail-closed:
 * block ⇒ nothing sent or stored; modify ⇒ the new text everywhere), go to the client, and are stored.
 */
export function handleTranscription(
  runtime: ChannelRuntime,
  state: SessionState,
  text: string,
  role: TranscriptionRole,
  isFinal: boolean,
  details: TranscriptionDetails | undefined,
): void {
  if (typeof text !== "string") return;
  // Finals emitted while the session ends (a provider flushing what it heard as it disconnects) are still stored;
  // partials are not.
  if (state.phase > (isFinal ? SessionPhase.ENDING : SessionPhase.LIVE)) return;
  const safeRole: TranscriptionRole = role === "user" ? "user" : "assistant";
  const queue = transcriptionQueue(runtime, state);
  if (queue.waiting >= (isFinal ? MAX_WAITING_TRANSCRIPTIONS : MAX_WAITING_PARTIALS)) {
    const transcription = state.transcription!;
    if (transcription.dropped++ % 100 === 0) {
      runtime.logger.warn("Transcription queue full (a slow hook or store); dropping", {
        sessionId: state.session.id,
        isFinal,
        dropped: transcription.dropped,
      });
    }
    return;
  }
  queue.push(
    isFinal
      ? () => processFinal(runtime, state, text, safeRole, details)
      : () => processPartial(runtime, state, text, safeRole),
  );
}

function processPartial(runtime: ChannelRuntime, state: SessionState, text: string, role: TranscriptionRole): void {
  if (state.phase > SessionPhase.LIVE) return;
  sendClientMessage(runtime, state, { type: "transcription", text, role, is_final: false });
  if (hasHooks(runtime, HookTrigger.ON_PARTIAL_TRANSCRIPTION, state.session.roomId)) {
    const event: PartialTranscriptionEvent = {
      kind: "partial_transcription",
      session: state.session,
      text,
      role,
      confidence: 0,
      isStable: false,
      timestamp: new Date(),
    };
    scheduleSessionHook(runtime, state, HookTrigger.ON_PARTIAL_TRANSCRIPTION, event);
  }
}

function processFinal(
  runtime: ChannelRuntime,
  state: SessionState,
  text: string,
  role: TranscriptionRole,
  details: TranscriptionDetails | undefined,
): void | Promise<void> {
  // A final received while the session was live is still hooked and stored after it ends (the caller's last
  // words before hanging up belong in the timeline), unless the framework itself is closing.
  if (runtime.framework()?.isClosing === true) return;
  const session = state.session;
  const speech = state.speech;
  const wasBargeIn = role === "user" && speech.bargeInPending;
  if (role === "user") speech.bargeInPending = false;
  const createdAt = role === "user" ? (speech.speechStartedAt ?? new Date()) : new Date();
  if (role === "user") speech.speechStartedAt = undefined;
  if (!hasHooks(runtime, HookTrigger.ON_TRANSCRIPTION, session.roomId)) {
    return deliverFinal(runtime, state, text, role, createdAt);
  }
  const event: RealtimeTranscriptionEvent = {
    kind: "realtime_transcription",
    session,
    text,
    role,
    isFinal: true,
    wasBargeIn,
    itemId: details?.itemId,
    timestamp: new Date(),
    // The seed's hooks read `event.content.body` and `event.metadata.role`: views of `text` and `role`.
    get content() {
      return { type: "text" as const, body: this.text };
    },
    get metadata() {
      return { role: this.role, is_final: this.isFinal, voice_session_id: this.session.id };
    },
  };
  return runTranscriptionHooks(runtime, state, event, createdAt);
}

async function runTranscriptionHooks(
  runtime: ChannelRuntime,
  state: SessionState,
  event: RealtimeTranscriptionEvent,
  createdAt: Date,
): Promise<void> {
  const framework = runtime.framework()!;
  const roomId = state.session.roomId;
  let text: string;
  try {
    const outcome = await runChannelSyncHooks(runtime, framework, HookTrigger.ON_TRANSCRIPTION, event, roomId);
    if (!outcome.allowed) return;
    const modified = outcome.event as RealtimeTranscriptionEvent | undefined;
    // Fail-closed: a modified payload that is not a transcription event blocks.
    if (modified?.kind !== "realtime_transcription" || typeof modified.text !== "string") return;
    text = modified.text;
  } catch (error) {
    runtime.logger.warn("ON_TRANSCRIPTION failed; transcription blocked (fail-closed)", {
      sessionId: state.session.id,
      error,
    });
    return;
  }
  await deliverFinal(runtime, state, text, event.role, createdAt);
}

function deliverFinal(
  runtime: ChannelRuntime,
  state: SessionState,
  text: string,
  role: TranscriptionRole,
  createdAt: Date,
): void | Promise<void> {
  if (state.isLive) sendClientMessage(runtime, state, { type: "transcription", text, role, is_final: true });
  if (role === "assistant") state.speech.lastAssistantText = text;
  const framework = runtime.framework();
  if (!framework || !runtime.options.emitTranscriptionEvents || text.trim() === "") return;
  const session = state.session;
  return framework
    .sendEvent(
      session.roomId,
      runtime.channelId,
      { type: "text", body: text },
      {
        participantId: role === "user" ? session.participantId : undefined,
        metadata: { voice_session_id: session.id, source: "realtime_voice", role },
        provider: runtime.provider.name,
        createdAt,
      },
    )
    .then(
      () => undefined,
      (error: unknown) => {
        if (
          error instanceof ChannelNotFoundError ||
          (RoomKitError.isInstance(error) && error.code === "channel_not_found")
        ) {
          runtime.logger.debug("Channel detached during teardown; transcription not stored", { sessionId: session.id });
          return;
        }
        if (RoomKitError.isInstance(error) && (error.code === "roomkit_closed" || error.code === "room_closed")) {
          runtime.logger.info("Room or RoomKit closed before the transcription was stored", {
            sessionId: session.id,
            code: error.code,
          });
          return;
        }
        runtime.logger.error("Storing transcription failed", { sessionId: session.id, error });
      },
    );
}
