import { describeRealtimeTransportContract } from "@roomkit/testing";
import { FakeAudioDriver } from "./drivers/fake-driver.ts";
import { LocalAudioBackend } from "./local-audio-transport.ts";

/** The fake device: playOnClient renders blocks; what the speaker kept is what was rendered audible. */
describeRealtimeTransportContract(
  () => {
    const driver = new FakeAudioDriver();
    const transport = new LocalAudioBackend({ sampleRate: 24000, driver });
    const keptBytes = () => {
      // Played audio plus what is still queued: what the "client" (the speaker) holds.
      let bytes = transport.bufferedBytes;
      for (const block of driver.played) {
        let last = block.byteLength;
        while (last > 0 && block[last - 1] === 0 && block[last - 2] === 0) last -= 2;
        let first = 0;
        while (first < last && block[first] === 0 && block[first + 1] === 0) first += 2;
        bytes += last - first;
      }
      return bytes;
    };
    return {
      transport,
      connect: () => "local",
      sampleRate: 24000,
      outputSampleRate: 24000,
      lossless: true,
      sendFromClient: (_connection, audio) => driver.speak(audio),
      closeFromClient: () => driver.unplug(),
      receivedByClient: () => ({ audioBytes: keptBytes() }),
      playOnClient: (_connection, ms) => {
        driver.tick(Math.ceil(ms / 20) + 8);
      },
    };
  },
  { name: "LocalAudioBackend contract (fake driver)" },
);
