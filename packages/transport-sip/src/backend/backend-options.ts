import type { Socket, SocketType } from "node:dgram";
import { type Clock, isLogger, type Logger, parseOptions, type RateLimitOption } from "@roomkit/spec";
import { z } from "zod";
import { SUPPORTED_PAYLOAD_TYPES } from "../rtp/codecs.ts";
import { DEFAULT_TIMERS, type TransactionTimers } from "../sip/transactions.ts";

export interface SipVoiceBackendOptions {
  /** SIP UDP bind address (default "0.0.0.0"). */
  host?: string;
  /** SIP UDP port (default 5060; 0 picks a free one, see `backend.localPort`). */
  port?: number;
  /** RTP bind address (default: `host`). */
  rtpHost?: string;
  /** Address written into SDP and Contact (default: `host`, or the address facing the caller when host is 0.0.0.0). */
  advertisedAddress?: string;
  /** Even RTP ports are taken from [rtpPortStart, rtpPortEnd) (defaults 10000, 20000). */
  rtpPortStart?: number;
  rtpPortEnd?: number;
  /** Payload types we accept (default [9, 0, 8]: G.722, PCMU, PCMA); the offerer's order decides. */
  supportedCodecs?: number[];
  /** User-Agent / Server header (default "RoomKit"). */
  userAgent?: string;
  /** SDP `s=` (default "-"). */
  sessionName?: string;
  /** Concurrent calls (ringing or live) beyond which an INVITE gets 503 (default 0 = no cap). */
  maxSessions?: number;
  /** RFC 4961 latching: send RTP to where the caller's RTP comes from (default false). */
  symmetricRtp?: boolean;
  /**
   * Provider pre-warm (default false). False: the call is answered (200 OK) as soon as the INVITE is accepted and
   * `onCall` fires after the answer. True: `onCall` fires while ringing (180), and the call is answered when the
   * transport activates the session — after the channel has connected the AI provider — so the caller's first
   * words reach a provider that is already there.
   */
  preWarm?: boolean;
  /** With `preWarm`, a call not answered within this many ms is rejected with 480 (default 20000). */
  answerTimeoutMs?: number;
  /** A live call whose RTP stopped for this long is hung up with a BYE (default 30000; 0 = off). */
  rtpInactivityTimeoutMs?: number;
  /** A live call that never received RTP within this long is hung up with a BYE (default 60000; 0 = off). */
  rtpEstablishmentTimeoutMs?: number;
  /**
   * A re-INVITE may move media to a loopback address (default false: only routable addresses are accepted; local
   * tests set it).
   */
  allowLoopbackMedia?: boolean;
  /** OutboundAudioPacer pre-buffer (default 80 ms) and jitter headroom (default 60 ms). */
  pacerPrebufferMs?: number;
  pacerJitterHeadroomMs?: number;
  /** The pacer sends 20 ms silence frames while idle (default false). */
  outboundSilenceFill?: boolean;
  /** RFC 3261 timers (defaults T1 500, T2 4000, T4 5000 ms). */
  timers?: Partial<TransactionTimers>;
  /**
   * Inbound digest authentication: username → password. Off unless this (non-empty) or `setAuthResolver` is set; then
   * an INVITE without valid credentials gets 401 (fresh single-use nonce) and wrong ones 403.
   */
  authUsers?: Record<string, string>;
  /** Digest realm (default "roomkit"). */
  authRealm?: string;
  /** Digest algorithms offered, one challenge each (default ["MD5"]; add "SHA-256" for RFC 8760 clients). */
  authAlgorithms?: Array<"MD5" | "SHA-256">;
  /** Datagram cap for SIP messages (default 65535). */
  maxMessageBytes?: number;
  /**
   * New INVITEs per source address, checked before the 100 Trying and any digest work; over it the answer is 503 with
   * `Retry-After` (counted in `stats.invitesRateLimited`). Default `{ perSecond: 10, burst: 50 }`; `false` turns it
   * off (e.g. behind an SBC or a proxy, where every call shares its address: limit there instead).
   */
  rateLimit?: RateLimitOption;
  clock?: Clock;
  logger?: Logger;
  /** Creates UDP sockets (default `node:dgram`'s `createSocket`); tests inject their own. */
  createSocket?: (type: SocketType) => Socket;
}

const port = z.number().int().min(0).max(65535);
const functionSchema = z.custom<(...args: never[]) => unknown>((value) => typeof value === "function", {
  message: "expected a function",
});

