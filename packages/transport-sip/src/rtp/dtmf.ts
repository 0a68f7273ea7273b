const DIGITS = "0123456789*#ABCD";

export function dtmfEventCode(digit: string): number | undefined {
  const index = DIGITS.indexOf(digit.toUpperCase());
  return digit.length === 1 && index >= 0 ? index : undefined;
}

export interface DtmfEvent {
  digit: string;
  durationMs: number;
}

/**
 * RFC 4733 receiver: a new event is a new (SSRC, RTP timestamp); it fires once, on its first packet with the E bit
 * (the sender repeats end packets). Duration is converted from clock units to milliseconds.
 */
export class DtmfReceiver {
  private lastKey: string | undefined;
  private readonly clockRate: number;

  constructor(clockRate: number) {
    this.clockRate = clockRate;
  }

  handle(ssrc: number, timestamp: number, payload: Uint8Array): DtmfEvent | undefined {
    if (payload.byteLength < 4) return undefined;
    const event = payload[0]!;
    const ended = (payload[1]! & 0x80) !== 0;
    if (!ended || event >= DIGITS.length) return undefined;
    const key = `${ssrc}:${timestamp}`;
    if (key === this.lastKey) return undefined;
    this.lastKey = key;
    const duration = (payload[2]! << 8) | payload[3]!;
    return { digit: DIGITS[event]!, durationMs: (duration / this.clockRate) * 1000 };
  }
}

/**
 * The payloads of one RFC 4733 event: progress packets every `stepMs` with growing duration, then three end
 * packets carrying the final duration. All share one RTP timestamp (the event start); the first has the marker.
 */
export function dtmfPayloads(digit: string, durationMs: number, clockRate: number, stepMs = 20): Uint8Array[] {
  const event = dtmfEventCode(digit);
  if (event === undefined) throw new RangeError(`not a DTMF digit: ${JSON.stringify(digit)}`);
  const volume = 10;
  const total = Math.min(0xffff, Math.max(1, Math.round((durationMs * clockRate) / 1000)));
  const step = Math.round((stepMs * clockRate) / 1000);
  const payloads: Uint8Array[] = [];
  const make = (duration: number, end: boolean) =>
    new Uint8Array([event, (end ? 0x80 : 0) | volume, (duration >> 8) & 0xff, duration & 0xff]);
  for (let duration = step; duration < total; duration += step) payloads.push(make(duration, false));
  for (let index = 0; index < 3; index++) payloads.push(make(total, true));
  return payloads;
}
