import { afterEach, describe, expect, test } from "bun:test";
import {
  chooseSampleRate,
  type ProviderConnectOptions,
  type RealtimeVoiceProvider,
  type VoiceSession,
  VoiceSessionState,
} from "@roomkit/spec";
import { within } from "@roomkit/test-support";
import { contractSession, isPositiveInteger, settles, toneFrame } from "./contract-helpers.ts";

export interface ProviderContractSubject {
  provider: RealtimeVoiceProvider;
  /** Merged into every `connect` (a fake server's model, provider config, ...). */
  connectOptions?: Partial<ProviderConnectOptions>;
  /** Runs after each test (close fake servers). `provider.close()` is called by the suite. */
  cleanup?: () => void | Promise<void>;
}

export interface ProviderContractOptions {
  /** Suite name. */
  name?: string;
  /** Per-operation limit in milliseconds (default 5000). */
  operationTimeoutMs?: number;
}

/**
 * The behaviour every `RealtimeVoiceProvider` must have. Run it from the provider package's tests with a factory
 * that builds a provider wired to its fake server:
 * `describeRealtimeProviderContract(async () => ({ provider: new OpenAIRealtimeProvider({ ... }) }))`.
 */
export function describeRealtimeProviderContract(
  factory: () => ProviderContractSubject | Promise<ProviderContractSubject>,
  options: ProviderContractOptions = {},
): void {
  const limit = options.operationTimeoutMs ?? 5000;
  describe(options.name ?? "RealtimeVoiceProvider contract", () => {
    let subject: ProviderContractSubject | undefined;
    const opened: VoiceSession[] = [];

    async function setup(): Promise<ProviderContractSubject> {
      subject = await factory();
      return subject;
    }
    function connectOptions(
      provider: RealtimeVoiceProvider,
      extra: Partial<ProviderConnectOptions> = {},
    ): ProviderConnectOptions {
      return {
        inputSampleRate: chooseSampleRate(24000, provider.capabilities.inputSampleRates),
        outputSampleRate: chooseSampleRate(24000, provider.capabilities.outputSampleRates),
        serverVad: true,
        systemPrompt: "You are a contract test.",
        ...subject?.connectOptions,
        ...extra,
      };
    }
    async function connected(provider: RealtimeVoiceProvider): Promise<VoiceSession> {
      const session = contractSession("provider");
      opened.push(session);
      await within(provider.connect(session, connectOptions(provider)), { timeoutMs: limit, label: "connect" });
      return session;
    }

    afterEach(async () => {
      const current = subject;
      subject = undefined;
      if (!current) return;
      for (const session of opened.splice(0)) {
        await within(current.provider.disconnect(session), { timeoutMs: limit, label: "disconnect" }).catch(
          () => undefined,
        );
      }
      await within(current.provider.close(), { timeoutMs: limit, label: "close" }).catch(() => undefined);
      await current.cleanup?.();
    });

    test("identity: a name, specification v1, well-formed capabilities", async () => {
      const { provider } = await setup();
      expect(typeof provider.name).toBe("string");
      expect(provider.name.length).toBeGreaterThan(0);
      expect(provider.specificationVersion).toBe("v1");
      expect(typeof provider.modelName).toBe("string");
      const capabilities = provider.capabilities;
      for (const flag of ["midSessionReconfigure", "truncation", "imageInput"] as const) {
        expect(typeof capabilities[flag]).toBe("boolean");
      }
      for (const rate of [...capabilities.inputSampleRates, ...capabilities.outputSampleRates]) {
        expect(isPositiveInteger(rate)).toBe(true);
      }
    });

    test("every callback registration returns an unsubscribe function", async () => {
      const { provider } = await setup();
      const registrations = [
        provider.onAudio(() => {}),
        provider.onTranscription(() => {}),
        provider.onSpeechStart(() => {}),
        provider.onSpeechEnd(() => {}),
        provider.onToolCall(() => {}),
        provider.onToolCallCancel(() => {}),
        provider.onResponseStart(() => {}),
        provider.onResponseEnd(() => {}),
        provider.onError(() => {}),
      ];
      for (const unsubscribe of registrations) {
        expect(typeof unsubscribe).toBe("function");
        unsubscribe();
      }
    });

    test("connect ⇒ ACTIVE with a provider session id; disconnect ⇒ ENDED; disconnect again is a no-op", async () => {
      const { provider } = await setup();
      const session = await connected(provider);
      expect(session.state).toBe(VoiceSessionState.ACTIVE);
      expect(typeof session.providerSessionId).toBe("string");
      await within(provider.disconnect(session), { timeoutMs: limit, label: "disconnect" });
      expect(session.state).toBe(VoiceSessionState.ENDED);
      await within(provider.disconnect(session), { timeoutMs: limit, label: "second disconnect" });
    });

    test("sendAudio of 20 ms PCM16 at the chosen rate neither throws nor blocks", async () => {
      const { provider } = await setup();
      const session = await connected(provider);
      const rate = connectOptions(provider).inputSampleRate;
      for (let index = 0; index < 5; index++) {
        const result = provider.sendAudio(session, toneFrame(rate));
        if (result) await within(result, { timeoutMs: limit, label: "sendAudio" });
      }
    });

    test("operations on a session that was never connected do not throw synchronously", async () => {
      const { provider } = await setup();
      const session = contractSession("never");
      expect(() => provider.sendAudio(session, toneFrame(24000))).not.toThrow();
      await settles(() => provider.disconnect(session), limit, "disconnect (unknown session)");
      await settles(() => provider.injectText(session, "hello"), limit, "injectText (unknown session)");
      await settles(
        () => provider.submitToolResult(session, "call-x", "{}"),
        limit,
        "submitToolResult (unknown session)",
      );
      await settles(() => provider.interrupt(session), limit, "interrupt (unknown session)");
      await settles(() => provider.truncateAudio(session, 100), limit, "truncateAudio (unknown session)");
    });

    test("connect with an aborted signal rejects and leaves the session inactive", async () => {
      const { provider } = await setup();
      const session = contractSession("aborted");
      opened.push(session);
      const controller = new AbortController();
      controller.abort(new Error("caller gone"));
      const outcome = await settles(
        () => provider.connect(session, { ...connectOptions(provider), signal: controller.signal }),
        limit,
        "connect (aborted)",
      );
      expect(outcome).toBe("rejected");
      expect(session.state).not.toBe(VoiceSessionState.ACTIVE);
    });

    test("injectImage without imageInput capability rejects instead of throwing", async () => {
      const { provider } = await setup();
      if (provider.capabilities.imageInput) return;
      const session = await connected(provider);
      expect(await settles(() => provider.injectImage(session, new Uint8Array([1])), limit, "injectImage")).toBe(
        "rejected",
      );
    });

    test("close() is idempotent", async () => {
      const { provider } = await setup();
      await connected(provider);
      await within(provider.close(), { timeoutMs: limit, label: "close" });
      await within(provider.close(), { timeoutMs: limit, label: "second close" });
    });
  });
}
