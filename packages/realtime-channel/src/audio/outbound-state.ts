import type { Pcm16Aligner } from "@roomkit/audio";
import type { PlaybackTracker } from "../speech/playback-tracker.ts";
import type { OutboundQueue } from "./outbound-items.ts";
import type { ChannelResampler } from "./resampler-types.ts";

/** Model → caller state of one session: the queue, the response's generation and playback (owned by `outbound-queue.ts`). */
export class OutboundState {
  resampler: ChannelResampler | undefined;
  /** Audio and end-of-response markers waiting for the transport; created on first use. */
  queue: OutboundQueue | undefined;
  busy = false;
  /** Bumped on barge-in and teardown: queued audio of an older generation is never sent. */
  generation = 0;
  /** Holds the last byte of an odd-length provider chunk for the next one; created on the first odd chunk. */
  aligner: Pcm16Aligner | undefined;
  /** Chunks forwarded in the current response. */
  forwardedInResponse = 0;
  /** The current response was cut by a barge-in the transport cannot interrupt: its later deltas are dropped. */
  responseCut = false;
  playback: PlaybackTracker | undefined;
  lastLevelAt = Number.NEGATIVE_INFINITY;
}
