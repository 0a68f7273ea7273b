// The per-flag checks fail when a transport's flags do not tell the truth, or its subject cannot show them.
import { afterEach, describe, expect, test } from "bun:test";
import type { RealtimeTransportCapabilities, VoiceSession } from "@roomkit/spec";
import { MockRealtimeTransport } from "../mocks/mock-realtime-transport.ts";
import { mockTransportSubject } from "./test-support/mock-transport-subject.ts";
import { createTransportContractRun, type TransportContractRun } from "./transport-contract-run.ts";
import type { TransportContractSubject } from "./transport-contract-subject.ts";
import { checkDtmf, checkInputMute } from "./transport-input-checks.ts";
import { checkInterrupt, checkPlaybackCallback, checkPlaybackPosition } from "./transport-output-checks.ts";

/** Declares what it is told but does nothing on interrupt() or setInputMuted() beyond recording. */
class LyingTransport extends MockRealtimeTransport {
  override interrupt(session: VoiceSession): void {
    this.calls.push({ method: "interrupt", args: [session] });
  }
  override setInputMuted(session: VoiceSession, muted: boolean): void {
    this.inputMuted.push({ sessionId: session.id, muted });
  }
}

/** Reports positions and played blocks on every sendAudio, whatever it declares. */
class ChattyTransport extends MockRealtimeTransport {
  override sendAudio(session: VoiceSession, audio: Uint8Array): void {
    super.sendAudio(session, audio);
    void this.simulatePlaybackPosition(session, { playedMs: 0, source: "pacer" });
    void this.simulateAudioPlayed(session, { audio, sampleRate: 24000 });
  }
}

let run: TransportContractRun | undefined;
afterEach(async () => {
  await run?.cleanup();
  run = undefined;
});

function runWith(subject: () => TransportContractSubject): TransportContractRun {
  run = createTransportContractRun(subject, { operationTimeoutMs: 300, quietPeriodMs: 50 });
  return run;
}

function lying(capabilities: Partial<RealtimeTransportCapabilities>): TransportContractSubject {
  return mockTransportSubject(capabilities, new LyingTransport({ capabilities }));
}

describe("transport capability checks catch flags that lie", () => {
  test("interrupt declared but nothing dropped", async () => {
    await expect(checkInterrupt(runWith(() => lying({ interrupt: true })))).rejects.toThrow(
      /declares interrupt, but the client kept 105600 bytes/,
    );
  });

  test("interrupt undeclared but audio dropped (the client got none of it)", async () => {
    const subject = () => ({ ...mockTransportSubject({}), receivedByClient: () => ({ audioBytes: 0 }) });
    await expect(checkInterrupt(runWith(subject))).rejects.toThrow();
  });

  test("inputMute declared but muted audio still arrives", async () => {
    await expect(checkInputMute(runWith(() => lying({ inputMute: true })))).rejects.toThrow();
  });

  test("playbackPosition declared but never reported", async () => {
    const transport = new MockRealtimeTransport({ capabilities: { playbackPosition: true } });
    const subject = () => ({ ...mockTransportSubject({}, transport), playOnClient: undefined });
    await expect(checkPlaybackPosition(runWith(subject))).rejects.toThrow(/onPlaybackPosition did not fire/);
  });

  test("playbackPosition undeclared but reported", async () => {
    await expect(
      checkPlaybackPosition(runWith(() => mockTransportSubject({}, new ChattyTransport()))),
    ).rejects.toThrow();
  });

  test("playbackCallback undeclared but played blocks reported", async () => {
    await expect(
      checkPlaybackCallback(runWith(() => mockTransportSubject({}, new ChattyTransport()))),
    ).rejects.toThrow();
  });
});

describe("a declared flag whose subject lacks the hook fails with what to add", () => {
  const cases = [
    ["interrupt", "receivedByClient", checkInterrupt],
    ["inputMute", "sendFromClient", checkInputMute],
    ["playbackCallback", "playOnClient", checkPlaybackCallback],
    ["dtmf", "sendDtmfFromClient", checkDtmf],
  ] as const;
  for (const [flag, hook, check] of cases) {
    test(`${flag} without ${hook}`, async () => {
      const subject = () => ({ ...mockTransportSubject({ [flag]: true }), [hook]: undefined });
      await expect(check(runWith(subject))).rejects.toThrow(
        `declares capabilities.${flag} = true, but its contract subject has no ${hook}()`,
      );
    });
  }
});
