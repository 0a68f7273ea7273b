/** Counters of the SIP side of a backend (datagrams and what became of them). */
export interface SipBackendStats {
  datagrams: number;
  /** Unreadable datagrams and requests (answered 400 when a transaction could be formed). */
  parseErrors: number;
  /** Datagrams longer than `maxMessageBytes`: dropped unread. */
  oversized: number;
  strayResponses: number;
  retransmissionsAbsorbed: number;
  /** New INVITEs refused with 503 + Retry-After by the per-address rate limit (also counted in `rejected[503]`). */
  invitesRateLimited: number;
  /** Final responses ≥ 300 we sent, by status. */
  rejected: Record<number, number>;
}

export function emptyBackendStats(): SipBackendStats {
  return {
    datagrams: 0,
    parseErrors: 0,
    oversized: 0,
    strayResponses: 0,
    retransmissionsAbsorbed: 0,
    invitesRateLimited: 0,
    rejected: {},
  };
}
