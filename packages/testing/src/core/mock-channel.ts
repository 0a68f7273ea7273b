import {
  type ChannelBinding,
  ChannelCategory,
  ChannelDirection,
  ChannelType,
  type EventContent,
  type RoomContext,
  type RoomEvent,
} from "@roomkit/spec";

/**
 * The part of RoomKit's `ChannelFramework` a MockChannel uses. (@roomkit/testing does not import
 * @roomkit/core — core's tests import this package — so MockChannel matches core's `ChannelLike` structurally.)
 */
export interface MockChannelFramework {
  sendEvent(
    roomId: string,
    channelId: string,
    content: EventContent,
    options?: Record<string, unknown>,
  ): Promise<RoomEvent>;
}

export interface MockChannelOutput {
  responded: boolean;
  events: RoomEvent[];
}

export interface MockChannelOptions {
  channelType?: string;
  category?: ChannelCategory;
  direction?: ChannelDirection;
  /** Make `onEvent` throw (every call, or the calls for which the function returns true). */
  failOnEvent?: boolean | ((event: RoomEvent) => boolean);
  /** Make `deliver` throw. */
  failDeliver?: boolean;
  /** Make `onRoomAttached` throw (attachChannel must roll back). */
  failOnRoomAttached?: boolean;
  /** Make `close` throw. */
  failClose?: boolean;
}

export type MockChannelCall =
  | { method: "onEvent"; event: RoomEvent; binding: ChannelBinding; context: RoomContext }
  | { method: "deliver"; event: RoomEvent; binding: ChannelBinding; context: RoomContext }
  | { method: "updateBinding"; roomId: string; binding: ChannelBinding }
  | { method: "onRoomAttached"; roomId: string; binding: ChannelBinding }
  | { method: "onRoomDetached"; roomId: string }
  | { method: "startSession"; roomId: string; participantId: string; options: unknown }
  | { method: "endSession"; session: unknown }
  | { method: "close" };

/** A session returned by `MockChannel.startSession` (what `kit.join` returns). */
export interface MockChannelSession {
  id: string;
  roomId: string;
  channelId: string;
  participantId: string;
  ended: boolean;
}

/** A channel that records every call RoomKit makes on it, in order, and can be told to fail. */
export class MockChannel {
  readonly channelId: string;
  readonly channelType: string;
  readonly category: ChannelCategory;
  readonly direction: ChannelDirection;
  readonly calls: MockChannelCall[] = [];
  /** Events received through `onEvent`, in order. */
  readonly received: RoomEvent[] = [];
  /** Events received through `deliver`, in order. */
  readonly delivered: RoomEvent[] = [];
  /** The latest binding pushed with `updateBinding`, per room. */
  readonly bindings = new Map<string, ChannelBinding>();
  readonly sessions: MockChannelSession[] = [];
  framework: MockChannelFramework | undefined;
  closeCount = 0;
  options: MockChannelOptions;
  private nextSession = 0;

  constructor(channelId: string, options: MockChannelOptions = {}) {
    this.channelId = channelId;
    this.channelType = options.channelType ?? ChannelType.MOCK;
    this.category = options.category ?? ChannelCategory.TRANSPORT;
    this.direction = options.direction ?? ChannelDirection.BIDIRECTIONAL;
    this.options = options;
  }

  setFramework(framework: MockChannelFramework | undefined): void {
    this.framework = framework;
  }

  onEvent(event: RoomEvent, binding: ChannelBinding, context: RoomContext): Promise<MockChannelOutput> {
    this.calls.push({ method: "onEvent", event, binding, context });
    const fail = this.options.failOnEvent;
    if (fail === true || (typeof fail === "function" && fail(event))) {
      return Promise.reject(new Error(`MockChannel ${this.channelId} failed in onEvent`));
    }
    this.received.push(event);
    return Promise.resolve({ responded: false, events: [] });
  }

  deliver(event: RoomEvent, binding: ChannelBinding, context: RoomContext): Promise<MockChannelOutput> {
    this.calls.push({ method: "deliver", event, binding, context });
    if (this.options.failDeliver) return Promise.reject(new Error(`MockChannel ${this.channelId} failed in deliver`));
    this.delivered.push(event);
    return Promise.resolve({ responded: false, events: [] });
  }

  updateBinding(roomId: string, binding: ChannelBinding): void {
    this.calls.push({ method: "updateBinding", roomId, binding });
    this.bindings.set(roomId, binding);
  }

  onRoomAttached(roomId: string, binding: ChannelBinding): Promise<void> {
    this.calls.push({ method: "onRoomAttached", roomId, binding });
    if (this.options.failOnRoomAttached) {
      return Promise.reject(new Error(`MockChannel ${this.channelId} refused room ${roomId}`));
    }
    this.bindings.set(roomId, binding);
    return Promise.resolve();
  }

  onRoomDetached(roomId: string): Promise<void> {
    this.calls.push({ method: "onRoomDetached", roomId });
    this.bindings.delete(roomId);
    return Promise.resolve();
  }

  capabilities(): { media: readonly string[]; supportsAudio?: boolean; custom?: Record<string, unknown> } {
    return { media: ["text"] };
  }

  startSession(
    roomId: string,
    participantId: string,
    options?: { connection?: unknown; metadata?: Record<string, unknown>; signal?: AbortSignal },
  ): Promise<MockChannelSession> {
    this.calls.push({ method: "startSession", roomId, participantId, options });
    this.nextSession += 1;
    const session: MockChannelSession = {
      id: `${this.channelId}-session-${this.nextSession}`,
      roomId,
      channelId: this.channelId,
      participantId,
      ended: false,
    };
    this.sessions.push(session);
    return Promise.resolve(session);
  }

  endSession(session: unknown): Promise<void> {
    this.calls.push({ method: "endSession", session });
    const known = this.sessions.find((candidate) => candidate === session);
    if (known) known.ended = true;
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.calls.push({ method: "close" });
    this.closeCount += 1;
    if (this.options.failClose) return Promise.reject(new Error(`MockChannel ${this.channelId} failed to close`));
    return Promise.resolve();
  }

  /** Sends content into a room as this channel (through the framework it was registered with). */
  send(roomId: string, content: EventContent | string, options?: Record<string, unknown>): Promise<RoomEvent> {
    if (!this.framework) return Promise.reject(new Error(`MockChannel ${this.channelId} is not registered`));
    const resolved: EventContent = typeof content === "string" ? { type: "text", body: content } : content;
    return this.framework.sendEvent(roomId, this.channelId, resolved, options);
  }

  /** The recorded calls of one method. */
  callsOf<Method extends MockChannelCall["method"]>(
    method: Method,
  ): Array<Extract<MockChannelCall, { method: Method }>> {
    return this.calls.filter((call): call is Extract<MockChannelCall, { method: Method }> => call.method === method);
  }

  /** Text bodies received through `onEvent`. */
  receivedTexts(): string[] {
    return this.received.map((event) => (event.content.type === "text" ? event.content.body : ""));
  }

  reset(): void {
    this.calls.length = 0;
    this.received.length = 0;
    this.delivered.length = 0;
  }
}