const schema = z
  .object({
    host: z.string().min(1).optional(),
    port: port.optional(),
    rtpHost: z.string().min(1).optional(),
    advertisedAddress: z.string().min(1).optional(),
    rtpPortStart: z.number().int().min(1024).max(65534).optional(),
    rtpPortEnd: z.number().int().min(1026).max(65535).optional(),
    supportedCodecs: z
      .array(z.union([z.literal(0), z.literal(8), z.literal(9)]))
      .min(1)
      .optional(),
    userAgent: z
      .string()
      .regex(/^[^\r\n]*$/, "no CR/LF")
      .optional(),
    sessionName: z
      .string()
      .regex(/^[^\r\n]*$/, "no CR/LF")
      .optional(),
    maxSessions: z.number().int().min(0).optional(),
    symmetricRtp: z.boolean().optional(),
    preWarm: z.boolean().optional(),
    answerTimeoutMs: z.number().int().positive().optional(),
    rtpInactivityTimeoutMs: z.number().int().min(0).optional(),
    rtpEstablishmentTimeoutMs: z.number().int().min(0).optional(),
    allowLoopbackMedia: z.boolean().optional(),
    pacerPrebufferMs: z.number().min(0).max(10_000).optional(),
    pacerJitterHeadroomMs: z.number().min(0).max(10_000).optional(),
    outboundSilenceFill: z.boolean().optional(),
    timers: z
      .object({
        t1Ms: z.number().positive().optional(),
        t2Ms: z.number().positive().optional(),
        t4Ms: z.number().positive().optional(),
      })
      .optional(),
    authUsers: z.record(z.string(), z.string()).optional(),
    authRealm: z
      .string()
      .regex(/^[^\r\n"]+$/, "no quotes or CR/LF")
      .optional(),
    authAlgorithms: z
      .array(z.enum(["MD5", "SHA-256"]))
      .min(1)
      .optional(),
    maxMessageBytes: z.number().int().min(1024).max(65_535).optional(),
    rateLimit: z
      .union([
        z.literal(false),
        z.object({ perSecond: z.number().positive().finite(), burst: z.number().int().min(1) }),
      ])
      .optional(),
    clock: z.custom<Clock>((value) => typeof (value as Clock | undefined)?.now === "function").optional(),
    logger: z.custom<Logger>(isLogger, { message: "expected a Logger" }).optional(),
    createSocket: functionSchema.optional(),
  })
  .refine((value) => (value.rtpPortStart ?? 10_000) + 2 <= (value.rtpPortEnd ?? 20_000), {
    message: "rtpPortEnd must be at least rtpPortStart + 2",
    path: ["rtpPortEnd"],
  });

export interface ResolvedSipOptions {
  host: string;
  port: number;
  rtpHost: string;
  advertisedAddress: string | undefined;
  rtpPortStart: number;
  rtpPortEnd: number;
  supportedCodecs: number[];
  userAgent: string;
  sessionName: string;
  maxSessions: number;
  symmetricRtp: boolean;
  preWarm: boolean;
  answerTimeoutMs: number;
  rtpInactivityTimeoutMs: number;
  rtpEstablishmentTimeoutMs: number;
  allowLoopbackMedia: boolean;
  pacerPrebufferMs: number;
  pacerJitterHeadroomMs: number;
  outboundSilenceFill: boolean;
  timers: TransactionTimers;
  maxMessageBytes: number;
  authUsers: Record<string, string>;
  authRealm: string;
  authAlgorithms: Array<"MD5" | "SHA-256">;
  rateLimit: RateLimitOption;
}

/** New INVITEs per source address by default: a burst of 50, then 10 per second. */
export const DEFAULT_INVITE_RATE_LIMIT = { perSecond: 10, burst: 50 } as const;

export function resolveSipOptions(options: SipVoiceBackendOptions | undefined): ResolvedSipOptions {
  const parsed = parseOptions("SipVoiceBackend", schema, options ?? {}, {
    supportedCodecs: "payload types among 0 (PCMU), 8 (PCMA), 9 (G.722)",
    rtpPortEnd: "an integer above rtpPortStart + 1",
  });
  const host = parsed.host ?? "0.0.0.0";
  return {
    host,
    port: parsed.port ?? 5060,
    rtpHost: parsed.rtpHost ?? host,
    advertisedAddress: parsed.advertisedAddress,
    rtpPortStart: parsed.rtpPortStart ?? 10_000,
    rtpPortEnd: parsed.rtpPortEnd ?? 20_000,
    supportedCodecs: parsed.supportedCodecs ?? [...SUPPORTED_PAYLOAD_TYPES],
    userAgent: parsed.userAgent ?? "RoomKit",
    sessionName: parsed.sessionName ?? "-",
    maxSessions: parsed.maxSessions ?? 0,
    symmetricRtp: parsed.symmetricRtp ?? false,
    preWarm: parsed.preWarm ?? false,
    answerTimeoutMs: parsed.answerTimeoutMs ?? 20_000,
    rtpInactivityTimeoutMs: parsed.rtpInactivityTimeoutMs ?? 30_000,
    rtpEstablishmentTimeoutMs: parsed.rtpEstablishmentTimeoutMs ?? 60_000,
    allowLoopbackMedia: parsed.allowLoopbackMedia ?? false,
    pacerPrebufferMs: parsed.pacerPrebufferMs ?? 80,
    pacerJitterHeadroomMs: parsed.pacerJitterHeadroomMs ?? 60,
    outboundSilenceFill: parsed.outboundSilenceFill ?? false,
    timers: { ...DEFAULT_TIMERS, ...parsed.timers } as TransactionTimers,
    maxMessageBytes: parsed.maxMessageBytes ?? 65_535,
    authUsers: { ...parsed.authUsers },
    authRealm: parsed.authRealm ?? "roomkit",
    authAlgorithms: parsed.authAlgorithms ?? ["MD5"],
    rateLimit: parsed.rateLimit ?? DEFAULT_INVITE_RATE_LIMIT,
  };
}
