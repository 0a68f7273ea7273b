import fc from "fast-check";
import { createSessionStats } from "../../../packages/provider-gemini/src/connection-events.ts";
import { parseServerEvent } from "../../../packages/provider-gemini/src/internal.ts";
import { invalidJsonReason } from "../../../packages/provider-gemini/src/sdk-frame-guard.ts";
import { ServerEventHandler } from "../../../packages/provider-gemini/src/server-event-handler.ts";
import { VoiceSession } from "../../../packages/spec/src/index.ts";
import type { FuzzTarget } from "../engine.ts";
import { mutateJsonText } from "../hand-mutator.ts";
import type { Random } from "../random.ts";
import { createCountingLogger } from "./counting-logger.ts";

/** A server message as the SDK hands it over (its type, without importing the SDK from here). */
type LiveServerMessage = Parameters<ServerEventHandler["handle"]>[0];

const AUDIO = Buffer.alloc(960, 3).toString("base64");

/** Valid Live API server messages, the corpus the hand mutator starts from. */
export const GEMINI_SEED_MESSAGES: readonly string[] = [
  { setupComplete: { sessionId: "s1" } },
  { sessionResumptionUpdate: { newHandle: "h1", resumable: true } },
  { voiceActivity: { voiceActivityType: "ACTIVITY_START" } },
  { serverContent: { inputTranscription: { text: "hello", finished: false } } },
  { serverContent: { inputTranscription: { text: "", finished: true } } },
  { serverContent: { modelTurn: { parts: [{ inlineData: { mimeType: "audio/pcm;rate=24000", data: AUDIO } }] } } },
  { serverContent: { modelTurn: { parts: [{ text: "thinking", thought: true }, { text: "Hi" }] } } },
  { serverContent: { outputTranscription: { text: "Hi there", finished: true } } },
  { serverContent: { interrupted: true } },
  { serverContent: { generationComplete: true } },
  { serverContent: { turnComplete: true, turnCompleteReason: "STOP" } },
  { toolCall: { functionCalls: [{ id: "call_1", name: "lookup", args: { city: "Paris" } }] } },
  { toolCallCancellation: { ids: ["call_1"] } },
  { usageMetadata: { promptTokenCount: 3, responseTokenCount: 5, totalTokenCount: 8 } },
  { goAway: { timeLeft: "10s" } },
].map((message) => JSON.stringify(message));

/**
 * Server messages (JSON text, as the SDK parses it) through the session's `ServerEventHandler.handle` (the path every
 * frame takes after the frame guard), plus `parseServerEvent` alone: its throws on hostile shapes are counted in the
 * report as `parserThrows` (the handler catches them and drops the message).
 */
export function createGeminiEventsTarget(): FuzzTarget<string> & { parserThrows: () => number } {
  const logger = createCountingLogger();
  let handler: ServerEventHandler;
  let parserThrows = 0;
  const pendingCalls = new Map<string, string>();
  const stats = createSessionStats();

  return {
    name: "gemini-events",
    parserThrows: () => parserThrows,
    async setup() {
      const noop = () => undefined;
      handler = new ServerEventHandler({
        session: new VoiceSession({ id: "fuzz", roomId: "room", participantId: "caller", channelId: "voice" }),
        events: {
          audio: noop,
          transcription: noop,
          speechStart: noop,
          speechEnd: noop,
          toolCall: (callId: string, name: string) => {
            pendingCalls.set(callId, name);
          },
          toolCallCancel: noop,
          responseStart: noop,
          responseEnd: noop,
          error: noop,
          usage: noop,
        },
        logger,
        stats,
        pendingCalls,
        textMode: false,
        onHandle: noop,
        onToolCallsSettled: noop,
        onTurnComplete: noop,
        onGoAway: noop,
      });
    },
    run(text) {
      // The frame guard drops what is not JSON before the SDK sees it.
      if (invalidJsonReason(text) !== undefined) return;
      const message = JSON.parse(text) as LiveServerMessage;
      if (message === null || typeof message !== "object") return;
      try {
        parseServerEvent(message);
      } catch {
        parserThrows++;
      }
      handler.handle(message);
    },
    check() {
      // Tool calls the fuzzer opened are answered by the application in real life; forget them between batches.
      pendingCalls.clear();
      return undefined;
    },
    async teardown() {
      handler.connectionLost();
    },
    mutate(random: Random) {
      return mutateJsonText(random, GEMINI_SEED_MESSAGES);
    },
    arbitrary() {
      const anything = fc.anything();
      return fc.oneof(
        fc.json(),
        fc
          .record(
            {
              setupComplete: fc.oneof(fc.record({ sessionId: fc.string() }), anything),
              sessionResumptionUpdate: fc.oneof(
                fc.record({ newHandle: fc.oneof(fc.string(), anything), resumable: fc.boolean() }),
                anything,
              ),
              serverContent: fc.oneof(
                fc.record(
                  {
                    modelTurn: fc.oneof(
                      fc.record({
                        parts: fc.oneof(
                          fc.array(
                            fc.record(
                              {
                                text: fc.oneof(fc.string(), anything),
                                thought: fc.oneof(fc.boolean(), anything),
                                inlineData: fc.oneof(
                                  fc.record({
                                    mimeType: fc.oneof(fc.string(), anything),
                                    data: fc.oneof(fc.base64String(), anything),
                                  }),
                                  anything,
                                ),
                              },
                              { requiredKeys: [] },
                            ),
                          ),
                          anything,
                        ),
                      }),
                      anything,
                    ),
                    inputTranscription: fc.oneof(
                      fc.record({ text: fc.oneof(fc.string(), anything), finished: anything }),
                      anything,
                    ),
                    outputTranscription: fc.oneof(
                      fc.record({ text: fc.oneof(fc.string(), anything), finished: anything }),
                      anything,
                    ),
                    interrupted: anything,
                    turnComplete: anything,
                    generationComplete: anything,
                  },
                  { requiredKeys: [] },
                ),
                anything,
              ),
              toolCall: fc.oneof(
                fc.record({
                  functionCalls: fc.oneof(
                    fc.array(
                      fc.record({
                        id: fc.oneof(fc.string(), anything),
                        name: fc.oneof(fc.string(), anything),
                        args: anything,
                      }),
                    ),
                    anything,
                  ),
                }),
                anything,
              ),
              toolCallCancellation: fc.oneof(fc.record({ ids: fc.oneof(fc.array(fc.string()), anything) }), anything),
              usageMetadata: anything,
              goAway: fc.oneof(fc.record({ timeLeft: fc.oneof(fc.string(), anything) }), anything),
            },
            { requiredKeys: [] },
          )
          .map((value) => JSON.stringify(value) ?? "null"),
      );
    },
    describe(text) {
      return `text(${text.length}): ${JSON.stringify(text.slice(0, 200))}`;
    },
  };
}
