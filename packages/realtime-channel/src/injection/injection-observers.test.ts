import { afterEach, expect, test } from "bun:test";
import { HookTrigger } from "@roomkit/spec";
import { MockChannel, waitFor, within } from "@roomkit/testing";
import { createHarness, type Harness } from "../test-support/harness.ts";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

test("a slow ON_REALTIME_TEXT_INJECTED observer holds neither the broadcast (room lock) nor injectText", async () => {
  harness = await createHarness();
  const supervisor = new MockChannel("supervisor");
  harness.kit.registerChannel(supervisor);
  await harness.kit.attachChannel(harness.roomId, "supervisor");
  const gates: Array<() => void> = [];
  harness.kit.hook(HookTrigger.ON_REALTIME_TEXT_INJECTED, () => new Promise<void>((resolve) => gates.push(resolve)), {
    execution: "async",
  });
  const session = await harness.start();
  const sent = harness.kit.sendEvent(harness.roomId, "supervisor", { type: "text", body: "Offer a discount" });
  await within(sent, { timeoutMs: 1000, label: "sendEvent" });
  await within(harness.channel.injectText(session, "hello"), { timeoutMs: 1000, label: "injectText" });
  // the session's observers run in order: the second starts once the first is released
  await waitFor(() => gates.length === 1);
  gates[0]!();
  await waitFor(() => gates.length === 2);
  gates[1]!();
  expect(harness.provider.injectedTexts.map((entry) => entry.text)).toEqual(["Offer a discount", "hello"]);
});
