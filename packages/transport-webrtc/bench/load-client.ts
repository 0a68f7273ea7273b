// Bench load generator (its own process): N werift client peers connect to the bench server, then each streams
// one 20 ms Opus frame every 20 ms (a pre-encoded 440 Hz packet, so the client's own cost stays small). Prints
// "connected <ms>" once every peer is up; stdin "count" prints "sent <frames>", "stop" stops
// streaming and prints the total; "exit" closes the peers and exits.
import { generateTone } from "@roomkit/audio";
import { RtpHeader, RtpPacket } from "werift";
import { opusscriptCodec } from "../src/codecs/opus-codec.ts";
import { WeriftTestClient } from "../src/test-support/werift-client.ts";

const [url, countText] = process.argv.slice(2);
const count = Number(countText);
const clients: WeriftTestClient[] = [];
const started = performance.now();
for (let index = 0; index < count; index++) {
  const client = new WeriftTestClient(url!);
  clients.push(client);
  await client.connect();
}
const deadline = Date.now() + 30_000;
while (clients.some((client) => client.connectionState !== "connected" || !client.channelOpen)) {
  if (Date.now() > deadline) throw new Error("bench clients did not connect");
  await Bun.sleep(20);
}
const encoder = opusscriptCodec.createEncoder(48000);
const packet = Buffer.from(encoder.encode(generateTone({ frequency: 440, durationMs: 20, sampleRate: 48000 })));
encoder.free();
console.log(`connected ${Math.round(performance.now() - started)}`);

let tick = 0;
let sent = 0;
const payloadTypes = clients.map((client) => client.pc.getTransceivers()[0]!.sender.codec?.payloadType ?? 96);
const timer = setInterval(() => {
  tick++;
  for (let index = 0; index < clients.length; index++) {
    const header = new RtpHeader({
      payloadType: payloadTypes[index]!,
      sequenceNumber: tick & 0xffff,
      timestamp: (tick * 960) >>> 0,
    });
    clients[index]!.track.writeRtp(new RtpPacket(header, packet));
    sent++;
  }
}, 20);
for await (const line of console) {
  if (line === "exit") break;
  if (line === "count") console.log(`sent ${sent}`);
  if (line === "stop") {
    clearInterval(timer);
    console.log(`sent ${sent}`);
  }
}
clearInterval(timer);
for (const client of clients) await client.close();
process.exit(0);
