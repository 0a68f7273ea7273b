import { Channel } from "@roomkit/core";
import { ChannelDirection, HookTrigger, type InjectTextOptions, type RoomEvent } from "@roomkit/spec";
import { channelTextEvent } from "../hooks/channel-event.ts";
import { hasHooks, scheduleSessionHook } from "../hooks/hook-dispatch.ts";
import { startTurn } from "../metrics/turn-latency.ts";
import type { ChannelRuntime } from "../runtime.ts";
import type { SessionState } from "../session/session-state.ts";

export interface InjectTextCallOptions extends InjectTextOptions {
  /** Commit the session to the realtime-audio input path first (Gemini). */
  startAudioStream?: boolean;
}

/** `channel.injectText(...)`: provider first, then ON_REALTIME_TEXT_INJECTED (a failing hook never breaks it). */
export async function injectText(
  runtime: ChannelRuntime,
  state: SessionState,
  text: string,
  options: InjectTextCallOptions = {},
): Promise<void> {
  const session = state.session;
  const role = options.role ?? "user";
  const silent = options.silent ?? false;
  if (options.startAudioStream) await runtime.provider.startAudioStream(session);
  await runtime.provider.injectText(session, text, { role, silent });
  if (!silent) startTurn(runtime, state, "text_injected");
  if (hasHooks(runtime, HookTrigger.ON_REALTIME_TEXT_INJECTED, session.roomId)) {
    const event = channelTextEvent(runtime, session, {
      body: text,
      direction: ChannelDirection.OUTBOUND,
      participantId: session.participantId,
      metadata: { injected_role: role, session_id: session.id },
    });
    scheduleSessionHook(runtime, state, HookTrigger.ON_REALTIME_TEXT_INJECTED, event);
  }
}

/**
 * A broadcast from another channel in the room: its text goes to every session of the room with role
 * `event.metadata.inject_role` (default "system"). Own events are ignored. Per-session failures are logged.
 */
export async function injectBroadcast(runtime: ChannelRuntime, event: RoomEvent): Promise<void> {
  if (event.source?.channelId === runtime.channelId) return;
  const text = Channel.extractText(event);
  if (text === "") return;
  const requested = event.metadata?.inject_role;
  const role: NonNullable<InjectTextOptions["role"]> =
    requested === "user" || requested === "assistant" || requested === "system" ? requested : "system";
  const states = runtime.sessions.inRoom(event.roomId).filter((state) => state.isLive);
  for (const state of states) {
    try {
      await runtime.provider.injectText(state.session, text, { role });
      startTurn(runtime, state, "text_injected");
    } catch (error) {
      runtime.logger.error("Injecting text failed", { sessionId: state.session.id, error });
      continue;
    }
    if (hasHooks(runtime, HookTrigger.ON_REALTIME_TEXT_INJECTED, event.roomId)) {
      // Observers run beside the injection, never holding the broadcast (and the room lock) up.
      scheduleSessionHook(runtime, state, HookTrigger.ON_REALTIME_TEXT_INJECTED, event);
    }
  }
}
