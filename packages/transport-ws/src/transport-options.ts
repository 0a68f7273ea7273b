import { LOGGER_ACCEPTED, type Logger } from "@roomkit/spec";
import { z } from "zod";
import { loggerOption } from "./logger-option.ts";
import type { AudioFormat } from "./protocol.ts";
import type { WebSocketAuthenticate } from "./websocket-auth.ts";

export interface WebSocketRealtimeTransportOptions {
  authenticate?: WebSocketAuthenticate;
  /** How audio goes TO the client. Inbound accepts both binary frames and base64 JSON. Default `base64_json`. */
  audioFormat?: AudioFormat;
  /** Inbound frames above this many (decoded) bytes are dropped before decoding. Default 256 KiB. */
  maxFrameBytes?: number;
  /** Socket send buffer above which audio waits in the backpressure queue. Default 64 KiB. */
  maxBufferedBytes?: number;
  /** Bytes of audio the backpressure queue keeps; beyond it the oldest is dropped. Default 192 KiB (~4 s at 24 kHz). */
  maxQueuedAudioBytes?: number;
  /** Close code when `authenticate` returns null. Default 4401 (1008 also common). */
  rejectCloseCode?: number;
  /** Log the first N problems of each kind per session at warn level, then only count. Default 5. */
  maxWarningsPerKind?: number;
  /**
   * The clients report what they played (`{"type":"playback","played_ms":N}`, as the bundled browser client does
   * every 250 ms). Default true: the transport declares `playbackPosition`. Set false for clients that speak only
   * the seed protocol: reports are then ignored and the channel estimates the position from the wall clock.
   */
  playbackReports?: boolean;
  logger?: Logger;
}

const positiveInteger = z.number().int().positive();
const nonNegativeInteger = z.number().int().nonnegative();

/** The options `WebSocketRealtimeTransport` accepts (unknown keys are ignored, as elsewhere in RoomKit). */
export const webSocketTransportOptionsSchema = z
  .object({
    authenticate: z
      .custom<WebSocketAuthenticate>((value) => typeof value === "function", { message: "expected a function" })
      .optional(),
    audioFormat: z.enum(["base64_json", "binary"]).optional(),
    maxFrameBytes: positiveInteger.optional(),
    maxBufferedBytes: nonNegativeInteger.optional(),
    maxQueuedAudioBytes: positiveInteger.optional(),
    rejectCloseCode: z.number().int().min(1000).max(4999).optional(),
    maxWarningsPerKind: nonNegativeInteger.optional(),
    playbackReports: z.boolean().optional(),
    logger: loggerOption.optional(),
  })
  .optional();

/** Hints for `RoomKitConfigError.accepted`, per field (zod's own message already lists an enum's values). */
export const WEB_SOCKET_TRANSPORT_ACCEPTED: Readonly<Record<string, string>> = {
  "": "an options object",
  authenticate: "(context) => metadata | null (sync or async)",
  maxFrameBytes: "a positive integer (bytes)",
  maxBufferedBytes: "an integer ≥ 0 (bytes)",
  maxQueuedAudioBytes: "a positive integer (bytes)",
  rejectCloseCode: "an integer close code 1000–4999, e.g. 4401 or 1008",
  maxWarningsPerKind: "an integer ≥ 0",
  playbackReports: "true | false",
  logger: LOGGER_ACCEPTED,
};
