import { VoiceSession } from "@roomkit/spec";

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

/** Rejects when `work` does not settle within `ms`. */
export function within<Value>(work: Promise<Value> | Value, ms: number, what: string): Promise<Value> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  return Promise.race([Promise.resolve(work), timeout]).finally(() => clearTimeout(timer));
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
    await within(result as Promise<unknown>, ms, what);
    return "resolved";
  } catch (error) {
    if ((error as Error)?.message?.includes("did not settle")) throw error;
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

/** Polls `predicate` (sync or async) every 5 ms; resolves true once it holds, false when `ms` have passed. */
export async function pollUntil(predicate: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await predicate()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Waits `ms` (for checks that something does NOT happen). */
export function quietPeriod(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
