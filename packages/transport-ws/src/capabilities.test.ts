// What each declared capability flag means for this transport (the contract suite checks them on a real socket).
import { describe, expect, test } from "bun:test";
import { createRecordingLogger, type PlaybackPosition, VoiceSession } from "@roomkit/spec";
import { slowSocket } from "./test-support/slow-socket.ts";
import { WebSocketRealtimeTransport, type WebSocketRealtimeTransportOptions } from "./websocket-realtime-transport.ts";

async function accepted(options: WebSocketRealtimeTransportOptions = {}) {
  const transport = new WebSocketRealtimeTransport({ logger: createRecordingLogger(), ...options });
  const socket = slowSocket();
  socket.sink.reading = true;
  const session = new VoiceSession({ id: "s1", roomId: "r", participantId: "p", channelId: "c" });
  await transport.accept(session, socket.connection);
  return { transport, session, ...socket };
}

const clears = (texts: string[]) => texts.filter((text) => text === '{"type":"clear_audio"}').length;

describe("WebSocketRealtimeTransport capabilities", () => {
  test("declares interrupt, inputMute and playbackPosition; no device clock, no DTMF", () => {
    const transport = new WebSocketRealtimeTransport({ logger: createRecordingLogger() });
    expect(transport.capabilities).toEqual({
      playbackCallback: false,
      playbackPosition: true,
      interrupt: true,
      inputMute: true,
      dtmf: false,
    });
  });

  test("interrupt() tells the client to empty its playback buffer", async () => {
    const { transport, session, texts } = await accepted();
    transport.sendAudio(session, new Uint8Array(960));
    transport.interrupt(session);
    expect(texts.at(-1)).toBe('{"type":"clear_audio"}');
    await transport.close();
  });

  test("the channel's clear_audio right after interrupt() is not sent twice; after new audio it is", async () => {
    const { transport, session, texts } = await accepted();
    transport.sendAudio(session, new Uint8Array(960));
    transport.interrupt(session);
    transport.sendMessage(session, { type: "clear_audio" });
    expect(clears(texts)).toBe(1);
    transport.sendAudio(session, new Uint8Array(960));
    transport.interrupt(session);
    expect(clears(texts)).toBe(2);
    await transport.close();
  });

  test("playbackReports: false declares no playbackPosition and ignores the client's reports", async () => {
    const { transport, connection } = await accepted({ playbackReports: false });
    expect(transport.capabilities.playbackPosition).toBe(false);
    const positions: PlaybackPosition[] = [];
    transport.onPlaybackPosition((_session, position) => void positions.push(position));
    connection.receive('{"type":"playback","played_ms":250}');
    expect(positions).toEqual([]);
    expect(transport.stats.playbackReports).toBe(1);
    await transport.close();
  });

  test("playback reports are passed on by default", async () => {
    const { transport, connection } = await accepted();
    const positions: PlaybackPosition[] = [];
    transport.onPlaybackPosition((_session, position) => void positions.push(position));
    connection.receive('{"type":"playback","played_ms":250}');
    expect(positions).toEqual([{ playedMs: 250, source: "client" }]);
    await transport.close();
  });
});
