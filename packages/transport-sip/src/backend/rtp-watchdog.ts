import type { Clock, Logger } from "@roomkit/spec";
import type { SipCall } from "./sip-call.ts";

/** When RTP stops or never starts, the call is dead even without a BYE (a peer that crashed, a NAT that closed). */
export interface RtpWatchdogLimits {
  /** RTP received once and silent for longer than this ⇒ ended (0 = off). */
  inactivityMs: number;
  /** No RTP at all this long after the call started ⇒ ended (0 = off). */
  establishmentMs: number;
}

/** Why a call's media is considered dead at `now`, or undefined while it is alive. */
export function rtpExpiryReason(
  media: { createdAt: number; lastReceivedAt: number | undefined },
  now: number,
  limits: RtpWatchdogLimits,
): string | undefined {
  if (media.lastReceivedAt === undefined) {
    if (limits.establishmentMs > 0 && now - media.createdAt > limits.establishmentMs) {
      return `RTP never established (${Math.round((now - media.createdAt) / 1000)} s without a packet)`;
    }
    return undefined;
  }
  if (limits.inactivityMs > 0 && now - media.lastReceivedAt > limits.inactivityMs) {
    return `RTP inactivity timeout (${Math.round((now - media.lastReceivedAt) / 1000)} s without a packet)`;
  }
  return undefined;
}

const WATCHDOG_INTERVAL_MS = 5000;

/** Every 5 s: live calls whose RTP stopped (or never started) are hung up with a BYE (Q.850 102, "RTP timeout"). */
export class RtpWatchdog {
  private readonly options: {
    clock: Clock;
    logger: Logger;
    limits: RtpWatchdogLimits;
    calls: () => Iterable<SipCall>;
  };
  private timer: unknown;
  private running = false;

  constructor(options: RtpWatchdog["options"]) {
    this.options = options;
  }

  start(): void {
    const { limits } = this.options;
    if (this.running || (limits.inactivityMs === 0 && limits.establishmentMs === 0)) return;
    this.running = true;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    this.options.clock.clearTimeout(this.timer);
  }

  private schedule(): void {
    this.timer = this.options.clock.setTimeout(() => {
      if (!this.running) return;
      this.check();
      this.schedule();
    }, WATCHDOG_INTERVAL_MS);
  }

  /** One pass over the live calls. */
  check(): void {
    const now = this.options.clock.now();
    for (const call of [...this.options.calls()]) {
      if (call.state !== "confirmed") continue;
      const reason = rtpExpiryReason(call.rtp, now, this.options.limits);
      if (!reason) continue;
      this.options.logger.warn(`SIP: ${reason}; hanging up`, { callId: call.callId });
      void call.hangup({ cause: 102, text: "RTP timeout", reason: "rtp_timeout" });
    }
  }
}
