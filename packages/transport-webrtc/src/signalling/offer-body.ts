/** FastAPI-shaped validation error detail (`{"detail":[...]}` with status 422), as FastRTC's clients see it. */
export interface ValidationDetail {
  type: string;
  loc: Array<string | number>;
  msg: string;
}

export interface IceCandidateInit {
  candidate: string;
  sdpMid?: string;
  sdpMLineIndex?: number;
  usernameFragment?: string;
}

/** A valid body of `POST {path}/webrtc/offer`. */
export type OfferBody =
  | { kind: "offer"; webrtcId: string; sdp: string }
  | { kind: "ice-candidate"; webrtcId: string; candidate: unknown };

export type ParsedOfferBody = { ok: true; body: OfferBody } | { ok: false; detail: ValidationDetail[] };

const missing = (field: string): ValidationDetail => ({ type: "missing", loc: ["body", field], msg: "Field required" });
const notString = (field: string): ValidationDetail => ({
  type: "string_type",
  loc: ["body", field],
  msg: "Input should be a valid string",
});

/** Parses and validates the JSON text of a signalling request (FastRTC's `Body`: type, webrtc_id, sdp, candidate). */
export function parseOfferBody(text: string): ParsedOfferBody {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      detail: [{ type: "json_invalid", loc: ["body", 0], msg: `JSON decode error: ${(error as Error).message}` }],
    };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return {
      ok: false,
      detail: [{ type: "model_attributes_type", loc: ["body"], msg: "Input should be a valid dictionary" }],
    };
  }
  const record = value as Record<string, unknown>;
  const detail: ValidationDetail[] = [];
  for (const field of ["type", "webrtc_id"]) {
    if (record[field] === undefined) detail.push(missing(field));
    else if (typeof record[field] !== "string") detail.push(notString(field));
  }
  if (detail.length === 0 && record.webrtc_id === "") {
    detail.push({
      type: "string_too_short",
      loc: ["body", "webrtc_id"],
      msg: "String should have at least 1 character",
    });
  }
  if (detail.length > 0) return { ok: false, detail };
  const webrtcId = record.webrtc_id as string;
  if (record.type === "ice-candidate")
    return { ok: true, body: { kind: "ice-candidate", webrtcId, candidate: record.candidate } };
  if (record.type !== "offer") {
    return {
      ok: false,
      detail: [{ type: "literal_error", loc: ["body", "type"], msg: "Input should be 'offer' or 'ice-candidate'" }],
    };
  }
  if (record.sdp === undefined || record.sdp === null) return { ok: false, detail: [missing("sdp")] };
  if (typeof record.sdp !== "string") return { ok: false, detail: [notString("sdp")] };
  return { ok: true, body: { kind: "offer", webrtcId, sdp: record.sdp } };
}

/**
 * A trickled candidate as FastRTC accepts it: an object whose `candidate` starts with `candidate:` and has at least
 * 8 whitespace-separated fields (Safari sends exactly 8). Undefined otherwise (`invalid_candidate_format`).
 */
export function parseCandidate(candidate: unknown): IceCandidateInit | undefined {
  if (typeof candidate !== "object" || candidate === null) return undefined;
  const record = candidate as Record<string, unknown>;
  const text = record.candidate;
  if (typeof text !== "string" || !text.startsWith("candidate:")) return undefined;
  if (text.trim().split(/\s+/).length < 8) return undefined;
  const init: IceCandidateInit = { candidate: text };
  if (typeof record.sdpMid === "string") init.sdpMid = record.sdpMid;
  if (typeof record.sdpMLineIndex === "number" && Number.isInteger(record.sdpMLineIndex)) {
    init.sdpMLineIndex = record.sdpMLineIndex;
  }
  if (typeof record.usernameFragment === "string") init.usernameFragment = record.usernameFragment;
  return init;
}

/** The offer has an audio m-line (FastRTC's realtime handler is audio-only). */
export function hasAudioSection(sdp: string): boolean {
  return /^m=audio /m.test(sdp);
}
