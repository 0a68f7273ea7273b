import type { RoomKit } from "@roomkit/core";
import {
  type AudioLevelEvent,
  type BargeInEvent,
  HookResult,
  HookTrigger,
  type RealtimeTranscriptionEvent,
  type SessionEndedEvent,
  type VoiceSession,
} from "@roomkit/spec";

export function registerVoiceHooks(kit: RoomKit) {
  // Sync (the default): may block or modify. A final transcription blocked here is not sent to the client or stored.
  kit.hook(HookTrigger.ON_TRANSCRIPTION, async (event: RealtimeTranscriptionEvent) => {
    console.log(`[${event.role}] ${event.text}`);
    if (event.text.includes("card number")) return HookResult.block("sensitive");
    if (event.role === "user") return HookResult.modify({ ...event, text: event.text.trim() });
    return undefined;
  });

  // Observers: register with execution "async"; the payload of speech hooks is the VoiceSession.
  kit.hook(
    HookTrigger.ON_SPEECH_START,
    async (session: VoiceSession) => {
      console.log(`User started speaking (${session.id})`);
    },
    { execution: "async" },
  );

  kit.hook(
    HookTrigger.ON_BARGE_IN,
    (event: BargeInEvent) => {
      console.log(`Interrupted after ${event.audioPositionMs} ms heard (${event.positionSource})`);
    },
    { execution: "async" },
  );

  kit.hook(
    HookTrigger.ON_INPUT_AUDIO_LEVEL,
    (event: AudioLevelEvent) => {
      if (event.levelDb > -20) console.log("loud caller", event.levelDb);
    },
    { execution: "async", name: "input-level" },
  );

  kit.hook(
    HookTrigger.ON_SESSION_ENDED,
    (event: SessionEndedEvent) => {
      console.log(`session ${event.session.id} ended: ${event.reason}`);
    },
    { execution: "async" },
  );

  // Framework events (not hooks): per-turn latency, session start/end, tool calls, typing.
  kit.on("turn_latency", (event) => {
    console.log("turn latency", event.data.total_ms, "ms (provider", event.data.provider_ms, "ms)");
  });
}
