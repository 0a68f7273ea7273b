import type {
  ChannelBinding,
  ChannelDirection,
  EventContent,
  HookTrigger,
  RoomContext,
  RoomEvent,
  Visibility,
} from "@roomkit/spec";

/** Options of `RoomKit.sendEvent`. */
export interface SendEventOptions {
  participantId?: string;
  metadata?: Record<string, unknown>;
  visibility?: Visibility;
  /** Name of the service that produced the content (realtime transcripts: the AI provider). */
  provider?: string;
  createdAt?: Date;
  direction?: ChannelDirection;
  signal?: AbortSignal;
}

/** Where a hook dispatch comes from; used for the channelTypes/channelIds/directions filters. */
export interface HookDispatchOrigin {
  roomId?: string;
  channelId?: string;
  channelType?: string;
  direction?: string;
}

/** The outcome of the sync hooks for one payload. */
export interface SyncHookOutcome<Event> {
  allowed: boolean;
  /** The payload after every `modify`. */
  event: Event;
  reason?: string;
  blockedBy?: string;
  /** Merged metadata of every hook result (later wins). */
  metadata: Record<string, unknown>;
  /** A `{ result }` returned by a hook (tool-call hooks answer calls this way). Last one wins. */
  result?: unknown;
  /** Hooks that threw or timed out (skipped on fail-open triggers). */
  errors: Array<{ hookName: string; error: unknown }>;
}

/**
 * What the framework offers to a channel it registered (`channel.setFramework(kit)`).
 * `RoomKit` implements it; tests may pass a fake.
 */
export interface ChannelFramework {
  /** O(1): is any hook (global or for this room) registered for the trigger? */
  hasHooks(trigger: HookTrigger, roomId?: string): boolean;
  /** Sync hooks in priority order (then async hooks for the same trigger), honouring filters and fail-closed rules. */
  runSyncHooks<Event>(
    trigger: HookTrigger,
    event: Event,
    origin: HookDispatchOrigin,
    context?: RoomContext,
  ): Promise<SyncHookOutcome<Event>>;
  /** Every hook for the trigger, concurrently; errors logged only. */
  runAsyncHooks(trigger: HookTrigger, event: unknown, origin: HookDispatchOrigin, context?: RoomContext): Promise<void>;
  buildContext(roomId: string): Promise<RoomContext>;
  sendEvent(roomId: string, channelId: string, content: EventContent, options?: SendEventOptions): Promise<RoomEvent>;
  getBinding(roomId: string, channelId: string): Promise<ChannelBinding | undefined>;
  publishTyping(roomId: string, userId: string, isTyping: boolean, data?: Record<string, unknown>): void;
  emitFrameworkEvent(
    type: string,
    options: { roomId?: string; channelId?: string; eventId?: string; data?: Record<string, unknown> },
  ): void;
  /** True once `close()` started: channels stop scheduling hooks. */
  readonly isClosing: boolean;
}
