export const SessionPhase = { HANDSHAKING: 0, LIVE: 1, ENDING: 2, ENDED: 3 } as const;
export type SessionPhase = (typeof SessionPhase)[keyof typeof SessionPhase];

/** The start transaction and teardown of one session (owned by `start-session.ts` and `teardown.ts`). */
export class LifecycleState {
  phase: SessionPhase = SessionPhase.HANDSHAKING;
  /** Aborts the start transaction (teardown during the handshake). */
  startAbort: AbortController | undefined;
  /** The accept/connect/activate call in flight (a provider may ignore the abort signal). */
  startStep: Promise<unknown> | undefined;
  /** `provider.connect` was called: teardown disconnects the provider. */
  providerTouched = false;
  /** `voice_session_started` was emitted: teardown emits the matching end events. */
  announced = false;
  endPromise: Promise<void> | undefined;
}
