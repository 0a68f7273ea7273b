import type { FakeConversationInfo, FakeHistoryEntry, GeminiLiveFakeOptions } from "./types.ts";

/** The reason the fake gives when a resume overlaps an open connection (the report names the code, not the reason). */
export const OVERLAPPING_RESUME_REASON = "Internal error occurred.";

/** What a setup's `sessionResumption` leads to: a conversation (resumed or new), or a refusal with a close. */
export type SessionChoice = { conversation: FakeConversationInfo; resumed: boolean } | { code: number; reason: string };

/**
 * Resumes the conversation of `handle` or starts one. An unknown or expired handle is refused with 1008 (or 1007 when
 * so configured); a resume while another connection of the session is still open (`isOpen` of the others) with 1011
 * unless `overlappingResume: "accept"`.
 */
export function chooseConversation(
  store: ConversationStore,
  handle: string | undefined,
  options: GeminiLiveFakeOptions,
  othersOpen: (conversationId: number) => boolean,
): SessionChoice {
  if (!handle) return { conversation: store.create(), resumed: false };
  const conversation = store.resume(handle);
  if (!conversation) {
    return options.refusedHandleCloseCode === 1007
      ? { code: 1007, reason: "Request contains an invalid argument." }
      : { code: 1008, reason: "Requested entity was not found." };
  }
  // A client that closed its old socket has had its close frame read by now (that socket is no longer OPEN).
  if (options.overlappingResume !== "accept" && othersOpen(conversation.id)) {
    return { code: 1011, reason: OVERLAPPING_RESUME_REASON };
  }
  return { conversation, resumed: true };
}

interface StoredHandle {
  conversation: FakeConversationInfo;
  history: FakeHistoryEntry[];
  createdAt: number;
}

/** Conversations and their resumption handles (each handle restores the history as it was when issued). */
export class ConversationStore {
  readonly conversations: FakeConversationInfo[] = [];
  readonly #handles = new Map<string, StoredHandle>();
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(ttlMs: number, now: () => number) {
    this.#ttlMs = ttlMs;
    this.#now = now;
  }

  create(): FakeConversationInfo {
    const conversation: FakeConversationInfo = {
      id: this.conversations.length + 1,
      history: [],
      audioMessages: 0,
      audioBytes: 0,
      connections: [],
      startedAt: this.#now(),
    };
    this.conversations.push(conversation);
    return conversation;
  }

  /** Issues a new handle for the conversation's current history. */
  issue(conversation: FakeConversationInfo): string {
    const handle = `h_${crypto.randomUUID()}`;
    this.#handles.set(handle, { conversation, history: conversation.history.slice(), createdAt: this.#now() });
    return handle;
  }

  /** The conversation for a handle with its history restored, or undefined when unknown or expired. */
  resume(handle: string): FakeConversationInfo | undefined {
    const stored = this.#handles.get(handle);
    if (!stored) return undefined;
    if (this.#now() - stored.createdAt > this.#ttlMs) {
      this.#handles.delete(handle);
      return undefined;
    }
    stored.conversation.history.length = 0;
    stored.conversation.history.push(...stored.history);
    return stored.conversation;
  }

  /** Forgets every handle (simulates expiry). */
  expireAll(): void {
    this.#handles.clear();
  }

  get handleCount(): number {
    return this.#handles.size;
  }
}
