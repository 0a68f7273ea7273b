export const VoiceSessionState = {
  CONNECTING: "connecting",
  ACTIVE: "active",
  PAUSED: "paused",
  ENDED: "ended",
} as const;

export type VoiceSessionState = (typeof VoiceSessionState)[keyof typeof VoiceSessionState];

/** Allowed transitions. Anything else out of a live state is logged; anything out of ENDED throws. */
export const VOICE_SESSION_TRANSITIONS: Readonly<Record<VoiceSessionState, readonly VoiceSessionState[]>> = {
  connecting: ["active", "ended"],
  active: ["paused", "ended"],
  paused: ["active", "ended"],
  ended: [],
};
