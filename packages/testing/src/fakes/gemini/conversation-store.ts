import type { FakeConversationInfo, FakeHistoryEntry } from "./types.ts";

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
