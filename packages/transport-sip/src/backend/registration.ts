import type { Clock, Logger } from "@roomkit/spec";
import { answerDigestChallenge } from "../sip/digest.ts";
import { newBranch, randomToken } from "../sip/sip-builders.ts";
import { SipError, SipTimeoutError } from "../sip/sip-errors.ts";
import { parseNameAddress } from "../sip/sip-headers.ts";
import { headerValue, type SipRequest, type SipResponse, serializeSipMessage } from "../sip/sip-message.ts";
import type { SipAddress } from "../sip/transactions.ts";

export interface RegisterOptions {
  /** The registrar (or the PBX) to register with. */
  registrar: { address: string; port?: number };
  username: string;
  /** For the digest challenge (401/407) the registrar sends. */
  password?: string;
  /** The AOR's domain (default: the registrar's address). */
  domain?: string;
  /** Requested binding lifetime in seconds (default 300); the registrar may shorten it. */
  expiresSec?: number;
  signal?: AbortSignal;
}

/** What a registration needs from its backend. */
export interface RegistrationHost {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly userAgent: string;
  hostText(address: string): string;
  localAddressToward(remote: string): Promise<string>;
  sendNonInvite(
    bytes: Uint8Array,
    branch: string,
    method: string,
    destination: SipAddress,
  ): Promise<SipResponse | undefined>;
}

/** Re-registration after a lost binding or a failed refresh. */
const RETRY_DELAY_MS = 30_000;

/**
 * A REGISTER binding (RFC 3261 §10): one digest retry per attempt, 423 ⇒ retried at Min-Expires, refreshed at 90 %
 * of the granted lifetime, retried every 30 s after a failed refresh, removed with Expires: 0 by `unregister()`.
 */
export class Registration {
  readonly aor: string;
  private readonly host: RegistrationHost;
  private readonly options: RegisterOptions;
  private readonly destination: SipAddress;
  private readonly callId: string;
  private readonly fromTag = randomToken(6);
  private sequence = 0;
  private expiresSec: number;
  private timer: unknown;
  private active = false;
  private isRegistered = false;
  private contact = "";

  constructor(host: RegistrationHost, options: RegisterOptions) {
    this.host = host;
    this.options = options;
    this.destination = { address: options.registrar.address, port: options.registrar.port ?? 5060 };
    const domain = options.domain ?? options.registrar.address;
    this.aor = `sip:${options.username}@${domain}`;
    this.callId = `${randomToken(10)}@roomkit`;
    this.expiresSec = options.expiresSec ?? 300;
  }

  get registered(): boolean {
    return this.isRegistered;
  }
  /** The lifetime the registrar granted (seconds). */
  get grantedExpiresSec(): number {
    return this.expiresSec;
  }

  /** Registers; resolves once bound, rejects with `SipError("REGISTER failed: <code> <reason>")` or a timeout. */
  async start(): Promise<void> {
    this.active = true;
    const local = await this.host.localAddressToward(this.destination.address);
    this.contact = `<sip:${this.options.username}@${this.host.hostText(local)}>`;
    await this.attempt(this.expiresSec);
    this.scheduleRefresh();
  }

  /** Stops refreshing and removes the binding (Expires: 0), best effort. Idempotent. */
  async unregister(): Promise<void> {
    const wasActive = this.active;
    this.active = false;
    this.host.clock.clearTimeout(this.timer);
    if (!wasActive || !this.isRegistered) return;
    this.isRegistered = false;
    await this.attempt(0).catch((error: unknown) =>
      this.host.logger.debug("SIP: unregister failed", { aor: this.aor, error: String(error) }),
    );
  }

  private scheduleRefresh(): void {
    if (!this.active) return;
    this.timer = this.host.clock.setTimeout(() => void this.refresh(), Math.max(1, this.expiresSec * 900));
  }

