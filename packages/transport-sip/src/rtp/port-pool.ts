import { SipError } from "../sip/sip-errors.ts";

/** Even RTP ports in [start, end) (RTCP takes port + 1). Handed out from a random point to spread reuse. */
export class RtpPortPool {
  readonly start: number;
  readonly end: number;
  private readonly allocated = new Set<number>();
  private readonly random: () => number;

  constructor(start: number, end: number, random: () => number = Math.random) {
    this.start = start % 2 === 0 ? start : start + 1;
    this.end = end;
    this.random = random;
  }

  get capacity(): number {
    return Math.max(0, Math.ceil((this.end - this.start) / 2));
  }
  get inUse(): number {
    return this.allocated.size;
  }
  isAllocated(port: number): boolean {
    return this.allocated.has(port);
  }

  /** A free even port; `exclude` skips ports that failed to bind. None left ⇒ `SipError("No RTP ports available")`. */
  allocate(exclude: ReadonlySet<number> = new Set()): number {
    const count = this.capacity;
    const first = Math.floor(this.random() * count);
    for (let step = 0; step < count; step++) {
      const port = this.start + ((first + step) % count) * 2;
      if (this.allocated.has(port) || exclude.has(port)) continue;
      this.allocated.add(port);
      return port;
    }
    throw new SipError("No RTP ports available", { code: "sip_no_rtp_ports", recoverable: true });
  }

  release(port: number): void {
    this.allocated.delete(port);
  }
}
