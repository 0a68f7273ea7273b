import type { ChannelResampler } from "./resampler-types.ts";

/** Caller → model state of one session (owned by `inbound-path.ts`). */
export class InboundState {
  resampler: ChannelResampler | undefined;
  /** Frames held while the provider (re)connects, in order, with their byte total. */
  held: Uint8Array[] | undefined;
  heldBytes = 0;
  heldDropped = 0;
  /** Frames waiting while an async `provider.sendAudio` is pending. */
  waiting: Uint8Array[] | undefined;
  busy = false;
  /** Frames are held instead of sent (the provider is reconnecting mid-session). */
  holding = false;
  /** Reasons the channel itself drops the caller's audio (a tool runs on a transport without `inputMute`). */
  gates = 0;
  lastLevelAt = Number.NEGATIVE_INFINITY;
}
