import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Clock } from "@roomkit/spec";
import { parseAuthParams } from "./sip-headers.ts";

export type DigestAlgorithm = "MD5" | "SHA-256";

/** Looks up a user's password (undefined ⇒ unknown user ⇒ 403). May be async; throwing counts as denied. */
export type PasswordResolver = (username: string) => string | undefined | Promise<string | undefined>;

export interface DigestCredentials {
  username: string;
  realm: string;
  nonce: string;
  uri: string;
  response: string;
  algorithm: DigestAlgorithm;
  qop: string | undefined;
  nc: string | undefined;
  cnonce: string | undefined;
}

function hash(algorithm: DigestAlgorithm, text: string): string {
  return createHash(algorithm === "MD5" ? "md5" : "sha256")
    .update(text)
    .digest("hex");
}

/** RFC 7616 / RFC 2617 response: H(H(user:realm:pw):nonce[:nc:cnonce:qop]:H(method:uri)). */
export function computeDigestResponse(options: {
  algorithm: DigestAlgorithm;
  username: string;
  realm: string;
  password: string;
  method: string;
  uri: string;
  nonce: string;
  qop?: string;
  nc?: string;
  cnonce?: string;
}): string {
  const ha1 = hash(options.algorithm, `${options.username}:${options.realm}:${options.password}`);
  const ha2 = hash(options.algorithm, `${options.method}:${options.uri}`);
  if (options.qop) {
    return hash(options.algorithm, `${ha1}:${options.nonce}:${options.nc}:${options.cnonce}:${options.qop}:${ha2}`);
  }
  return hash(options.algorithm, `${ha1}:${options.nonce}:${ha2}`);
}

/** Parses an `Authorization: Digest …` value; undefined when it is not a usable Digest credential. */
export function parseDigestCredentials(value: string | undefined): DigestCredentials | undefined {
  if (!value) return undefined;
  let parsed: ReturnType<typeof parseAuthParams>;
  try {
    parsed = parseAuthParams(value);
  } catch {
    return undefined;
  }
  if (parsed.scheme.toLowerCase() !== "digest") return undefined;
  const params = parsed.params;
  const algorithmText = (params.get("algorithm") ?? "MD5").toUpperCase();
  if (algorithmText !== "MD5" && algorithmText !== "SHA-256") return undefined;
  const username = params.get("username");
  const nonce = params.get("nonce");
  const uri = params.get("uri");
  const response = params.get("response");
  if (!username || !nonce || !uri || !response) return undefined;
  return {
    username,
    realm: params.get("realm") ?? "",
    nonce,
    uri,
    response: response.toLowerCase(),
    algorithm: algorithmText,
    qop: params.get("qop"),
    nc: params.get("nc"),
    cnonce: params.get("cnonce"),
  };
}

export type DigestVerdict =
  | { ok: true; username: string }
  /** No, unknown or expired nonce: challenge (again) with 401. */
  | { ok: false; status: 401; stale: boolean }
  /** Wrong password or unknown user. */
  | { ok: false; status: 403 };

export interface DigestServerOptions {
  realm: string;
  resolvePassword: PasswordResolver;
  clock: Clock;
  /** Challenge algorithms, in order (one WWW-Authenticate each). Default ["MD5"]. */
  algorithms?: DigestAlgorithm[];
  /** Nonce lifetime (default 30 s). */
  nonceTtlMs?: number;
}

const SWEEP_THRESHOLD = 256;

/**
 * Inbound digest authentication (RFC 7616/8760, RFC 2617 clients without qop accepted): random single-use nonces
 * that expire after 30 s (expired ones are swept once more than 256 are stored), a constant-time comparison of the
 * response, MD5 and SHA-256.
 */
export class DigestServer {
  private readonly nonces = new Map<string, number>();
  private readonly options: DigestServerOptions;
  private readonly algorithms: DigestAlgorithm[];
  private readonly ttlMs: number;

  constructor(options: DigestServerOptions) {
    this.options = options;
    this.algorithms = options.algorithms ?? ["MD5"];
    this.ttlMs = options.nonceTtlMs ?? 30_000;
  }

  get storedNonces(): number {
    return this.nonces.size;
  }

