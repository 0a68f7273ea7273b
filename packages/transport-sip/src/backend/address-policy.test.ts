import { describe, expect, test } from "bun:test";
import { isUsableRtpAddress } from "./address-policy.ts";

describe("isUsableRtpAddress", () => {
  test("routable addresses and hostnames are usable", () => {
    expect(isUsableRtpAddress("10.0.0.1", 20000)).toBe(true);
    expect(isUsableRtpAddress("203.0.113.9", 5004)).toBe(true);
    expect(isUsableRtpAddress("sip.example.com", 20000)).toBe(true);
    expect(isUsableRtpAddress("2001:db8::5", 20000)).toBe(true);
  });

  test("none, unspecified, loopback, multicast, link-local, reserved and bad ports are not", () => {
    for (const [address, port] of [
      [undefined, 20000],
      ["0.0.0.0", 20000],
      ["::", 20000],
      ["127.0.0.1", 20000],
      ["::1", 20000],
      ["224.0.0.1", 20000],
      ["169.254.1.1", 20000],
      ["fe80::1", 20000],
      ["240.0.0.1", 20000],
      ["10.0.0.1", 0],
      ["10.0.0.1", 70000],
      ["bad host", 20000],
    ] as const) {
      expect(isUsableRtpAddress(address, port)).toBe(false);
    }
  });

  test("loopback only when allowed (local tests)", () => {
    expect(isUsableRtpAddress("127.0.0.1", 31337, { allowLoopback: true })).toBe(true);
  });
});
