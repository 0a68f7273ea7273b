import type { GeminiServerMessage } from "./types.ts";

/**
 * Faults armed through the fake's API. A message "kind" is its top-level key, or for `serverContent` the
 * key inside it: `serverContent.modelTurn`, `serverContent.outputTranscription`, `serverContent.turnComplete`...
 */
export class FaultState {
  readonly delays = new Map<string, number>();
  readonly duplicates = new Map<string, number>();
  readonly reorders = new Set<string>();
  rejectSetups: { count: number; code: number; reason: string } | undefined;
  /** Set by a quota fault: every later setup is refused with this 1011 reason (retrying cannot cure a quota). */
  quotaReason: string | undefined;

  /**
   * Sends `message` through the armed faults: delayed (once per arming), held and swapped with the next message of
   * its kind, or written twice. `held` is the connection's own store of messages waiting to be swapped.
   */
  apply(
    message: GeminiServerMessage,
    held: Map<string, GeminiServerMessage>,
    write: (message: GeminiServerMessage) => void,
    schedule: (callback: () => void, delayMs: number) => void,
  ): void {
    const kinds = messageKinds(message);
    const delayKind = kinds.find((kind) => this.delays.has(kind));
    if (delayKind !== undefined) {
      const delay = this.delays.get(delayKind)!;
      this.delays.delete(delayKind);
      schedule(() => write(message), delay);
      return;
    }
    const reorderKind = kinds.find((kind) => this.reorders.has(kind) || held.has(kind));
    if (reorderKind !== undefined) {
      const waiting = held.get(reorderKind);
      if (waiting === undefined) {
        this.reorders.delete(reorderKind);
        held.set(reorderKind, message);
        return;
      }
      held.delete(reorderKind);
      write(message);
      write(waiting);
      return;
    }
    write(message);
    const duplicateKind = kinds.find((kind) => (this.duplicates.get(kind) ?? 0) > 0);
    if (duplicateKind !== undefined) {
      this.duplicates.set(duplicateKind, this.duplicates.get(duplicateKind)! - 1);
      write(message);
    }
  }
}

/** The server faults the Live API reports as close 1011, with the reasons seen in the field (see provider-protocol-notes). */
export type GeminiServerErrorKind = "internal" | "unavailable" | "deadline" | "quota";

/**
 * 1011 reasons by kind. The first three are transient (a resume with the latest handle survives them); a quota or
 * billing refusal is not, and the service keeps refusing new setups with it.
 */
export const SERVER_ERROR_REASONS: Readonly<Record<GeminiServerErrorKind, string>> = {
  internal: "Internal error occurred.",
  unavailable: "The service is currently unavailable.",
  deadline: "Deadline expired before operation could complete.",
  quota: "You exceeded your current quota, please check your plan and billing details.",
};

/** Every kind a message matches: its top-level key and, for serverContent, each `serverContent.<field>`. */
export function messageKinds(message: GeminiServerMessage): string[] {
  const kinds: string[] = [];
  for (const key of Object.keys(message)) {
    kinds.push(key);
    if (key === "serverContent" && message.serverContent) {
      for (const inner of Object.keys(message.serverContent)) kinds.push(`serverContent.${inner}`);
    }
  }
  return kinds;
}

/** Truncates a close reason to the 123 bytes a WebSocket close frame allows, as the real server does. */
export function closeReason(reason: string): string {
  const bytes = new TextEncoder().encode(reason);
  if (bytes.length <= 123) return reason;
  let end = 123;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return new TextDecoder().decode(bytes.subarray(0, end));
}
