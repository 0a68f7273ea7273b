import { describe, expect, test } from "bun:test";
import { createRecordingLogger, VoiceSession } from "@roomkit/spec";
import { waitFor } from "@roomkit/testing";
import { OutboundAudioQueue } from "./outbound-audio-queue.ts";
import { slowSocket } from "./test-support/slow-socket.ts";
import { WebSocketRealtimeTransport } from "./websocket-realtime-transport.ts";

function frame(seed: number): Uint8Array {
  return new Uint8Array(960).fill(seed & 0xff);
}

describe("backpressure", () => {
  test("a slow client gets the oldest audio dropped, counted, with bounded memory; the newest is delivered on drain", async () => {
    const logger = createRecordingLogger();
    const transport = new WebSocketRealtimeTransport({
      logger,
      audioFormat: "binary",
      maxBufferedBytes: 4800,
      maxQueuedAudioBytes: 9600,
    });
    const { sink, sent, connection } = slowSocket();
    const session = new VoiceSession({ id: "s1", roomId: "r", participantId: "p", channelId: "c" });
    await transport.accept(session, connection);

    for (let index = 0; index < 1000; index++) transport.sendAudio(session, frame(index));
    // 5 frames fit under the socket bound (4800 B) + 1 more sent when the bound was exactly reached; the rest queue.
    expect(sent.length).toBeLessThanOrEqual(6);
    expect(transport.queuedAudioBytes(session)).toBeLessThanOrEqual(9600);
    expect(transport.stats.outboundAudioDropped).toBe(1000 - sent.length - 10);
    expect(logger.entries.some((entry) => entry.message.includes("dropped the oldest"))).toBe(true);
    expect(logger.entries.filter((entry) => entry.level === "warn").length).toBe(5);

    // The client catches up: the queue drains, newest frames last, in order.
    const before = sent.length;
    sink.reading = true;
    sink.buffered = 0;
    await waitFor(() => sent.length === before + 10, { label: "drain" });
    const delivered = sent.slice(before).map((bytes) => bytes[0]);
    expect(delivered).toEqual(Array.from({ length: 10 }, (_, index) => (990 + index) & 0xff));
    expect(transport.queuedAudioBytes(session)).toBe(0);
    await transport.close();
  });

  test("clear_audio empties the backpressure queue and is still sent", async () => {
    const transport = new WebSocketRealtimeTransport({ logger: createRecordingLogger(), maxBufferedBytes: 100 });
    const { sink, texts, connection } = slowSocket();
    const session = new VoiceSession({ id: "s2", roomId: "r", participantId: "p", channelId: "c" });
    await transport.accept(session, connection);
    for (let index = 0; index < 20; index++) transport.sendAudio(session, frame(index));
    expect(transport.queuedAudioBytes(session)).toBeGreaterThan(0);
    transport.sendMessage(session, { type: "clear_audio" });
    expect(transport.queuedAudioBytes(session)).toBe(0);
    expect(texts.at(-1)).toBe('{"type":"clear_audio"}');
    expect(transport.stats.outboundAudioCleared).toBe(19);
    sink.buffered = 0;
    await Bun.sleep(40);
    expect(texts.filter((text) => text.includes('"audio"')).length).toBe(1);
    await transport.close();
  });

  test("interrupt() also drops queued audio", async () => {
    const transport = new WebSocketRealtimeTransport({ logger: createRecordingLogger(), maxBufferedBytes: 100 });
    const { connection } = slowSocket();
    const session = new VoiceSession({ id: "s3", roomId: "r", participantId: "p", channelId: "c" });
    await transport.accept(session, connection);
    for (let index = 0; index < 5; index++) transport.sendAudio(session, frame(index));
    transport.interrupt(session);
    expect(transport.queuedAudioBytes(session)).toBe(0);
    await transport.close();
  });
});

describe("OutboundAudioQueue", () => {
  test("keeps at most maxBytes (but always the newest chunk), FIFO", () => {
    const queue = new OutboundAudioQueue(100);
    expect(queue.push(new Uint8Array(60).fill(1))).toBe(0);
    expect(queue.push(new Uint8Array(60).fill(2))).toBe(1);
    expect(queue.bytes).toBe(60);
    expect(queue.push(new Uint8Array(500).fill(3))).toBe(1);
    expect(queue.length).toBe(1);
    expect(queue.shift()![0]).toBe(3);
    expect(queue.shift()).toBeUndefined();
  });

  test("copies what it keeps (callers may reuse their buffers)", () => {
    const queue = new OutboundAudioQueue(1000);
    const source = new Uint8Array(10).fill(7);
    queue.push(source);
    source.fill(0);
    expect(queue.shift()![0]).toBe(7);
  });

  test("stays correct over many push/shift cycles", () => {
    const queue = new OutboundAudioQueue(64 * 10);
    let next = 0;
    let expected = 0;
    for (let round = 0; round < 1000; round++) {
      expected += queue.push(new Uint8Array(64).fill(next++ & 0xff));
      if (round % 3 === 0) {
        const item = queue.shift()!;
        expect(item[0]).toBe(expected++ & 0xff);
      }
    }
    expect(queue.length).toBeLessThanOrEqual(10);
  });
});
