import { afterEach, expect, test } from "bun:test";
import { type AudioLevelEvent, HookTrigger } from "@roomkit/spec";
import { ManualClock, waitFor } from "@roomkit/testing";
import { createHarness, type Harness, pcmFrame } from "../test-support/harness.ts";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

test("a binding muted before the session starts gates pre-connect audio and live audio", async () => {
  harness = await createHarness();
  await harness.kit.mute(harness.roomId, "rt-voice");
  harness.provider.beforeConnect = async (session) => {
    await harness!.transport.simulateClientAudio(session, pcmFrame(160));
  };
  const session = await harness.start();
  await harness.transport.simulateClientAudio(session, pcmFrame(160));
  expect(harness.provider.sentAudio).toHaveLength(0);
  expect(session.metrics.inboundDropped).toBe(2);
});

test("provider audio produced during the handshake is queued and sent once the session is live", async () => {
  harness = await createHarness();
  const greeting = pcmFrame(480);
  harness.transport.activate = async (session) => {
    await harness!.provider.simulateAudio(session, greeting);
    expect(harness!.transport.sentAudio).toHaveLength(0);
  };
  await harness.start();
  expect(harness.transport.sentAudio.map((entry) => entry.audio)).toEqual([greeting]);
});

test("output level hook fires from sent audio (throttled per session); from device playback when the transport reports it", async () => {
  const clock = new ManualClock(1000);
  harness = await createHarness({ channel: { clock } });
  const levels: AudioLevelEvent[] = [];
  harness.kit.hook(HookTrigger.ON_OUTPUT_AUDIO_LEVEL, (event: AudioLevelEvent) => void levels.push(event), {
    execution: "async",
  });
  const session = await harness.start();
  for (let index = 0; index < 5; index++) await harness.provider.simulateAudio(session, pcmFrame(480, index));
  clock.advance(100);
  await harness.provider.simulateAudio(session, pcmFrame(480));
  await waitFor(() => levels.length === 2);
  expect(levels[0]!.levelDb).toBeGreaterThan(-60);
  expect(levels[0]!.levelDb).toBeLessThanOrEqual(0);
});

test("device playback transports meter output from what was played", async () => {
  harness = await createHarness({ transport: { capabilities: { playbackCallback: true } } });
  const levels: AudioLevelEvent[] = [];
  harness.kit.hook(HookTrigger.ON_OUTPUT_AUDIO_LEVEL, (event: AudioLevelEvent) => void levels.push(event), {
    execution: "async",
  });
  const session = await harness.start();
  await harness.provider.simulateAudio(session, pcmFrame(480));
  await harness.transport.simulateAudioPlayed(session, { audio: new Uint8Array(480), sampleRate: 24000 });
  await waitFor(() => levels.length === 1);
  expect(levels[0]!.levelDb).toBe(-60);
});
