import type { ChannelFramework } from "@roomkit/core";
import type { Clock, Logger, RealtimeTransport, RealtimeVoiceProvider } from "@roomkit/spec";
import type { ResamplerFactory } from "./audio/resampler-types.ts";
import type { ResolvedChannelOptions, ToolHandler } from "./options.ts";
import type { IdleWaiters } from "./session/idle-waiters.ts";
import type { SessionRegistry } from "./session/session-registry.ts";
import type { SessionState } from "./session/session-state.ts";

/** What the channel's modules share. The facade builds one and passes it to every module function. */
export interface ChannelRuntime {
  readonly channelId: string;
  readonly provider: RealtimeVoiceProvider;
  readonly transport: RealtimeTransport;
  readonly options: ResolvedChannelOptions;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly sessions: SessionRegistry;
  readonly idleWaiters: IdleWaiters;
  readonly createResampler: ResamplerFactory;
  toolHandler: ToolHandler | undefined;
  readonly framework: () => ChannelFramework | undefined;
  /** Ends a session (idempotent). */
  readonly endSession: (state: SessionState, reason: string) => Promise<void>;
}
