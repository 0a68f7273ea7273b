import { isIP } from "node:net";

/**
 * Whether a re-INVITE may move a call's media to `address:port`. Refused: no address, a port outside 1..65535,
 * unspecified (0.0.0.0 / ::, i.e. RFC 2543 hold), multicast, link-local, reserved, and loopback unless allowed (local
 * tests). Hostnames pass (resolved at send time). The initial offer is not checked (local peers use loopback).
 */
export function isUsableRtpAddress(
  address: string | undefined,
  port: number | undefined,
  options: { allowLoopback?: boolean } = {},
): boolean {
  if (!address || port === undefined || !Number.isInteger(port) || port < 1 || port > 65535) return false;
  const version = isIP(address);
  if (version === 0) return /^[A-Za-z0-9.-]+$/.test(address);
  if (version === 4) {
    const [a, b] = address.split(".").map(Number) as [number, number];
    if (a === 0 || a >= 224) return false; // unspecified/"this network", multicast, reserved
    if (a === 169 && b === 254) return false; // link-local
    if (a === 127) return options.allowLoopback === true;
    return true;
  }
  const lower = address.toLowerCase();
  if (lower === "::" || lower.startsWith("ff") || /^fe[89ab]/.test(lower)) return false;
  if (lower === "::1") return options.allowLoopback === true;
  return true;
}
