// LocalAudioBackend inside RoomKit + RealtimeVoiceChannel (mock provider) on the fake driver: what only the pair shows.
import { afterEach, describe, expect, test } from "bun:test";
import { MemoryConversationStore, RoomKit } from "@roomkit/core";
import { RealtimeVoiceChannel } from "@roomkit/realtime-channel";
import { createRecordingLogger, silentLogger } from "@roomkit/spec";
import { MockRealtimeProvider, waitFor } from "@roomkit/testing";
import { FakeAudioDriver } from "./drivers/fake-driver.ts";
import { LocalAudioBackend } from "./local-audio-transport.ts";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

const until = (predicate: () => boolean) => waitFor(predicate, { timeoutMs: 2000 });

async function setup() {
  const kit = new RoomKit({ store: new MemoryConversationStore(), logger: silentLogger });
  const provider = new MockRealtimeProvider({ logger: silentLogger });
  const driver = new FakeAudioDriver();
  const transport = new LocalAudioBackend({ sampleRate: 24000, driver, logger: createRecordingLogger() });
  const channel = new RealtimeVoiceChannel("voice", {
    provider,
    transport,
    inputSampleRate: 24000,
    outputSampleRate: 24000,
    logger: silentLogger,
  });
  kit.registerChannel(channel);
  await kit.createRoom({ roomId: "room-1" });
  await kit.attachChannel("room-1", "voice");
  const session = await channel.startSession("room-1", "me", { connection: null });
  cleanups.push(async () => {
    await kit.close();
    await transport.close();
  });
  return { provider, driver, transport, session };
}

const tone = (bytes: number) => {
  const samples = new Int16Array(bytes / 2);
  for (let index = 0; index < samples.length; index++) samples[index] = 2000 + (index % 100);
  return new Uint8Array(samples.buffer);
};

describe("LocalAudioBackend with RealtimeVoiceChannel (fake driver)", () => {
  test("mic blocks reach the provider; provider audio plays on the speaker", async () => {
    const { provider, driver, session } = await setup();
    driver.speak(tone(960));
    await until(() => provider.sentAudio.length > 0);
    await provider.simulateAudio(session, tone(5760));
    await provider.simulateResponseEnd(session);
    await until(() => driver.tick(1)[0]!.some((byte) => byte !== 0));
  });

  test("barge-in after 100 ms played: the speaker is flushed and the provider truncated at what was played", async () => {
    const { provider, driver, transport, session } = await setup();
    await provider.simulateResponseStart(session);
    await provider.simulateAudio(session, tone(24000 * 2));
    await until(() => transport.bufferedBytes > 0);
    driver.tick(5); // 100 ms handed to the device
    await provider.simulateSpeechStart(session);
    await until(() => transport.bufferedBytes === 0);
    expect(driver.tick(1)[0]!.every((byte) => byte === 0)).toBe(true);
    await until(() => provider.callsOf("truncateAudio").length > 0);
    const [, playedMs] = provider.callsOf("truncateAudio")[0]!.args as [unknown, number];
    expect(Math.abs(playedMs - 100)).toBeLessThanOrEqual(20);
  });
});