  /** `WWW-Authenticate` values for a 401 (a fresh nonce shared by the offered algorithms). */
  challenge(stale = false): string[] {
    const now = this.options.clock.now();
    if (this.nonces.size > SWEEP_THRESHOLD) {
      for (const [nonce, created] of this.nonces) if (now - created > this.ttlMs) this.nonces.delete(nonce);
    }
    const nonce = randomBytes(16).toString("hex");
    this.nonces.set(nonce, now);
    return this.algorithms.map(
      (algorithm) =>
        `Digest realm="${this.options.realm}", nonce="${nonce}", algorithm=${algorithm}, qop="auth"${stale ? ", stale=true" : ""}`,
    );
  }

  /** Checks the request's `Authorization`; the nonce is consumed whatever the outcome. */
  async verify(method: string, authorization: string | undefined): Promise<DigestVerdict> {
    const credentials = parseDigestCredentials(authorization);
    if (!credentials) return { ok: false, status: 401, stale: false };
    const created = this.nonces.get(credentials.nonce);
    this.nonces.delete(credentials.nonce);
    if (created === undefined || this.options.clock.now() - created > this.ttlMs) {
      return { ok: false, status: 401, stale: created !== undefined };
    }
    if (!this.algorithms.includes(credentials.algorithm)) return { ok: false, status: 401, stale: false };
    let password: string | undefined;
    try {
      password = await this.options.resolvePassword(credentials.username);
    } catch {
      return { ok: false, status: 403 };
    }
    if (password === undefined) return { ok: false, status: 403 };
    const expected = computeDigestResponse({
      algorithm: credentials.algorithm,
      username: credentials.username,
      realm: this.options.realm,
      password,
      method,
      uri: credentials.uri,
      nonce: credentials.nonce,
      qop: credentials.qop,
      nc: credentials.nc,
      cnonce: credentials.cnonce,
    });
    const given = Buffer.from(credentials.response);
    const wanted = Buffer.from(expected);
    if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return { ok: false, status: 403 };
    return { ok: true, username: credentials.username };
  }
}

/** Replaces a digest `response="…"` with `"<redacted>"` (for logs and traces). */
export function redactDigest(text: string): string {
  return text.replace(/(response\s*=\s*)"[^"]*"/gi, '$1"<redacted>"');
}

/**
 * Answers a `WWW-Authenticate` / `Proxy-Authenticate` Digest challenge (RFC 7616/8760): MD5 or SHA-256, `qop=auth`
 * with a random cnonce and nc 00000001 when offered, `opaque` echoed. Undefined for a challenge we cannot answer
 * (another scheme, an unknown algorithm, a qop without "auth").
 */
export function answerDigestChallenge(
  challenge: string,
  credentials: { username: string; password: string; method: string; uri: string },
): string | undefined {
  let parsed: ReturnType<typeof parseAuthParams>;
  try {
    parsed = parseAuthParams(challenge);
  } catch {
    return undefined;
  }
  if (parsed.scheme.toLowerCase() !== "digest") return undefined;
  const params = parsed.params;
  const algorithm = (params.get("algorithm") ?? "MD5").toUpperCase();
  if (algorithm !== "MD5" && algorithm !== "SHA-256") return undefined;
  const realm = params.get("realm") ?? "";
  const nonce = params.get("nonce");
  if (!nonce) return undefined;
  const qopOffered = params.get("qop");
  const qopList = qopOffered?.split(",").map((entry) => entry.trim().toLowerCase());
  if (qopList && !qopList.includes("auth")) return undefined;
  const qop = qopList ? "auth" : undefined;
  const cnonce = qop ? randomBytes(8).toString("hex") : undefined;
  const nc = qop ? "00000001" : undefined;
  const response = computeDigestResponse({ algorithm, ...credentials, realm, nonce, qop, nc, cnonce });
  const quote = (text: string) => text.replace(/["\\]/g, "\\$&");
  let header =
    `Digest username="${quote(credentials.username)}", realm="${quote(realm)}", nonce="${quote(nonce)}", ` +
    `uri="${quote(credentials.uri)}", response="${response}", algorithm=${algorithm}`;
  if (qop) header += `, qop=${qop}, nc=${nc}, cnonce="${cnonce}"`;
  const opaque = params.get("opaque");
  if (opaque !== undefined) header += `, opaque="${quote(opaque)}"`;
  return header;
}
