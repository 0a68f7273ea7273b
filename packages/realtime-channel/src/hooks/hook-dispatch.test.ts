import { afterEach, expect, test } from "bun:test";
import { HookTrigger, type SessionEndedEvent, type SessionStartedEvent, type VoiceSession } from "@roomkit/spec";
import { settle, waitFor } from "@roomkit/testing";
import { countContextBuilds, createHarness, type Harness } from "../test-support/harness.ts";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

test("ON_SESSION_STARTED / ON_SESSION_ENDED hooks and the lifecycle framework events", async () => {
  harness = await createHarness();
  const hooks: string[] = [];
  const events: string[] = [];
  harness.kit.hook(
    HookTrigger.ON_SESSION_STARTED,
    (event: SessionStartedEvent) => void hooks.push(`started:${event.participantId}:${event.channelType}`),
    { execution: "async" },
  );
  harness.kit.hook(
    HookTrigger.ON_SESSION_ENDED,
    (event: SessionEndedEvent) => void hooks.push(`ended:${event.reason}`),
    { execution: "async" },
  );
  for (const type of ["voice_session_started", "session_started", "voice_session_ended"]) {
    harness.kit.on(type, (event) => void events.push(`${type}:${event.data.session_id}`));
  }
  const session = await harness.start("p1");
  await harness.channel.endSession(session, "bye");
  await waitFor(() => hooks.length === 2 && events.length === 3);
  expect(hooks).toEqual(["started:p1:realtime_voice", "ended:bye"]);
  expect(events).toEqual([
    `voice_session_started:${session.id}`,
    `session_started:${session.id}`,
    `voice_session_ended:${session.id}`,
  ]);
});

test("hook filters apply to realtime triggers (a hook scoped to another channel does not fire)", async () => {
  harness = await createHarness();
  const fired: string[] = [];
  harness.kit.hook(HookTrigger.ON_SPEECH_START, () => void fired.push("other"), {
    execution: "async",
    channelIds: ["some-other-channel"],
  });
  harness.kit.hook(HookTrigger.ON_SPEECH_START, () => void fired.push("mine"), {
    execution: "async",
    channelIds: ["rt-voice"],
  });
  const session = await harness.start();
  await harness.provider.simulateSpeechStart(session);
  await waitFor(() => fired.length >= 1);
  await settle(5);
  expect(fired).toEqual(["mine"]);
});

test("room hooks fire only for their room; DTMF reaches ON_DTMF", async () => {
  harness = await createHarness({ transport: { capabilities: { dtmf: true } } });
  const digits: string[] = [];
  harness.kit.addRoomHook(
    harness.roomId,
    HookTrigger.ON_DTMF,
    (event: { digit: string; session: VoiceSession }) => void digits.push(event.digit),
    { execution: "async" },
  );
  const session = await harness.start();
  await harness.transport.simulateDtmf(session, { digit: "5" });
  await waitFor(() => digits.length === 1);
  expect(digits).toEqual(["5"]);
});

test("hooks scoped to another channel cost nothing: no RoomContext is built for any realtime trigger", async () => {
  harness = await createHarness({ channel: { toolHandler: () => ({ ok: true }) } });
  const contexts = countContextBuilds(harness.kit);
  const elsewhere = { channelIds: ["some-other-channel"] };
  for (const trigger of [
    HookTrigger.ON_SPEECH_START,
    HookTrigger.ON_INPUT_AUDIO_LEVEL,
    HookTrigger.ON_TRANSCRIPTION,
    HookTrigger.ON_PARTIAL_TRANSCRIPTION,
    HookTrigger.BEFORE_TOOL_USE,
    HookTrigger.ON_TOOL_CALL,
  ]) {
    harness.kit.hook(trigger, () => undefined, elsewhere);
  }
  const session = await harness.start();
  await harness.transport.simulateClientAudio(session, new Uint8Array(640).fill(3));
  await harness.provider.simulateSpeechStart(session);
  await harness.provider.simulateTranscription(session, "hel", { role: "user", isFinal: false });
  await harness.provider.simulateTranscription(session, "hello", { role: "user" });
  await harness.provider.simulateToolCall(session, "c1", "lookup", {});
  await waitFor(() => harness!.provider.toolResults.length === 1);
  await settle(5);
  expect(contexts()).toBe(0);
  expect((await harness.kit.getTimeline(harness.roomId, { limit: 50 })).some((event) => event.type === "message")).toBe(
    true,
  );
});
