import { VoiceSession } from "@roomkit/spec";
import { WaitForTimeoutError, WithinTimeoutError, waitFor, within } from "@roomkit/test-support";

let counter = 0;

/** A fresh session for contract tests. */
export function contractSession(prefix = "contract"): VoiceSession {
  counter++;
  return new VoiceSession({
    id: `${prefix}-${counter}-${Math.random().toString(16).slice(2, 10)}`,
    roomId: "contract-room",
    participantId: "contract-user",
    channelId: "contract-channel",
  });
}

/** Settles (resolve or reject) without throwing synchronously; returns whether it rejected. */
export async function settles(run: () => unknown, ms: number, what: string): Promise<"resolved" | "rejected"> {
  let result: unknown;
  try {
    result = run();
  } catch (error) {
    throw new Error(`${what} threw synchronously: ${(error as Error)?.message ?? String(error)}`);
  }
  try {
    await within(result as Promise<unknown>, { timeoutMs: ms, label: what });
    return "resolved";
  } catch (error) {
    if (error instanceof WithinTimeoutError) throw error;
    return "rejected";
  }
}

/** 20 ms of a quiet 440 Hz tone as PCM16 LE at `sampleRate`. */
export function toneFrame(sampleRate: number, durationMs = 20): Uint8Array {
  const samples = Math.round((sampleRate * durationMs) / 1000);
  const view = new Int16Array(samples);
  for (let index = 0; index < samples; index++)
    view[index] = Math.round(3000 * Math.sin((2 * Math.PI * 440 * index) / sampleRate));
  return new Uint8Array(view.buffer);
}

export function isPositiveInteger(value: unknown): boolean {
  return typeof value === "number" && Number.isInteger(value) && value > 0;
}

/**
 * `waitFor` that answers instead of throwing: true once `predicate` holds, false when `ms` have passed. A predicate
 * still throwing at the deadline fails with its error.
 */
export async function pollUntil(predicate: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  try {
    await waitFor(predicate, { timeoutMs: ms });
    return true;
  } catch (error) {
    if (error instanceof WaitForTimeoutError && error.cause === undefined) return false;
    throw error instanceof WaitForTimeoutError ? error.cause : error;
  }
}

/** Waits `ms` (for checks that something does NOT happen). */
export function quietPeriod(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
