import { expect, test } from "bun:test";
import type { PlaybackPosition, PlayedAudio, RealtimeTransport } from "@roomkit/spec";
import { within } from "@roomkit/test-support";
import { isPositiveInteger, pollUntil, quietPeriod, toneFrame } from "./contract-helpers.ts";
import { type AcceptedClient, requireHook, type TransportContractRun } from "./transport-contract-run.ts";

const FRAME_MS = 20;

/** Sends `frames` 20 ms tone frames back to back (as a provider's burst would arrive); returns the bytes sent. */
async function sendBurst(transport: RealtimeTransport, client: AcceptedClient, frames: number, limit: number) {
  const frame = toneFrame(client.outputRate, FRAME_MS);
  const pending: Promise<void>[] = [];
  for (let index = 0; index < frames; index++) {
    const result = transport.sendAudio(client.session, frame);
    if (result) pending.push(result);
  }
  await within(Promise.all(pending), { timeoutMs: limit, label: "sendAudio" });
  return frames * frame.byteLength;
}

/** Checks of the flags about audio going to the caller: interrupt, playbackPosition, playbackCallback. */
export function describeOutputCapabilityChecks(run: TransportContractRun): void {
  test("capability interrupt: declared ⇒ interrupt() drops queued audio and the next response plays; undeclared ⇒ it drops nothing", () =>
    checkInterrupt(run));
  test("capability playbackPosition: declared ⇒ onPlaybackPosition reports a sane playedMs; undeclared ⇒ it never fires", () =>
    checkPlaybackPosition(run));
  test("capability playbackCallback: declared ⇒ onAudioPlayed reports the played audio; undeclared ⇒ it never fires", () =>
    checkPlaybackCallback(run));
}

export async function checkInterrupt(run: TransportContractRun): Promise<void> {
  const subject = await run.setup();
  const { transport } = subject;
  const declared = transport.capabilities.interrupt;
  const received = declared
    ? requireHook(subject, "receivedByClient", "interrupt")
    : subject.receivedByClient?.bind(subject);
  const client = await run.accept(subject);
  // Two seconds at once: far more than any client plays (or a pacer sends) before interrupt() comes.
  const first = await sendBurst(transport, client, 100, run.limit);
  expect(() => transport.interrupt(client.session)).not.toThrow();
  const next = await sendBurst(transport, client, 10, run.limit);
  transport.endOfResponse(client.session);
  if (received === undefined) return;
  const kept = async () => (await received(client.connection)).audioBytes;
  const minimumNext = subject.lossless ? next : Math.floor(next * 0.9);
  if (declared) {
    // The client ends up with the next response and at most half of the interrupted one.
    const bounded = async () => {
      const bytes = await kept();
      return bytes >= minimumNext && bytes <= next + first / 2;
    };
    if (!(await pollUntil(bounded, run.limit))) {
      throw new Error(
        `${transport.name} declares interrupt, but the client kept ${await kept()} bytes of ${first} interrupted + ` +
          `${next} next: expected the next response whole and most of the interrupted one dropped`,
      );
    }
    await quietPeriod(run.quietMs);
    expect(await bounded()).toBe(true);
  } else {
    const minimumAll = subject.lossless ? first + next : Math.floor((first + next) * 0.9);
    await pollUntil(async () => (await kept()) >= minimumAll, run.limit);
    expect(await kept()).toBeGreaterThanOrEqual(minimumAll);
  }
}

export async function checkPlaybackPosition(run: TransportContractRun): Promise<void> {
  const subject = await run.setup();
  const { transport } = subject;
  const positions: Array<{ sessionId: string; position: PlaybackPosition }> = [];
  transport.onPlaybackPosition((session, position) => void positions.push({ sessionId: session.id, position }));
  const client = await run.accept(subject);
  const sentMs = (await sendBurst(transport, client, 10, run.limit)) / ((client.outputRate * 2) / 1000);
  transport.endOfResponse(client.session);
  const reportedMs = 120;
  if (subject.reportPlaybackFromClient) {
    await within(subject.reportPlaybackFromClient(client.connection, reportedMs), {
      timeoutMs: run.limit,
      label: "report",
    });
  } else if (subject.playOnClient) {
    await within(subject.playOnClient(client.connection, sentMs), { timeoutMs: run.limit, label: "playOnClient" });
  }
  if (!transport.capabilities.playbackPosition) {
    await quietPeriod(run.quietMs);
    expect(positions).toEqual([]);
    return;
  }
  const mine = () => positions.filter((entry) => entry.sessionId === client.session.id).map((entry) => entry.position);
  if (!(await pollUntil(() => mine().length > 0, run.limit))) {
    throw new Error(
      `${transport.name} declares playbackPosition, but onPlaybackPosition did not fire within ${run.limit} ms of ` +
        `${sentMs} ms of audio (a subject whose positions come from the client or a device needs ` +
        "reportPlaybackFromClient or playOnClient)",
    );
  }
  for (const position of mine()) {
    expect(Number.isFinite(position.playedMs)).toBe(true);
    expect(position.playedMs).toBeGreaterThanOrEqual(0);
    expect(position.playedMs).toBeLessThanOrEqual(sentMs + 100);
    expect(["client", "pacer", "device"]).toContain(position.source);
  }
  if (subject.reportPlaybackFromClient) {
    expect(mine().some((position) => Math.abs(position.playedMs - reportedMs) <= FRAME_MS)).toBe(true);
  }
}

export async function checkPlaybackCallback(run: TransportContractRun): Promise<void> {
  const subject = await run.setup();
  const { transport } = subject;
  const declared = transport.capabilities.playbackCallback;
  const play = declared ? requireHook(subject, "playOnClient", "playbackCallback") : subject.playOnClient;
  const played: Array<{ sessionId: string; played: PlayedAudio }> = [];
  transport.onAudioPlayed((session, block) => void played.push({ sessionId: session.id, played: block }));
  const client = await run.accept(subject);
  const sentMs = (await sendBurst(transport, client, 10, run.limit)) / ((client.outputRate * 2) / 1000);
  transport.endOfResponse(client.session);
  if (play)
    await within(play.call(subject, client.connection, sentMs), { timeoutMs: run.limit, label: "playOnClient" });
  if (!declared) {
    await quietPeriod(run.quietMs);
    expect(played).toEqual([]);
    return;
  }
  const mine = () => played.filter((entry) => entry.sessionId === client.session.id).map((entry) => entry.played);
  const audible = () => mine().some((block) => new Int16Array(evenView(block.audio)).some((sample) => sample !== 0));
  if (!(await pollUntil(audible, run.limit))) {
    throw new Error(
      `${transport.name} declares playbackCallback, but onAudioPlayed reported none of the ${sentMs} ms sent ` +
        `(${mine().length} blocks, all silent) after playOnClient`,
    );
  }
  for (const block of mine()) {
    expect(block.audio).toBeInstanceOf(Uint8Array);
    expect(block.audio.byteLength % 2).toBe(0);
    expect(isPositiveInteger(block.sampleRate)).toBe(true);
  }
}

/** The samples of a PCM16 block as an aligned copy (blocks may be views at odd offsets). */
function evenView(audio: Uint8Array): ArrayBuffer {
  return audio.slice(0, audio.byteLength & ~1).buffer;
}
