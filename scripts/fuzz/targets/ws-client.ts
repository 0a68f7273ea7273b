import fc from "fast-check";
import { VoiceSession } from "../../../packages/spec/src/index.ts";
import { WebSocketConnection, WebSocketRealtimeTransport } from "../../../packages/transport-ws/src/index.ts";
import type { FuzzTarget } from "../engine.ts";
import { mutateBytes, mutateJsonText } from "../hand-mutator.ts";
import type { Random } from "../random.ts";
import { createCountingLogger } from "./counting-logger.ts";

type ClientFrame = string | Uint8Array;

function pcm(samples: number, value = 1000): Uint8Array {
  const bytes = new Uint8Array(samples * 2);
  const view = new DataView(bytes.buffer);
  for (let index = 0; index < samples; index++) view.setInt16(index * 2, (value * Math.sin(index / 7)) | 0, true);
  return bytes;
}

const BINARY_SEEDS = [pcm(480), pcm(160), pcm(2), pcm(4800, 30000)];
const TEXT_SEEDS = [
  JSON.stringify({ type: "audio", data: Buffer.from(pcm(480)).toString("base64") }),
  JSON.stringify({ type: "audio", data: Buffer.from(pcm(16)).toString("base64") }),
  JSON.stringify({ type: "playback", played_ms: 250 }),
  JSON.stringify({ type: "playback", played_ms: 0 }),
  JSON.stringify({ type: "hello" }),
];

/**
 * Client frames (text JSON control messages and binary PCM) into an accepted `WebSocketRealtimeTransport` session,
 * through `WebSocketConnection.receive` exactly as the Bun and `ws` adapters deliver them.
 */
export function createWsClientTarget(): FuzzTarget<ClientFrame> & { audioDelivered: () => number } {
  let transport: WebSocketRealtimeTransport;
  let connection: WebSocketConnection;
  let session: VoiceSession;
  let delivered = 0;
  let sent = 0;
  const logger = createCountingLogger();

  const open = async () => {
    connection = new WebSocketConnection({
      kind: "bun",
      url: new URL("ws://127.0.0.1/fuzz"),
      headers: new Headers(),
      request: undefined,
    });
    connection.bind({
      sendText: () => {
        sent++;
      },
      sendBinary: () => {
        sent++;
      },
      close: () => {},
      bufferedAmount: () => 0,
    });
    session = new VoiceSession({
      id: `fuzz-${Math.random()}`,
      roomId: "room",
      participantId: "caller",
      channelId: "voice",
    });
    await transport.accept(session, connection);
  };

  return {
    name: "ws-client",
    audioDelivered: () => delivered,
    async setup() {
      transport = new WebSocketRealtimeTransport({ logger });
      transport.onAudioReceived((_session, audio) => {
        const bytes = audio instanceof Uint8Array ? audio : audio.data;
        if ((bytes.byteLength & 1) !== 0) throw new Error("odd PCM16 frame delivered");
        delivered++;
      });
      transport.onPlaybackPosition(() => {});
      await open();
    },
    run(frame) {
      connection.receive(frame);
    },
    async check() {
      if (transport.sessionCount !== 1) return `sessionCount ${transport.sessionCount}, expected 1`;
      if (!connection.isOpen) {
        await open();
        return "a client frame closed the socket";
      }
      return undefined;
    },
    async teardown() {
      await transport.close();
      if (transport.sessionCount !== 0) throw new Error("sessions left after close");
      void sent;
    },
    mutate(random: Random) {
      return random.chance(0.3) ? mutateBytes(random, BINARY_SEEDS) : mutateJsonText(random, TEXT_SEEDS);
    },
    arbitrary() {
      return fc.oneof(
        fc.uint8Array({ maxLength: 4096 }),
        fc.json(),
        fc.string({ unit: "binary", maxLength: 512 }),
        fc
          .record({
            type: fc.oneof(fc.constantFrom("audio", "playback"), fc.string()),
            data: fc.oneof(fc.base64String({ maxLength: 2048 }), fc.string(), fc.anything()),
            played_ms: fc.oneof(fc.double(), fc.integer(), fc.anything()),
          })
          .map((value) => JSON.stringify(value) ?? "null"),
      );
    },
    describe(frame) {
      return typeof frame === "string"
        ? `text(${frame.length}): ${JSON.stringify(frame.slice(0, 160))}`
        : `binary(${frame.byteLength}): ${Buffer.from(frame.subarray(0, 24)).toString("hex")}`;
    },
  };
}
