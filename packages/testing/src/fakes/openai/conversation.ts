import type { ConversationItem } from "./types.ts";

/** A conversation item plus what the fake keeps beside it (assistant audio, user audio). */
export interface StoredItem {
  item: ConversationItem & { id: string };
  /** Base64 chunks of assistant output audio, in order. */
  audioChunks: string[];
  /** Generated audio, in ms (cut by truncation). */
  audioMs: number;
  bytesPerMs: number;
  /** User audio turns: PCM16 of the utterance, for the brain. */
  userAudio?: { samples: Int16Array; sampleRate: number; rms: number; audioMs: number; transcript?: string };
}

/** The default conversation of one connection: ordered items, `previous_item_id` / `"root"` insertion. */
export class FakeConversation {
  readonly items: StoredItem[] = [];

  get lastId(): string | null {
    return this.items.length === 0 ? null : this.items[this.items.length - 1]!.item.id;
  }

  /** Inserts after `previousItemId` (`"root"` = first; undefined = last). Returns the id it follows, or null. */
  insert(stored: StoredItem, previousItemId?: string | null): string | null | undefined {
    if (previousItemId === undefined || previousItemId === null) {
      const previous = this.lastId;
      this.items.push(stored);
      return previous;
    }
    if (previousItemId === "root") {
      this.items.unshift(stored);
      return null;
    }
    const index = this.items.findIndex((entry) => entry.item.id === previousItemId);
    if (index < 0) return undefined;
    this.items.splice(index + 1, 0, stored);
    return previousItemId;
  }

  find(id: string): StoredItem | undefined {
    return this.items.find((entry) => entry.item.id === id);
  }

  delete(id: string): boolean {
    const index = this.items.findIndex((entry) => entry.item.id === id);
    if (index < 0) return false;
    this.items.splice(index, 1);
    return true;
  }
}
