import { afterEach, describe, expect, test } from "bun:test";
import type { InboundAudio, RealtimeTransport, VoiceSession } from "@roomkit/spec";
import { waitFor } from "@roomkit/test-support";
import { contractSession, isPositiveInteger, settles, toneFrame, within } from "./contract-helpers.ts";

export interface TransportContractSubject {
  transport: RealtimeTransport;
  /** Opens a client connection and returns the handle `accept` takes (socket, WebRTC id, SIP call). */
  connect(): unknown | Promise<unknown>;
  /** Makes the client send this PCM16 (at `sampleRate`) so `onAudioReceived` fires. Optional. */
  sendFromClient?(connection: unknown, audio: Uint8Array): void | Promise<void>;
  /** Closes the client side so `onClientDisconnected` fires. Optional. */
  closeFromClient?(connection: unknown): void | Promise<void>;
  /** PCM rate the client sends at (default 16000). */
  sampleRate?: number;
  /** The client's audio arrives byte-identical (false for lossy codecs such as G.711). Default false. */
  lossless?: boolean;
  /** Runs after each test. `transport.close()` is called by the suite. */
  cleanup?: () => void | Promise<void>;
}

export interface TransportContractOptions {
  name?: string;
  /** Per-operation limit in milliseconds (default 5000). */
  operationTimeoutMs?: number;
}

/**
 * The behaviour every `RealtimeTransport` must have. Run it from the transport package's tests with a factory that
 * builds the transport and a way to open a client connection on loopback.
 */
export function describeRealtimeTransportContract(
  factory: () => TransportContractSubject | Promise<TransportContractSubject>,
  options: TransportContractOptions = {},
): void {
  const limit = options.operationTimeoutMs ?? 5000;
  describe(options.name ?? "RealtimeTransport contract", () => {
    let subject: TransportContractSubject | undefined;

    async function setup(): Promise<TransportContractSubject> {
      subject = await factory();
      return subject;
    }
    async function accepted(
      current: TransportContractSubject,
    ): Promise<{ session: VoiceSession; connection: unknown }> {
      const connection = await within(current.connect(), limit, "client connect");
      const session = contractSession("transport");
      const result = await within(current.transport.accept(session, connection), limit, "accept");
      if (result?.sampleRate !== undefined) expect(isPositiveInteger(result.sampleRate)).toBe(true);
      await within(current.transport.activate(session), limit, "activate");
      return { session, connection };
    }

    afterEach(async () => {
      const current = subject;
      subject = undefined;
      if (!current) return;
      await within(current.transport.close(), limit, "close").catch(() => undefined);
      await current.cleanup?.();
    });

    test("identity: a name, specification v1, boolean capabilities", async () => {
      const { transport } = await setup();
      expect(typeof transport.name).toBe("string");
      expect(transport.name.length).toBeGreaterThan(0);
      expect(transport.specificationVersion).toBe("v1");
      for (const value of Object.values(transport.capabilities)) expect(typeof value).toBe("boolean");
    });

    test("after accept: audio, messages, interrupt, endOfResponse and setInputMuted do not throw", async () => {
      const current = await setup();
      const { session } = await accepted(current);
      const { transport } = current;
      for (let index = 0; index < 3; index++) {
        const result = transport.sendAudio(session, toneFrame(24000));
        if (result) await within(result, limit, "sendAudio");
      }
      await settles(() => transport.sendMessage(session, { type: "clear_audio" }), limit, "sendMessage");
      await settles(
        () => transport.sendMessage(session, { type: "speaking", speaking: true, who: "assistant" }),
        limit,
        "sendMessage",
      );
      expect(() => transport.interrupt(session)).not.toThrow();
      expect(() => transport.endOfResponse(session)).not.toThrow();
      await settles(() => transport.setInputMuted(session, true), limit, "setInputMuted");
      await settles(() => transport.setInputMuted(session, false), limit, "setInputMuted");
    });

    test("disconnect is idempotent and later operations are no-ops", async () => {
      const current = await setup();
      const { session } = await accepted(current);
      const { transport } = current;
      await within(transport.disconnect(session), limit, "disconnect");
      await within(transport.disconnect(session), limit, "second disconnect");
      expect(() => transport.sendAudio(session, toneFrame(24000))).not.toThrow();
      expect(() => transport.interrupt(session)).not.toThrow();
      expect(() => transport.endOfResponse(session)).not.toThrow();
    });

    test("operations on an unknown session are no-ops", async () => {
      const { transport } = await setup();
      const session = contractSession("unknown");
      expect(() => transport.sendAudio(session, toneFrame(24000))).not.toThrow();
      await settles(() => transport.sendMessage(session, { type: "clear_audio" }), limit, "sendMessage (unknown)");
      expect(() => transport.interrupt(session)).not.toThrow();
      expect(() => transport.endOfResponse(session)).not.toThrow();
      await within(transport.disconnect(session), limit, "disconnect (unknown)");
    });

    test("client audio reaches onAudioReceived with the accepted session", async () => {
      const current = await setup();
      if (!current.sendFromClient) return;
      const received: Array<{ session: VoiceSession; audio: InboundAudio }> = [];
      current.transport.onAudioReceived((session, audio) => void received.push({ session, audio }));
      const { session, connection } = await accepted(current);
      const frame = toneFrame(current.sampleRate ?? 16000);
      await current.sendFromClient(connection, frame);
      await waitFor(() => received.length > 0, { timeoutMs: limit, label: "client audio at onAudioReceived" });
      expect(received[0]!.session.id).toBe(session.id);
      const bytes = received[0]!.audio instanceof Uint8Array ? received[0]!.audio : received[0]!.audio.data;
      expect(bytes.byteLength).toBeGreaterThan(0);
      if (current.lossless) expect(bytes).toEqual(frame);
    });

    test("a client that goes away fires onClientDisconnected once", async () => {
      const current = await setup();
      if (!current.closeFromClient) return;
      const gone: string[] = [];
      current.transport.onClientDisconnected((session) => void gone.push(session.id));
      const { session, connection } = await accepted(current);
      await current.closeFromClient(connection);
      await waitFor(() => gone.length > 0, { timeoutMs: limit, label: "onClientDisconnected" });
      await new Promise((resolve) => setTimeout(resolve, 20)); // a second call would come now
      expect(gone).toEqual([session.id]);
    });

    test("accept with an aborted signal rejects and leaves no session behind", async () => {
      const current = await setup();
      const connection = await within(current.connect(), limit, "client connect");
      const session = contractSession("aborted");
      const controller = new AbortController();
      controller.abort(new Error("caller hung up"));
      let rejected = false;
      await within(
        Promise.resolve(current.transport.accept(session, connection, { signal: controller.signal })).then(
          () => undefined,
          () => {
            rejected = true;
          },
        ),
        limit,
        "accept (aborted)",
      );
      expect(rejected).toBe(true);
      // The session is unknown to the transport: operations on it are no-ops.
      expect(() => current.transport.sendAudio(session, toneFrame(24000))).not.toThrow();
      await within(current.transport.disconnect(session), limit, "disconnect (aborted)");
    });

    test("close() is idempotent", async () => {
      const current = await setup();
      await accepted(current);
      await within(current.transport.close(), limit, "close");
      await within(current.transport.close(), limit, "second close");
    });
  });
}
