import { SUPPORTED_SAMPLE_RATES } from "@roomkit/audio";
import { type Clock, isLogger, type Logger, parseOptions } from "@roomkit/spec";
import { z } from "zod";
import type { OpusCodecFactory } from "./codecs/opus-codec.ts";
import type { AudioCodecName } from "./peer/inbound-audio.ts";
import type { OutboundAudioMode } from "./peer/outbound-audio.ts";

export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

export interface FastRTCRealtimeTransportOptions {
  /** PCM16 rate delivered to `onAudioReceived` (the provider's input rate: 16000 Gemini, 24000 OpenAI). Default 16000. */
  inputSampleRate?: number;
  /** PCM16 rate `sendAudio` receives (the provider's output rate). Default 24000. */
  outputSampleRate?: number;
  /**
   * Where the assistant's audio goes. `datachannel` (default, RoomKit parity): μ-law `{"event":"media",...}`
   * messages, which RoomKit's page plays and a stock FastRTC client ignores. `track`: an Opus media track (what
   * stock FastRTC clients play, and what the browser's echo canceller needs). `both`: double audio on RoomKit's page.
   */
  outboundAudio?: OutboundAudioMode;
  /** Audio codecs the answer accepts, in the server's order. Default `["opus", "pcmu", "pcma"]`. */
  codecs?: AudioCodecName[];
  /** STUN/TURN servers. Default werift's (a public Google STUN server); `[]` for none (tests, LANs). */
  iceServers?: IceServer[];
  /** Extra host addresses to advertise (werift hides loopback: pass `["127.0.0.1"]` for same-machine tests). */
  iceAdditionalHostAddresses?: string[];
  /** Gather host candidates of the machine's IPv4/IPv6 interfaces. Default true / false. */
  iceUseIpv4?: boolean;
  iceUseIpv6?: boolean;
  /** UDP port range for ICE, `[min, max]`. */
  icePortRange?: [number, number];
  /** `relay` to use TURN only. Default `all`. */
  iceTransportPolicy?: "all" | "relay";
  /** How long the answer waits for server-reflexive candidates, ms. Default 2000. */
  iceStunGatherTimeoutMs?: number;
  /**
   * A peer not started this long after its offer (ICE/DTLS connected, the `"text"` channel open, the audio track
   * seen) is closed, ms. Default 60000 (RoomKit's connect timeout).
   */
  connectTimeoutMs?: number;
  /** A peer `disconnected` this long is closed, ms. Default 5000. */
  disconnectedGraceMs?: number;
  /** How long `disconnect()` lets queued DataChannel messages (`session_ended`) leave before closing, ms. Default 250. */
  disconnectFlushMs?: number;
  /** Client DataChannel messages longer than this are dropped (counted), characters. Default 65536. */
  maxClientMessageChars?: number;
  /** Outbound pacing: burst at the start of a response, ms (default 80), and lead over real time, ms (default 60). */
  prebufferMs?: number;
  jitterHeadroomMs?: number;
  /**
   * Client `{"type":"playback","played_ms":N}` messages report the played position (source `client`); with an
   * Opus track (`track`/`both`) the track's sent position minus the pacer's lead is reported until the client
   * reports (source `pacer`). Default true (`capabilities.playbackPosition`).
   */
  playbackReports?: boolean;
  /** The Opus implementation (default `opusscript`, WASM). */
  opus?: OpusCodecFactory;
  clock?: Clock;
  logger?: Logger;
}

const rate = z.number().refine((value) => SUPPORTED_SAMPLE_RATES.includes(value), {
  message: `expected one of ${SUPPORTED_SAMPLE_RATES.join(", ")}`,
});
const milliseconds = (max: number) => z.number().int().nonnegative().max(max);
const isFunction = (value: unknown) => typeof value === "function";

