import type { Clock } from "@roomkit/spec";
import type { FakeConversation } from "./conversation.ts";
import type { FaultState } from "./fault-state.ts";
import type { InputAudioBuffer } from "./input-audio.ts";
import type { SessionObject } from "./session-config.ts";
import type {
  FakeBrain,
  FakeConnectionInfo,
  OpenAIRealtimeFakeOptions,
  RealtimeServerEvent,
  ReceivedClientEvent,
  SentServerEvent,
} from "./types.ts";

/** What every connection of one fake server shares: options, clock, brain, queued transcripts, faults, recordings. */
export interface FakeServerContext {
  options: OpenAIRealtimeFakeOptions;
  clock: Clock;
  brain: FakeBrain;
  transcripts: string[];
  faults: FaultState;
  nextId(prefix: string): string;
  onReceived(entry: ReceivedClientEvent): void;
  onSent(entry: SentServerEvent): void;
}

/** A client event as received: its type, optional event_id, and the fields that type carries. */
export type ClientEvent = { type: string; event_id?: string; [key: string]: any };

/** An error body as the real server sends it inside an `error` event. */
export interface FakeErrorBody {
  type?: string;
  code: string | null;
  message: string;
  param?: string | null;
}

/**
 * The part of a connection that the event handlers (input turns, item handlers) act on. `FakeConnection` implements
 * it; the handlers depend on this interface, not on the connection class, so no module imports its importer.
 */
export interface FakeConnectionHost {
  readonly info: FakeConnectionInfo;
  readonly session: SessionObject;
  readonly conversation: FakeConversation;
  readonly input: InputAudioBuffer;
  readonly context: FakeServerContext;
  pendingUserItemId: string | undefined;
  send(event: RealtimeServerEvent): void;
  sendError(error: FakeErrorBody, eventId?: string): undefined;
  nextId(prefix: string): string;
}
