import { describe, expect, test } from "bun:test";
import { rtpExpiryReason } from "./rtp-watchdog.ts";

const limits = { inactivityMs: 30_000, establishmentMs: 60_000 };
const HOUR = 3_600_000;

describe("rtpExpiryReason", () => {
  test("never established: 61 s without a packet ⇒ a reason; 10 s ⇒ none", () => {
    expect(rtpExpiryReason({ createdAt: 0, lastReceivedAt: undefined }, 61_000, limits)).toContain("never established");
    expect(rtpExpiryReason({ createdAt: 0, lastReceivedAt: undefined }, 10_000, limits)).toBeUndefined();
  });

  test("an hour-old call whose last packet was 1 s ago is kept; 31 s of silence ⇒ inactivity", () => {
    expect(rtpExpiryReason({ createdAt: 0, lastReceivedAt: HOUR - 1000 }, HOUR, limits)).toBeUndefined();
    expect(rtpExpiryReason({ createdAt: 0, lastReceivedAt: HOUR - 31_000 }, HOUR, limits)).toContain("inactivity");
  });

  test("0 disables each limit", () => {
    expect(
      rtpExpiryReason({ createdAt: 0, lastReceivedAt: undefined }, 100_000_000, { ...limits, establishmentMs: 0 }),
    ).toBeUndefined();
    expect(
      rtpExpiryReason({ createdAt: 0, lastReceivedAt: 0 }, 100_000_000, { ...limits, inactivityMs: 0 }),
    ).toBeUndefined();
  });
});