const schema = z.strictObject({
  inputSampleRate: rate.optional(),
  outputSampleRate: rate.optional(),
  outboundAudio: z.enum(["datachannel", "track", "both"]).optional(),
  codecs: z
    .array(z.enum(["opus", "pcmu", "pcma"]))
    .min(1)
    .optional(),
  iceServers: z
    .array(
      z.object({
        urls: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
        username: z.string().optional(),
        credential: z.string().optional(),
      }),
    )
    .optional(),
  iceAdditionalHostAddresses: z.array(z.string().min(1)).optional(),
  iceUseIpv4: z.boolean().optional(),
  iceUseIpv6: z.boolean().optional(),
  icePortRange: z
    .tuple([z.number().int().min(1).max(65535), z.number().int().min(1).max(65535)])
    .refine(([low, high]) => low <= high, { message: "expected [min, max] with min <= max" })
    .optional(),
  iceTransportPolicy: z.enum(["all", "relay"]).optional(),
  iceStunGatherTimeoutMs: milliseconds(60_000).optional(),
  connectTimeoutMs: z.number().int().positive().max(600_000).optional(),
  disconnectedGraceMs: milliseconds(600_000).optional(),
  disconnectFlushMs: milliseconds(10_000).optional(),
  maxClientMessageChars: z.number().int().positive().optional(),
  prebufferMs: milliseconds(10_000).optional(),
  jitterHeadroomMs: milliseconds(10_000).optional(),
  playbackReports: z.boolean().optional(),
  opus: z
    .custom<OpusCodecFactory>(
      (value) =>
        isFunction((value as OpusCodecFactory | null)?.createDecoder) &&
        isFunction((value as OpusCodecFactory | null)?.createEncoder),
      { message: "expected { createDecoder, createEncoder }" },
    )
    .optional(),
  clock: z
    .custom<Clock>((value) => isFunction((value as Clock | null)?.now), { message: "expected a Clock" })
    .optional(),
  logger: z.custom<Logger>(isLogger, { message: "expected a Logger" }).optional(),
});

export type ResolvedTransportOptions = Required<
  Omit<FastRTCRealtimeTransportOptions, "iceServers" | "icePortRange" | "clock" | "logger" | "opus">
> & {
  iceServers: IceServer[] | undefined;
  icePortRange: [number, number] | undefined;
  clock: Clock | undefined;
  logger: Logger | undefined;
  opus: OpusCodecFactory | undefined;
};

/** Validates and fills defaults; a bad option throws `RoomKitConfigError` naming the field. */
export function resolveTransportOptions(options: unknown): ResolvedTransportOptions {
  const parsed = parseOptions("FastRTCRealtimeTransport", schema, options ?? {});
  return {
    inputSampleRate: parsed.inputSampleRate ?? 16000,
    outputSampleRate: parsed.outputSampleRate ?? 24000,
    outboundAudio: parsed.outboundAudio ?? "datachannel",
    codecs: parsed.codecs ?? ["opus", "pcmu", "pcma"],
    iceServers: parsed.iceServers,
    iceAdditionalHostAddresses: parsed.iceAdditionalHostAddresses ?? [],
    iceUseIpv4: parsed.iceUseIpv4 ?? true,
    iceUseIpv6: parsed.iceUseIpv6 ?? false,
    icePortRange: parsed.icePortRange,
    iceTransportPolicy: parsed.iceTransportPolicy ?? "all",
    iceStunGatherTimeoutMs: parsed.iceStunGatherTimeoutMs ?? 2000,
    connectTimeoutMs: parsed.connectTimeoutMs ?? 60_000,
    disconnectedGraceMs: parsed.disconnectedGraceMs ?? 5000,
    disconnectFlushMs: parsed.disconnectFlushMs ?? 250,
    maxClientMessageChars: parsed.maxClientMessageChars ?? 65_536,
    prebufferMs: parsed.prebufferMs ?? 80,
    jitterHeadroomMs: parsed.jitterHeadroomMs ?? 60,
    playbackReports: parsed.playbackReports ?? true,
    opus: parsed.opus,
    clock: parsed.clock,
    logger: parsed.logger,
  };
}
