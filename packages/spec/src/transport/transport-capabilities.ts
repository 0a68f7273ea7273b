/** What a caller-side transport can do. The channel branches on these flags. */
export interface RealtimeTransportCapabilities {
  /** Reports every played block through `onAudioPlayed` (a device clock: local audio). */
  readonly playbackCallback: boolean;
  /** Reports how much audio the caller has heard through `onPlaybackPosition` (client report or pacer). */
  readonly playbackPosition: boolean;
  /** `interrupt()` flushes audio queued for the caller (pacer, speaker buffer). */
  readonly interrupt: boolean;
  /** `endOfResponse()` matters (a pacer or speaker buffer flushes its tail). */
  readonly endOfResponse: boolean;
  /** `setInputMuted()` stops caller audio at the source. */
  readonly inputMute: boolean;
  /** The transport paces outbound audio itself in real time. */
  readonly pacing: boolean;
  /** Delivers DTMF digits through `onDtmf`. */
  readonly dtmf: boolean;
  /** The caller's device cancels echo itself (browser getUserMedia, phone). */
  readonly nativeEchoCancellation: boolean;
  /** `activate()` answers the call: the channel connects the provider first, then activates. */
  readonly answerAfterProviderConnect: boolean;
}

export const DEFAULT_TRANSPORT_CAPABILITIES: RealtimeTransportCapabilities = {
  playbackCallback: false,
  playbackPosition: false,
  interrupt: false,
  endOfResponse: false,
  inputMute: false,
  pacing: false,
  dtmf: false,
  nativeEchoCancellation: false,
  answerAfterProviderConnect: false,
};
