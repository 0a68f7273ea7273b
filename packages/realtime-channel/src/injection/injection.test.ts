import { afterEach, describe, expect, test } from "bun:test";
import { MockChannel, settle, waitFor } from "@roomkit/testing";
import { HookTrigger, type RoomEvent, UnsupportedOperationError } from "@roomkit/spec";
import { createHarness, type Harness } from "../test-support/harness.ts";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe("text injection (§8.51–56)", () => {
  test("another channel's event is injected as system by default; inject_role=user honoured; own events ignored (§8.51, 52, 53)", async () => {
    harness = await createHarness();
    const supervisor = new MockChannel("supervisor");
    harness.kit.registerChannel(supervisor);
    await harness.kit.attachChannel(harness.roomId, "supervisor");
    const session = await harness.start();
    await harness.kit.sendEvent(harness.roomId, "supervisor", { type: "text", body: "Offer a discount" });
    await harness.kit.sendEvent(
      harness.roomId,
      "supervisor",
      { type: "text", body: "I am the user" },
      { metadata: { inject_role: "user" } },
    );
    await waitFor(() => harness!.provider.injectedTexts.length === 2);
    expect(harness.provider.injectedTexts.map(({ text, role }) => [text, role])).toEqual([
      ["Offer a discount", "system"],
      ["I am the user", "user"],
    ]);
    // the channel's own final is stored and reaches the other channel, but is not injected back
    await harness.provider.simulateTranscription(session, "assistant says hi", { role: "assistant" });
    await waitFor(() =>
      supervisor.received.some(
        (event: RoomEvent) => event.content.type === "text" && event.content.body === "assistant says hi",
      ),
    );
    await settle(5);
    expect(harness.provider.injectedTexts).toHaveLength(2);
  });

  test("a muted realtime channel still receives broadcasts and injects text (§8.54)", async () => {
    harness = await createHarness();
    const supervisor = new MockChannel("supervisor");
    harness.kit.registerChannel(supervisor);
    await harness.kit.attachChannel(harness.roomId, "supervisor");
    await harness.start();
    await harness.kit.mute(harness.roomId, "rt-voice");
    await harness.kit.sendEvent(harness.roomId, "supervisor", { type: "text", body: "still here?" });
    await waitFor(() => harness!.provider.injectedTexts.length === 1);
  });

  test("direct injectText fires ON_REALTIME_TEXT_INJECTED, reaches the provider, survives a failing hook (§8.55)", async () => {
    harness = await createHarness();
    const seen: RoomEvent[] = [];
    harness.kit.hook(HookTrigger.ON_REALTIME_TEXT_INJECTED, (event: RoomEvent) => void seen.push(event), {
      execution: "async",
    });
    harness.kit.hook(
      HookTrigger.ON_REALTIME_TEXT_INJECTED,
      () => {
        throw new Error("observer broke");
      },
      { execution: "async" },
    );
    const session = await harness.start();
    await harness.channel.injectText(session, "Say hello", { role: "user" });
    expect(harness.provider.injectedTexts).toEqual([
      { sessionId: session.id, text: "Say hello", role: "user", silent: false },
    ]);
    await waitFor(() => seen.length === 1);
    expect(seen[0]!.content).toEqual({ type: "text", body: "Say hello" });
    expect(seen[0]!.metadata).toMatchObject({ injected_role: "user", session_id: session.id });
  });

  test("imageInput false: injectImage rejects with UnsupportedOperationError and the provider is not called", async () => {
    harness = await createHarness({ provider: { capabilities: { imageInput: false } } });
    const session = await harness.start();
    let called = 0;
    harness.provider.injectImage = (async () => void called++) as never;
    await expect(harness.channel.injectImage(session, new Uint8Array([1, 2, 3]))).rejects.toBeInstanceOf(
      UnsupportedOperationError,
    );
    expect(called).toBe(0);
  });

  test("imageInput true: injectImage reaches the provider; its failure is logged, not thrown (§8.56)", async () => {
    harness = await createHarness({ provider: { capabilities: { imageInput: true } } });
    const session = await harness.start();
    const images: Uint8Array[] = [];
    harness.provider.injectImage = (async (_session: unknown, data: Uint8Array) => {
      images.push(data);
      throw new Error("not a PNG");
    }) as never;
    await harness.channel.injectImage(session, new Uint8Array([1, 2, 3]));
    expect(images).toEqual([new Uint8Array([1, 2, 3])]);
    expect(harness.logger.entries.some((entry) => entry.message.includes("injectImage"))).toBe(true);
  });

  test("injectText on an unknown session rejects with SessionNotFoundError", async () => {
    harness = await createHarness();
    await expect(harness.channel.injectText("nope", "hi")).rejects.toThrow(/No live voice session/);
  });
});
