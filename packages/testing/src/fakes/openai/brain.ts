import type { FakeBrain, FakeReply, FakeUserTurn } from "./types.ts";

const MARKER = /\[\[call:([A-Za-z0-9_.-]+)\s*(\{[\s\S]*?\})?\s*\]\]/;

/**
 * protocols.md E rules: `[[call:name {json}]]` or a declared tool's name in the user's text calls that tool;
 * a function output is acknowledged; otherwise "You said: <text>", or for audio "I heard <N> ms of audio".
 */
export const defaultOpenAIBrain: FakeBrain = (turn: FakeUserTurn): FakeReply => {
  if (turn.kind === "tool_result") return { say: `The ${turn.toolName ?? "tool"} returned ${turn.toolOutput ?? ""}` };
  if (turn.kind === "none") return { say: "Hello" };
  const text = turn.text ?? "";
  const marker = MARKER.exec(text);
  if (marker) {
    let args: unknown = {};
    if (marker[2]) {
      try {
        args = JSON.parse(marker[2]);
      } catch {
        args = marker[2];
      }
    }
    return { callTool: { name: marker[1]!, args } };
  }
  const tool = turn.tools.find((candidate) => text !== "" && text.includes(candidate.name));
  if (tool) return { callTool: { name: tool.name, args: {} } };
  if (turn.kind === "audio" && turn.text === undefined)
    return { say: `I heard ${Math.round(turn.audioMs)} ms of audio` };
  return { say: `You said: ${text}` };
};

/** Replays the caller's utterance after they stop speaking; the transcript is its length. */
export const echoOpenAIBrain: FakeBrain = (turn: FakeUserTurn): FakeReply => {
  if (turn.kind === "audio" && turn.audio !== undefined) {
    return { say: `${Math.round(turn.audioMs)} ms`, audio: turn.audio, sampleRate: turn.sampleRate };
  }
  return defaultOpenAIBrain(turn);
};