  private async refresh(): Promise<void> {
    if (!this.active) return;
    try {
      await this.attempt(this.options.expiresSec ?? 300);
      this.scheduleRefresh();
    } catch (error) {
      this.isRegistered = false;
      this.host.logger.warn("SIP: registration refresh failed; retrying in 30 s", {
        aor: this.aor,
        error: String(error),
      });
      if (this.active) this.timer = this.host.clock.setTimeout(() => void this.refresh(), RETRY_DELAY_MS);
    }
  }

  private request(
    expires: number,
    authorization?: { name: string; value: string },
  ): { bytes: Uint8Array; branch: string } {
    this.sequence += 1;
    const branch = newBranch();
    const local = parseNameAddress(this.contact).uri.replace(/^sip:[^@]+@/, "");
    const request: SipRequest = {
      kind: "request",
      method: "REGISTER",
      uri: `sip:${this.options.domain ?? this.destination.address}`,
      headers: [
        { name: "Via", value: `SIP/2.0/UDP ${local};branch=${branch};rport` },
        { name: "Max-Forwards", value: "70" },
        { name: "From", value: `<${this.aor}>;tag=${this.fromTag}` },
        { name: "To", value: `<${this.aor}>` },
        { name: "Call-ID", value: this.callId },
        { name: "CSeq", value: `${this.sequence} REGISTER` },
        { name: "Contact", value: this.contact },
        { name: "Expires", value: String(expires) },
        { name: "User-Agent", value: this.host.userAgent },
        ...(authorization ? [authorization] : []),
      ],
      body: new Uint8Array(0),
    };
    return { bytes: serializeSipMessage(request), branch };
  }

  private async attempt(expires: number): Promise<void> {
    let authorization: { name: string; value: string } | undefined;
    let authTried = false;
    let interval = expires;
    for (let round = 0; round < 4; round++) {
      this.options.signal?.throwIfAborted();
      const { bytes, branch } = this.request(interval, authorization);
      const response = await this.host.sendNonInvite(bytes, branch, "REGISTER", this.destination);
      if (!response) throw new SipTimeoutError(`REGISTER to ${this.destination.address}: no response`);
      if (response.status >= 200 && response.status < 300) {
        this.isRegistered = interval > 0;
        if (interval > 0) this.expiresSec = grantedExpires(response, interval);
        return;
      }
      if ((response.status === 401 || response.status === 407) && this.options.password !== undefined && !authTried) {
        const challenge = headerValue(response, response.status === 401 ? "WWW-Authenticate" : "Proxy-Authenticate");
        const value = challenge
          ? answerDigestChallenge(challenge, {
              username: this.options.username,
              password: this.options.password,
              method: "REGISTER",
              uri: `sip:${this.options.domain ?? this.destination.address}`,
            })
          : undefined;
        if (value) {
          authTried = true;
          authorization = { name: response.status === 401 ? "Authorization" : "Proxy-Authorization", value };
          continue;
        }
      }
      if (response.status === 423) {
        const minimum = Number(headerValue(response, "Min-Expires"));
        if (Number.isInteger(minimum) && minimum > interval) {
          interval = minimum;
          authTried = false;
          authorization = undefined;
          continue;
        }
      }
      throw new SipError(`REGISTER failed: ${response.status} ${response.reason}`, {
        code: "sip_register_failed",
        recoverable: true,
      });
    }
    throw new SipError("REGISTER failed: too many challenges", { code: "sip_register_failed", recoverable: true });
  }
}

/** The lifetime the 2xx grants: our Contact's `expires` param, else the Expires header, else what we asked. */
function grantedExpires(response: SipResponse, requested: number): number {
  const contactExpires = /;\s*expires=(\d+)/i.exec(headerValue(response, "Contact") ?? "")?.[1];
  const value = Number(contactExpires ?? headerValue(response, "Expires") ?? requested);
  return Number.isFinite(value) && value > 0 ? value : requested;
}
