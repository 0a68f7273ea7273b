import { afterEach, describe, expect, test } from "bun:test";
import { type VoiceSession, VoiceSessionState } from "@roomkit/spec";
import { settle, waitFor } from "@roomkit/testing";
import { createHarness, type Harness } from "../test-support/harness.ts";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe("start transaction: a step still in flight when the start is abandoned", () => {
  test("a provider that ignores the signal is disconnected once, after its connect settled (no leaked upstream)", async () => {
    harness = await createHarness();
    const log: string[] = [];
    const connecting = gate();
    const provider = harness.provider;
    const originalDisconnect = provider.disconnect.bind(provider);
    provider.connect = async (session: VoiceSession) => {
      log.push("connect started");
      await connecting.promise;
      session.state = VoiceSessionState.ACTIVE;
      log.push("connect finished");
    };
    provider.disconnect = async (session: VoiceSession) => {
      log.push("disconnect");
      await originalDisconnect(session);
    };
    const controller = new AbortController();
    const starting = harness.channel.startSession(harness.roomId, "u", { signal: controller.signal });
    const outcome = starting.then(
      () => "resolved",
      (error: Error) => error.message,
    );
    await waitFor(() => log.length === 1);
    controller.abort(new Error("caller hung up"));
    await settle(5);
    connecting.open();
    expect(await outcome).toBe("caller hung up");
    expect(log).toEqual(["connect started", "connect finished", "disconnect"]);
    expect(harness.channel.sessionCount).toBe(0);
  });

  test("endSession during transport.accept: the transport is disconnected once, after accept settled", async () => {
    harness = await createHarness();
    const log: string[] = [];
    const accepting = gate();
    // a transport whose accept ignores the abort signal
    harness.transport.accept = async () => {
      log.push("accept started");
      await accepting.promise;
      log.push("accept finished");
      return undefined;
    };
    const originalDisconnect = harness.transport.disconnect.bind(harness.transport);
    harness.transport.disconnect = async (session: VoiceSession) => {
      log.push("disconnect");
      await originalDisconnect(session);
    };
    const starting = harness.channel.startSession(harness.roomId, "u");
    const outcome = starting.then(
      () => "resolved",
      () => "rejected",
    );
    await waitFor(() => log.length === 1);
    const session = harness.channel.getRoomSessions(harness.roomId)[0]!;
    const ending = harness.channel.endSession(session);
    await settle(5);
    accepting.open();
    await ending;
    expect(await outcome).toBe("rejected");
    expect(log).toEqual(["accept started", "accept finished", "disconnect"]);
    expect(harness.provider.callsOf("connect")).toHaveLength(0);
  });
});

describe("teardown never throws and always finishes", () => {
  test("a provider.disconnect that throws synchronously: the transport is still disconnected, the session removed", async () => {
    harness = await createHarness();
    const session = await harness.start();
    harness.provider.disconnect = (() => {
      throw new Error("sync boom");
    }) as never;
    await harness.channel.endSession(session);
    expect(harness.transport.callsOf("disconnect")).toHaveLength(1);
    expect(harness.channel.sessionCount).toBe(0);
    expect(session.state).toBe(VoiceSessionState.ENDED);
  });

  test("endSession, a client disconnect and a fatal provider error at once: one teardown, each side disconnected once", async () => {
    harness = await createHarness();
    const ended: unknown[] = [];
    harness.kit.on("voice_session_ended", (event) => void ended.push(event.data));
    const session = await harness.start();
    await Promise.all([
      harness.channel.endSession(session),
      harness.transport.simulateClientDisconnect(session),
      harness.provider.simulateError(session, "gone", "socket lost", { recoverable: false }),
      harness.channel.close(),
    ]);
    await settle(5);
    expect(harness.provider.callsOf("disconnect")).toHaveLength(1);
    expect(harness.transport.callsOf("disconnect")).toHaveLength(1);
    expect(ended).toHaveLength(1);
    expect(harness.channel.sessionCount).toBe(0);
  });
});
