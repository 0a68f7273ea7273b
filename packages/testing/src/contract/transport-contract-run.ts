import { expect } from "bun:test";
import type { RealtimeTransportCapabilities, VoiceSession } from "@roomkit/spec";
import { within } from "@roomkit/test-support";
import { contractSession, isPositiveInteger } from "./contract-helpers.ts";
import type { TransportContractOptions, TransportContractSubject } from "./transport-contract-subject.ts";

/** One accepted and activated client connection. */
export interface AcceptedClient {
  session: VoiceSession;
  connection: unknown;
  /** The PCM rate the suite sends to this client at. */
  outputRate: number;
}

/** What `describeRealtimeTransportContract` hands its groups of checks. */
export interface TransportContractRun {
  /** Per-operation limit (ms). */
  readonly limit: number;
  /** How long to watch for something that must not happen (ms). */
  readonly quietMs: number;
  /** Builds the subject for this test (the suite closes it after the test). */
  setup(): Promise<TransportContractSubject>;
  /** Connects a client, accepts and activates it. */
  accept(subject: TransportContractSubject): Promise<AcceptedClient>;
  /** Closes the transport and runs the subject's cleanup (after each test). */
  cleanup(): Promise<void>;
}

/** The set-up shared by every check: one subject per test, closed afterwards. */
export function createTransportContractRun(
  factory: () => TransportContractSubject | Promise<TransportContractSubject>,
  options: TransportContractOptions = {},
): TransportContractRun {
  const limit = options.operationTimeoutMs ?? 5000;
  let subject: TransportContractSubject | undefined;
  return {
    limit,
    quietMs: options.quietPeriodMs ?? 200,
    async setup() {
      subject = await factory();
      return subject;
    },
    async accept(current) {
      const connection = await within(current.connect(), { timeoutMs: limit, label: "client connect" });
      const session = contractSession("transport");
      const result = await within(current.transport.accept(session, connection), { timeoutMs: limit, label: "accept" });
      if (result?.sampleRate !== undefined) expect(isPositiveInteger(result.sampleRate)).toBe(true);
      await within(current.transport.activate(session), { timeoutMs: limit, label: "activate" });
      return { session, connection, outputRate: result?.sampleRate ?? current.outputSampleRate ?? 24000 };
    },
    async cleanup() {
      const current = subject;
      subject = undefined;
      if (!current) return;
      await within(current.transport.close(), { timeoutMs: limit, label: "close" }).catch(() => undefined);
      await current.cleanup?.();
    },
  };
}

type Hook = Exclude<keyof TransportContractSubject, "transport" | "connect">;

/** The hook a declared capability's check needs; a missing one fails the check with what to add. */
export function requireHook<Name extends Hook>(
  subject: TransportContractSubject,
  hook: Name,
  flag: keyof RealtimeTransportCapabilities,
): NonNullable<TransportContractSubject[Name]> {
  const value = subject[hook];
  if (value === undefined) {
    throw new Error(
      `${subject.transport.name} declares capabilities.${flag} = true, but its contract subject has no ${String(hook)}(): ` +
        `add it so the suite can check the flag against the transport's behaviour (declared flags are never skipped)`,
    );
  }
  return (typeof value === "function" ? value.bind(subject) : value) as NonNullable<TransportContractSubject[Name]>;
}
