// Objects the channel allocates per 20 ms frame on its inbound (caller -> model) and outbound (model -> caller)
// paths, one live session. The channel's own audio listeners are called directly (captured when the channel
// subscribes), so the transport's and provider's callback dispatch is not counted; the mocks' sendAudio are
// replaced by counters that keep nothing. Used by the allocation test and the benchmark (Bun only).
import { RoomKit } from "@roomkit/core";
import { createRecordingLogger, type VoiceSession } from "@roomkit/spec";
import { MockRealtimeProvider, MockRealtimeTransport } from "@roomkit/testing";
import { RealtimeVoiceChannel } from "../realtime-voice-channel.ts";
import { objectsPerCall } from "@roomkit/test-support/allocation";

export interface FrameAllocations {
  /** Objects per inbound frame, by JSC type. */
  inbound: Record<string, number>;
  /** Objects per outbound frame, by JSC type. */
  outbound: Record<string, number>;
  inboundTotal: number;
  outboundTotal: number;
  /** Bytes handed to the provider / transport per frame (a check that the frames went through). */
  inboundBytesPerFrame: number;
  outboundBytesPerFrame: number;
}

type Listener = (session: VoiceSession, audio: Uint8Array) => unknown;

/** 20 ms of a 440 Hz tone at `rate` (PCM16 LE). */
function toneFrame(rate: number): Uint8Array {
  const samples = new Int16Array((rate * 20) / 1000);
  for (let index = 0; index < samples.length; index++) {
    samples[index] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * index) / rate));
  }
  return new Uint8Array(samples.buffer);
}

const total = (counts: Record<string, number>) =>
  Math.round(Object.values(counts).reduce((sum, value) => sum + value, 0) * 100) / 100;

/**
 * `resample`: the caller is at 8 kHz (every frame resampled both ways), else at the provider's rates.
 * `extraPerFrame` (the test's control) runs inside each measured frame, e.g. an allocation the measure must see.
 */
export async function measureFrameAllocations(options: {
  resample: boolean;
  frames: number;
  extraPerFrame?: () => unknown;
}): Promise<FrameAllocations> {
  const logger = createRecordingLogger();
  const kit = new RoomKit({ logger });
  const provider = new MockRealtimeProvider();
  const transport = new MockRealtimeTransport();
  let inboundListener: Listener | undefined;
  let outboundListener: Listener | undefined;
  const subscribeInbound = transport.onAudioReceived.bind(transport);
  transport.onAudioReceived = (callback) => {
    inboundListener = callback as Listener;
    return subscribeInbound(callback);
  };
  const subscribeOutbound = provider.onAudio.bind(provider);
  provider.onAudio = (callback) => {
    outboundListener = callback as Listener;
    return subscribeOutbound(callback);
  };
  const channel = new RealtimeVoiceChannel("rt-voice", {
    provider,
    transport,
    logger,
    transportSampleRate: options.resample ? 8000 : undefined,
  });
  try {
    kit.registerChannel(channel);
    const room = await kit.createRoom();
    await kit.attachChannel(room.id, "rt-voice");
    const session = await channel.startSession(room.id, "caller", { connection: "conn" });
    if (inboundListener === undefined || outboundListener === undefined) throw new Error("channel listeners not found");
    let inboundBytes = 0;
    let outboundBytes = 0;
    provider.sendAudio = (_session: VoiceSession, audio: Uint8Array) => {
      inboundBytes += audio.byteLength;
    };
    transport.sendAudio = (_session: VoiceSession, audio: Uint8Array) => {
      outboundBytes += audio.byteLength;
    };
    const frameIn = toneFrame(options.resample ? 8000 : 16000);
    const frameOut = toneFrame(24000);
    const extra = options.extraPerFrame;
    const toChannel = inboundListener;
    const fromModel = outboundListener;
    let inboundFrames = 0;
    let outboundFrames = 0;
    const inbound = objectsPerCall(() => {
      inboundFrames++;
      extra?.();
      return toChannel(session, frameIn);
    }, options.frames);
    const outbound = objectsPerCall(() => {
      outboundFrames++;
      extra?.();
      return fromModel(session, frameOut);
    }, options.frames);
    return {
      inbound,
      outbound,
      inboundTotal: total(inbound),
      outboundTotal: total(outbound),
      inboundBytesPerFrame: inboundBytes / inboundFrames,
      outboundBytesPerFrame: outboundBytes / outboundFrames,
    };
  } finally {
    await channel.close();
    await kit.close();
  }
}
