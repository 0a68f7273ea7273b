import type { ReportBlock } from "./rtcp.ts";

/**
 * What a receiver report says about one remote source (RFC 3550 §6.4.1, Appendix A.1/A.3/A.8): extended highest
 * sequence, cumulative and interval loss, interarrival jitter, and the last sender report's time for LSR/DLSR.
 */
export class ReceptionStats {
  private readonly clockRate: number;
  private started = false;
  private baseSequence = 0;
  private maxSequence = 0;
  private cycles = 0;
  private received = 0;
  private expectedPrior = 0;
  private receivedPrior = 0;
  private transit: number | undefined;
  /** Interarrival jitter in timestamp units. */
  jitter = 0;
  private lastSr = 0;
  private lastSrArrivalMs = 0;

  constructor(clockRate: number) {
    this.clockRate = clockRate;
  }

  /** A new remote SSRC: counting starts over. */
  reset(): void {
    this.started = false;
    this.received = 0;
    this.cycles = 0;
    this.expectedPrior = 0;
    this.receivedPrior = 0;
    this.transit = undefined;
    this.jitter = 0;
  }

  onPacket(sequence: number, timestamp: number, arrivalMs: number): void {
    if (!this.started) {
      this.started = true;
      this.baseSequence = sequence;
      this.maxSequence = sequence;
    } else {
      const delta = (sequence - this.maxSequence) & 0xffff;
      if (delta > 0 && delta < 0x8000) {
        if (sequence < this.maxSequence) this.cycles += 0x10000;
        this.maxSequence = sequence;
      }
    }
    this.received++;
    const arrival = (arrivalMs * this.clockRate) / 1000;
    const transit = arrival - timestamp;
    if (this.transit !== undefined) {
      let difference = Math.abs(transit - this.transit);
      if (difference > 0x80000000) difference = 0x100000000 - difference; // timestamp wrap
      this.jitter += (difference - this.jitter) / 16;
    }
    this.transit = transit;
  }

  onSenderReport(ntpMiddle: number, arrivalMs: number): void {
    this.lastSr = ntpMiddle;
    this.lastSrArrivalMs = arrivalMs;
  }

  /** The report block for `ssrc` now (undefined before any packet); moves the interval counters on. */
  block(ssrc: number, nowMs: number): ReportBlock | undefined {
    if (!this.started) return undefined;
    const extendedHighestSequence = this.cycles + this.maxSequence;
    const expected = extendedHighestSequence - this.baseSequence + 1;
    const expectedInterval = expected - this.expectedPrior;
    const receivedInterval = this.received - this.receivedPrior;
    this.expectedPrior = expected;
    this.receivedPrior = this.received;
    const lostInterval = expectedInterval - receivedInterval;
    return {
      ssrc,
      fractionLost: expectedInterval > 0 && lostInterval > 0 ? Math.floor((lostInterval * 256) / expectedInterval) : 0,
      cumulativeLost: expected - this.received,
      extendedHighestSequence: extendedHighestSequence >>> 0,
      jitter: this.jitter,
      lastSr: this.lastSr,
      delaySinceLastSr: this.lastSr === 0 ? 0 : Math.round(((nowMs - this.lastSrArrivalMs) / 1000) * 65536),
    };
  }
}
