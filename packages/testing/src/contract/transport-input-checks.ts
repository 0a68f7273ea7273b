import { expect, test } from "bun:test";
import type { DtmfDigit, InboundAudio } from "@roomkit/spec";
import { within } from "@roomkit/test-support";
import { pollUntil, quietPeriod, settles, toneFrame } from "./contract-helpers.ts";
import { requireHook, type TransportContractRun } from "./transport-contract-run.ts";

function bytesOf(audio: InboundAudio): Uint8Array {
  return audio instanceof Uint8Array ? audio : audio.data;
}

/** Checks of the flags about what comes from the caller: inputMute, dtmf. */
export function describeInputCapabilityChecks(run: TransportContractRun): void {
  test("capability inputMute: declared ⇒ muted caller audio never reaches onAudioReceived, unmuted it does again", () =>
    checkInputMute(run));
  test("capability dtmf: declared ⇒ a digit from the client reaches onDtmf; undeclared ⇒ onDtmf never fires", () =>
    checkDtmf(run));
}

export async function checkInputMute(run: TransportContractRun): Promise<void> {
  const subject = await run.setup();
  const { transport } = subject;
  const declared = transport.capabilities.inputMute;
  const send = declared ? requireHook(subject, "sendFromClient", "inputMute") : subject.sendFromClient;
  const received: Array<{ sessionId: string; bytes: Uint8Array }> = [];
  transport.onAudioReceived((session, audio) => void received.push({ sessionId: session.id, bytes: bytesOf(audio) }));
  const client = await run.accept(subject);
  const mine = () => received.filter((entry) => entry.sessionId === client.session.id);
  const rate = subject.sampleRate ?? 16000;
  const heard = toneFrame(rate);
  const muted = new Uint8Array(heard.byteLength).fill(0x55);
  await settles(() => transport.setInputMuted(client.session, true), run.limit, "setInputMuted(true)");
  if (send) for (let index = 0; index < 3; index++) await send.call(subject, client.connection, muted);
  await quietPeriod(run.quietMs);
  if (declared) expect(mine()).toEqual([]);
  await settles(() => transport.setInputMuted(client.session, false), run.limit, "setInputMuted(false)");
  if (!send) return;
  const before = mine().length;
  await send.call(subject, client.connection, heard);
  if (!(await pollUntil(() => mine().length > before, run.limit))) {
    throw new Error(`${transport.name}: caller audio sent after setInputMuted(false) did not reach onAudioReceived`);
  }
  if (subject.lossless) expect(mine().at(-1)!.bytes).toEqual(heard);
  if (declared && subject.lossless) expect(mine().map((entry) => entry.bytes)).toEqual([heard]);
}

export async function checkDtmf(run: TransportContractRun): Promise<void> {
  const subject = await run.setup();
  const { transport } = subject;
  const declared = transport.capabilities.dtmf;
  const press = declared ? requireHook(subject, "sendDtmfFromClient", "dtmf") : subject.sendDtmfFromClient;
  const digits: Array<{ sessionId: string; digit: DtmfDigit }> = [];
  const unsubscribe = transport.onDtmf((session, digit) => void digits.push({ sessionId: session.id, digit }));
  expect(typeof unsubscribe).toBe("function");
  const client = await run.accept(subject);
  if (press) {
    await within(press.call(subject, client.connection, "5"), { timeoutMs: run.limit, label: "sendDtmfFromClient" });
    await within(press.call(subject, client.connection, "#"), { timeoutMs: run.limit, label: "sendDtmfFromClient" });
  }
  if (!declared) {
    await quietPeriod(run.quietMs);
    expect(digits).toEqual([]);
    return;
  }
  const mine = () => digits.filter((entry) => entry.sessionId === client.session.id).map((entry) => entry.digit);
  if (!(await pollUntil(() => mine().length >= 2, run.limit))) {
    throw new Error(`${transport.name} declares dtmf, but onDtmf got [${mine().map((d) => d.digit)}] of "5", "#"`);
  }
  expect(mine().map((digit) => digit.digit)).toEqual(["5", "#"]);
}
