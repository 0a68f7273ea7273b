import { type Clock, hasMethods, isLogger, type Logger, parseOptions, RoomKitConfigError } from "@roomkit/spec";
import { z } from "zod";
import { LocalCaptureSource } from "./capture-source.ts";
import type { AudioDriver } from "./drivers/audio-driver.ts";
import type { TransportAec } from "./transport-aec.ts";

const device = z.union([z.string().min(1), z.number().int().nonnegative()]);

const schema = z.strictObject({
  /** PCM16 rate of the mic and the speaker streams (the daemon resamples to the device). Default 24000. */
  sampleRate: z.number().int().positive().optional(),
  /** Device channels (1 or 2); the channel always sees mono. Default 1. */
  channels: z.union([z.literal(1), z.literal(2)]).optional(),
  /** Block size of the mic and speaker, ms. Default 20. */
  blockDurationMs: z.number().positive().max(200).optional(),
  inputDevice: device.optional(),
  outputDevice: device.optional(),
  /** Half-duplex: drop mic audio while the speaker plays (until it has physically ended). Default true. */
  muteMicDuringPlayback: z.boolean().optional(),
  /** Pre-buffer at the start and after an underrun, ms (0 = play at once). Default 120. */
  rtPrebufferMs: z.number().nonnegative().max(5000).optional(),
  /** Release priming after this long without audio, ms. Default 100. */
  primeMaxIdleMs: z.number().positive().max(5000).optional(),
  /** The speaker buffer's bound, seconds. Default 30. */
  maxBufferSeconds: z.number().positive().max(600).optional(),
  /** `auto` (pulse, else alsa), a name, or a driver object (tests: `FakeAudioDriver`). */
  driver: z.union([z.enum(["auto", "pulse", "alsa"]), z.custom<AudioDriver>(isDriver)]).optional(),
  /** PulseAudio server (`--server=`), e.g. a private test daemon's `unix:/path/native`. */
  pulseServer: z.string().min(1).optional(),
  /**
   * How far ahead of the device clock the speaker is written, ms. Default 40. With `deviceLatencyMs: 10`, 20 gives
   * a ~40 ms round trip, at about twice the device underruns on a loaded machine (see the README's figures).
   */
  outputLeadMs: z.number().nonnegative().max(1000).optional(),
  /** Device buffer asked of the tool, ms. Default 20. */
  deviceLatencyMs: z.number().positive().max(1000).optional(),
  /** Extra hold of the half-duplex mute after the physical end of playback, ms. Default 30. */
  playbackTailMs: z.number().nonnegative().max(1000).optional(),
  /**
   * A shared microphone (`LocalCaptureSource`) instead of the transport's own (`inputDevice` is then unused): its
   * format wins, and a session's `metadata.captureSince` (a `source.mark()`) replays what it captured since then.
   */
  source: z
    .custom<LocalCaptureSource>((value) => value instanceof LocalCaptureSource, {
      message: "expected a LocalCaptureSource",
    })
    .optional(),
  /** A transport-level echo canceller: the speaker feeds its reference, every mic block goes through it. */
  aec: z
    .custom<TransportAec>((value) => hasMethods(value, ["process", "feedReference", "setStreamActive"]), {
      message: "expected a TransportAec",
    })
    .optional(),
  /**
   * A helper process exits or the device goes away mid-call: `end` (default) ends every session
   * (`onClientDisconnected`); `wait` keeps the sessions and reopens the device every `deviceRetryMs` until it is back.
   */
  onDeviceLost: z.enum(["end", "wait"]).optional(),
  /** With `onDeviceLost: "wait"`, how often to try reopening the device, ms. Default 1000. */
  deviceRetryMs: z.number().positive().max(60_000).optional(),
  logger: z.custom<Logger>(isLogger, { message: "expected a Logger" }).optional(),
  clock: z
    .custom<Clock>((value) => hasMethods(value, ["now", "setTimeout", "clearTimeout"]), { message: "expected a Clock" })
    .optional(),
});

export type LocalAudioOptions = z.input<typeof schema>;

function isDriver(value: unknown): value is AudioDriver {
  const driver = value as AudioDriver | undefined;
  return typeof driver?.openOutput === "function" && typeof driver.openInput === "function";
}

export interface ResolvedLocalAudioOptions {
  sampleRate: number;
  channels: 1 | 2;
  blockDurationMs: number;
  inputDevice?: string | number;
  outputDevice?: string | number;
  muteMicDuringPlayback: boolean;
  rtPrebufferMs: number;
  primeMaxIdleMs: number;
  maxBufferSeconds: number;
  driver: "auto" | "pulse" | "alsa" | AudioDriver;
  pulseServer?: string;
  outputLeadMs: number;
  deviceLatencyMs: number;
  playbackTailMs: number;
  onDeviceLost: "end" | "wait";
  source?: LocalCaptureSource;
  aec?: TransportAec;
  deviceRetryMs: number;
  logger?: Logger;
  clock?: Clock;
}

/** Validates and fills defaults; bad options throw `RoomKitConfigError` naming the field. */
export function resolveLocalAudioOptions(options: unknown): ResolvedLocalAudioOptions {
  const parsed = parseOptions("LocalAudioBackend", schema, options ?? {});
  const source = parsed.source;
  if (source) {
    for (const field of ["sampleRate", "channels", "blockDurationMs"] as const) {
      if (parsed[field] !== undefined && parsed[field] !== source[field]) {
        throw new RoomKitConfigError({
          component: "LocalAudioBackend",
          field,
          problem: `${parsed[field]} conflicts with the capture source (${source[field]}); the source owns the format`,
        });
      }
    }
  }
  return {
    ...parsed,
    sampleRate: source?.sampleRate ?? parsed.sampleRate ?? 24000,
    channels: source?.channels ?? parsed.channels ?? 1,
    blockDurationMs: source?.blockDurationMs ?? parsed.blockDurationMs ?? 20,
    muteMicDuringPlayback: parsed.muteMicDuringPlayback ?? true,
    rtPrebufferMs: parsed.rtPrebufferMs ?? 120,
    primeMaxIdleMs: parsed.primeMaxIdleMs ?? 100,
    maxBufferSeconds: parsed.maxBufferSeconds ?? 30,
    driver: parsed.driver ?? "auto",
    outputLeadMs: parsed.outputLeadMs ?? 40,
    deviceLatencyMs: parsed.deviceLatencyMs ?? 20,
    playbackTailMs: parsed.playbackTailMs ?? 30,
    onDeviceLost: parsed.onDeviceLost ?? "end",
    deviceRetryMs: parsed.deviceRetryMs ?? 1000,
  };
}
