/** Every hook trigger RoomKit knows. Realtime voice fires the ones marked in the seed's hook table. */
export const HookTrigger = {
  // event pipeline
  BEFORE_BROADCAST: "before_broadcast",
  AFTER_BROADCAST: "after_broadcast",
  // room / channel lifecycle
  ON_ROOM_CREATED: "on_room_created",
  ON_ROOM_CLOSED: "on_room_closed",
  ON_CHANNEL_ATTACHED: "on_channel_attached",
  ON_CHANNEL_DETACHED: "on_channel_detached",
  ON_CHANNEL_MUTED: "on_channel_muted",
  ON_CHANNEL_UNMUTED: "on_channel_unmuted",
  ON_PARTICIPANT_JOINED: "on_participant_joined",
  ON_PARTICIPANT_LEFT: "on_participant_left",
  // identity and delivery
  ON_IDENTITY_AMBIGUOUS: "on_identity_ambiguous",
  ON_IDENTITY_UNKNOWN: "on_identity_unknown",
  ON_DELIVERY_STATUS: "on_delivery_status",
  ON_TASK_CREATED: "on_task_created",
  // voice
  ON_SPEECH_START: "on_speech_start",
  ON_SPEECH_END: "on_speech_end",
  ON_TRANSCRIPTION: "on_transcription",
  ON_PARTIAL_TRANSCRIPTION: "on_partial_transcription",
  BEFORE_TTS: "before_tts",
  AFTER_TTS: "after_tts",
  ON_BARGE_IN: "on_barge_in",
  ON_TTS_CANCELLED: "on_tts_cancelled",
  ON_VAD_SILENCE: "on_vad_silence",
  ON_VAD_AUDIO_LEVEL: "on_vad_audio_level",
  ON_INPUT_AUDIO_LEVEL: "on_input_audio_level",
  ON_OUTPUT_AUDIO_LEVEL: "on_output_audio_level",
  ON_DTMF: "on_dtmf",
  ON_TURN_COMPLETE: "on_turn_complete",
  ON_TURN_INCOMPLETE: "on_turn_incomplete",
  ON_RECORDING_STARTED: "on_recording_started",
  ON_RECORDING_STOPPED: "on_recording_stopped",
  // realtime voice
  ON_SESSION_STARTED: "on_session_started",
  ON_SESSION_ENDED: "on_session_ended",
  ON_TOOL_CALL: "on_tool_call",
  BEFORE_TOOL_USE: "before_tool_use",
  ON_REALTIME_TEXT_INJECTED: "on_realtime_text_injected",
  // observability
  ON_ERROR: "on_error",
  ON_PROTOCOL_TRACE: "on_protocol_trace",
  // orchestration
  ON_HANDOFF: "on_handoff",
  ON_PHASE_TRANSITION: "on_phase_transition",
  // the seed's name for provider tool calls; the same trigger as ON_TOOL_CALL
  ON_REALTIME_TOOL_CALL: "on_tool_call",
} as const;

export type HookTrigger = (typeof HookTrigger)[keyof typeof HookTrigger];

export const HookExecution = { SYNC: "sync", ASYNC: "async" } as const;
export type HookExecution = (typeof HookExecution)[keyof typeof HookExecution];

/** Triggers where an error, timeout, wrong return value or wrong payload type blocks instead of being skipped. */
export const FAIL_CLOSED_TRIGGERS: ReadonlySet<HookTrigger> = new Set<HookTrigger>([
  HookTrigger.ON_TRANSCRIPTION,
  HookTrigger.BEFORE_TTS,
]);
