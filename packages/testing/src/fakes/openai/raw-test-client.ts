// Test support for the fake's own tests (not exported from the package index): a raw GA client and audio helpers.
import { Notifier, WaitForTimeoutError } from "@roomkit/test-support";
import { WebSocket } from "ws";
import { createOpenAIRealtimeFake, type OpenAIRealtimeFake, type OpenAIRealtimeFakeOptions } from "./index.ts";

export type Event = { type: string; [key: string]: any };

/** The fake and raw sockets of the running test; `cleanUp()` in `afterEach`. */
export const current: { fake: OpenAIRealtimeFake | undefined; sockets: WebSocket[] } = { fake: undefined, sockets: [] };

export async function cleanUp(): Promise<void> {
  for (const socket of current.sockets.splice(0)) socket.terminate();
  await current.fake?.close();
  current.fake = undefined;
}

/** A raw GA client: records every server event; `next(type)` waits for the next one of a type. */
export class RawClient {
  readonly socket: WebSocket;
  readonly events: Event[] = [];
  closeCode: number | undefined;
  #cursor = new Map<string, number>();
  readonly #changed = new Notifier();
  constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on("message", (data) => {
      this.events.push(JSON.parse(String(data)));
      this.#changed.notify();
    });
    socket.on("close", (code) => {
      this.closeCode = code;
      this.#changed.notify();
    });
  }
  send(event: Event): void {
    this.socket.send(JSON.stringify(event));
  }
  audio(bytes: Uint8Array): void {
    this.send({ type: "input_audio_buffer.append", audio: Buffer.from(bytes).toString("base64") });
  }
  /** The next event of `type` after the last one `next(type)` returned; fails once the socket closed without it. */
  async next(type: string, timeoutMs = 5_000): Promise<Event> {
    const missing = () => new Error(`no ${type} (got ${this.types()})`);
    return this.#changed
      .until(
        () => {
          const from = this.#cursor.get(type) ?? 0;
          const index = this.events.findIndex((event, position) => position >= from && event.type === type);
          if (index >= 0) {
            this.#cursor.set(type, index + 1); // taken: a concurrent next(type) gets the one after
            return this.events[index]!;
          }
          if (this.closeCode !== undefined) throw missing();
          return undefined;
        },
        { timeoutMs, label: type },
      )
      .catch((error: unknown) => {
        throw error instanceof WaitForTimeoutError ? missing() : error;
      });
  }
  types(): string[] {
    return this.events.map((event) => event.type);
  }
  closed(): Promise<number> {
    return new Promise((resolve) => {
      if (this.closeCode !== undefined) resolve(this.closeCode);
      else this.socket.once("close", (code) => resolve(code));
    });
  }
}

export async function start(options: OpenAIRealtimeFakeOptions = {}) {
  current.fake = await createOpenAIRealtimeFake({ speed: "instant", ...options });
  return current.fake;
}

export async function open(
  query = "?model=gpt-realtime",
  init: { headers?: Record<string, string>; protocols?: string[] } = { headers: { Authorization: "Bearer sk-test" } },
): Promise<RawClient> {
  const socket = new WebSocket(`${current.fake!.url}${query}`, init.protocols ?? [], { headers: init.headers });
  current.sockets.push(socket);
  const client = new RawClient(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  return client;
}

export function tone(durationMs: number, rate = 24000): Uint8Array {
  const samples = new Int16Array((rate * durationMs) / 1000);
  for (let i = 0; i < samples.length; i++) samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate));
  return new Uint8Array(samples.buffer);
}
export const silence = (durationMs: number, rate = 24000) => new Uint8Array((rate * durationMs * 2) / 1000);

export function speak(
  client: RawClient,
  speechMs: number,
  silenceMs: number,
  rate = 24000,
  encode = (b: Uint8Array) => b,
) {
  for (let ms = 0; ms < speechMs; ms += 20) client.audio(encode(tone(20, rate)));
  for (let ms = 0; ms < silenceMs; ms += 20) client.audio(encode(silence(20, rate)));
}

export async function userText(client: RawClient, text: string) {
  client.send({
    type: "conversation.item.create",
    item: { type: "message", role: "user", content: [{ type: "input_text", text }] },
  });
  await client.next("conversation.item.added");
  await client.next("conversation.item.done");
}
