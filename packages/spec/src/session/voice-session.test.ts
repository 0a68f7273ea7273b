import { describe, expect, test } from "bun:test";
import { VoiceSessionEndedError } from "../errors/voice-session-ended-error.ts";
import { createRecordingLogger } from "../util/logger.ts";
import { VoiceSession } from "./voice-session.ts";
import { VoiceSessionState } from "./voice-session-state.ts";

// Reads the state through a function so TypeScript does not narrow it from the last assignment.
const stateOf = (session: VoiceSession): string => session.state;

function makeSession(logger = createRecordingLogger()) {
  return new VoiceSession({ id: "s1", roomId: "r1", participantId: "p1", channelId: "c1", logger, metadata: { a: 1 } });
}

describe("VoiceSession", () => {
  test("starts CONNECTING and follows the documented transitions", () => {
    const session = makeSession();
    expect(session.state).toBe(VoiceSessionState.CONNECTING);
    session.state = VoiceSessionState.ACTIVE;
    expect(session.isActive).toBe(true);
    session.state = VoiceSessionState.PAUSED;
    session.state = VoiceSessionState.ACTIVE;
    session.state = VoiceSessionState.ENDED;
    expect(session.isEnded).toBe(true);
  });

  test("leaving ENDED throws VoiceSessionEndedError", () => {
    const session = makeSession();
    session.state = VoiceSessionState.ENDED;
    expect(() => {
      session.state = VoiceSessionState.ACTIVE;
    }).toThrow(VoiceSessionEndedError);
    expect(session.state).toBe(VoiceSessionState.ENDED);
  });

  test("renegotiate is the one sanctioned way out of ENDED", () => {
    const session = makeSession();
    session.state = VoiceSessionState.ENDED;
    session.renegotiate();
    expect(stateOf(session)).toBe(VoiceSessionState.CONNECTING);
    session.state = VoiceSessionState.ACTIVE;
    expect(session.isActive).toBe(true);
  });

  test("an undocumented move between live states is logged, not thrown", () => {
    const logger = createRecordingLogger();
    const session = makeSession(logger);
    session.state = VoiceSessionState.ACTIVE;
    session.state = VoiceSessionState.CONNECTING;
    expect(stateOf(session)).toBe(VoiceSessionState.CONNECTING);
    expect(logger.entries.some((entry) => entry.level === "warn")).toBe(true);
  });

  test("metadata is a copy of what the caller passed", () => {
    const metadata = { voice: "alloy" };
    const session = new VoiceSession({ id: "s", roomId: "r", participantId: "p", channelId: "c", metadata });
    session.metadata.voice = "echo";
    expect(metadata.voice).toBe("alloy");
  });
});
