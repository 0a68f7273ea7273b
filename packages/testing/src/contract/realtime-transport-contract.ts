import { afterEach, describe, expect, test } from "bun:test";
import type { InboundAudio, VoiceSession } from "@roomkit/spec";
import { waitFor, within } from "@roomkit/test-support";
import { contractSession, quietPeriod, settles, toneFrame } from "./contract-helpers.ts";
import { createTransportContractRun } from "./transport-contract-run.ts";
import type { TransportContractOptions, TransportContractSubject } from "./transport-contract-subject.ts";
import { describeInputCapabilityChecks } from "./transport-input-checks.ts";
import { describeOutputCapabilityChecks } from "./transport-output-checks.ts";

export type {
  ClientReceived,
  TransportContractOptions,
  TransportContractSubject,
} from "./transport-contract-subject.ts";

/**
 * The behaviour every `RealtimeTransport` must have. Run it from the transport package's tests with a factory that
 * builds the transport and a way to open a client connection on loopback. Each capability flag is checked against
 * the transport's behaviour in both directions (declared: it happens; undeclared: its callback stays silent).
 */
export function describeRealtimeTransportContract(
  factory: () => TransportContractSubject | Promise<TransportContractSubject>,
  options: TransportContractOptions = {},
): void {
  describe(options.name ?? "RealtimeTransport contract", () => {
    const run = createTransportContractRun(factory, options);
    const { limit } = run;
    const setup = run.setup;
    const accepted = run.accept;

    afterEach(() => run.cleanup());

    test("identity: a name, specification v1, boolean capabilities", async () => {
      const { transport } = await setup();
      expect(typeof transport.name).toBe("string");
      expect(transport.name.length).toBeGreaterThan(0);
      expect(transport.specificationVersion).toBe("v1");
      for (const value of Object.values(transport.capabilities)) expect(typeof value).toBe("boolean");
      for (const flag of ["playbackCallback", "playbackPosition", "interrupt", "inputMute", "dtmf"] as const) {
        expect(typeof transport.capabilities[flag]).toBe("boolean");
      }
    });

    test("after accept: audio, messages, interrupt, endOfResponse and setInputMuted do not throw", async () => {
      const current = await setup();
      const { session } = await accepted(current);
      const { transport } = current;
      for (let index = 0; index < 3; index++) {
        const result = transport.sendAudio(session, toneFrame(24000));
        if (result) await within(result, { timeoutMs: limit, label: "sendAudio" });
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
      await within(transport.disconnect(session), { timeoutMs: limit, label: "disconnect" });
      await within(transport.disconnect(session), { timeoutMs: limit, label: "second disconnect" });
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
      await within(transport.disconnect(session), { timeoutMs: limit, label: "disconnect (unknown)" });
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
      await quietPeriod(20); // a second call would come now
      expect(gone).toEqual([session.id]);
    });

    test("accept with an aborted signal rejects and leaves no session behind", async () => {
      const current = await setup();
      const connection = await within(current.connect(), { timeoutMs: limit, label: "client connect" });
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
        { timeoutMs: limit, label: "accept (aborted)" },
      );
      expect(rejected).toBe(true);
      // The session is unknown to the transport: operations on it are no-ops.
      expect(() => current.transport.sendAudio(session, toneFrame(24000))).not.toThrow();
      await within(current.transport.disconnect(session), { timeoutMs: limit, label: "disconnect (aborted)" });
    });

    test("close() is idempotent", async () => {
      const current = await setup();
      await accepted(current);
      await within(current.transport.close(), { timeoutMs: limit, label: "close" });
      await within(current.transport.close(), { timeoutMs: limit, label: "second close" });
    });

    describeOutputCapabilityChecks(run);
    describeInputCapabilityChecks(run);
  });
}
