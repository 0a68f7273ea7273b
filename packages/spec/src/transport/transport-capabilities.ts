/**
 * What a caller-side transport can do. Every flag changes what the channel does, and the transport contract suite
 * in `@roomkit/testing` checks each declared flag against the transport's behaviour: a flag must tell the truth.
 */
export interface RealtimeTransportCapabilities {
  /**
   * Reports every played block through `onAudioPlayed` (a device clock: local audio). True: the channel meters the
   * output level and measures what the caller heard from played blocks; false: from what it sent.
   */
  readonly playbackCallback: boolean;
  /**
   * Reports how much of the response the caller has heard through `onPlaybackPosition` (client report or pacer).
   * True: barge-in truncation uses the reported position; false: the channel estimates it from the wall clock.
   */
  readonly playbackPosition: boolean;
  /**
   * `interrupt()` drops audio already queued for the caller (pacer, client buffer, speaker buffer). True: the channel
   * calls it on barge-in; false: the channel itself stops forwarding the rest of the interrupted response.
   */
  readonly interrupt: boolean;
  /**
   * `setInputMuted()` stops caller audio at the source. True: the channel calls it (e.g. `muteOnToolCall`); false:
   * the channel gates the caller's audio itself while muted.
   */
  readonly inputMute: boolean;
  /** Delivers DTMF digits through `onDtmf`. False: the channel does not listen for digits. */
  readonly dtmf: boolean;
}

export const DEFAULT_TRANSPORT_CAPABILITIES: RealtimeTransportCapabilities = {
  playbackCallback: false,
  playbackPosition: false,
  interrupt: false,
  inputMute: false,
  dtmf: false,
};
