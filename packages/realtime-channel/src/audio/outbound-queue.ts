import type { ChannelRuntime } from "../runtime.ts";
import { SessionPhase, type SessionState } from "../session/session-state.ts";
import { PlaybackTracker } from "../speech/playback-tracker.ts";
import { recordFirstAudioSent } from "../metrics/turn-latency.ts";
import { meterOutputLevel } from "./level-meter.ts";
import { alignProviderAudio } from "./pcm16-carry.ts";

/** Queue marker: flush the outbound resampler's tail, then `endOfResponse`. */
const FLUSH_AND_END = null;
/** Queue marker: `endOfResponse` only (the tail was already sent). */
const END_ONLY = undefined;

/**
 * Model → caller, for one chunk (kept sample-aligned when the provider splits a sample). Dropped while the user speaks (post-barge-in refill), when output is muted, or
 * once the session ends. Sent at once when nothing is queued and the transport is not busy; otherwise queued
 * (bounded: the newest chunk is dropped and counted). Each queued chunk carries the generation it was produced
 * in, so audio that was stale after a barge-in is never sent.
 */
export function handleProviderAudio(runtime: ChannelRuntime, state: SessionState, chunk: Uint8Array): void {
  if (state.phase > SessionPhase.LIVE || chunk.byteLength === 0) return;
  let audio = chunk;
  if (state.outboundCarry >= 0 || (chunk.byteLength & 1) !== 0) {
    audio = alignProviderAudio(state, chunk);
    if (audio.byteLength === 0) return;
  }
  if (state.userSpeaking) return;
  if (state.binding?.outputMuted === true) return;
  state.forwardedInResponse++;
  const turns = state.turns;
  if (turns?.waiting) turns.onProviderAudio(runtime.clock.now());
  const items = state.outboundItems;
  if (!state.outboundBusy && state.phase === SessionPhase.LIVE && (items === undefined || items.length === 0)) {
    sendChunk(runtime, state, audio);
    return;
  }
  enqueue(runtime, state, audio);
}

/** The response's audio is complete: after every queued chunk, flush the resampler and call `endOfResponse`. */
export function endOutboundResponse(runtime: ChannelRuntime, state: SessionState): void {
  if (state.phase > SessionPhase.LIVE) return;
  const items = state.outboundItems;
  if (!state.outboundBusy && state.phase === SessionPhase.LIVE && (items === undefined || items.length === 0)) {
    finishResponse(runtime, state);
    return;
  }
  (state.outboundItems ??= []).push(FLUSH_AND_END);
  (state.outboundGenerations ??= []).push(state.generation);
}

/** Barge-in: forget queued audio (end-of-response markers stay) and the resampler's history. */
export function discardQueuedAudio(state: SessionState): void {
  const items = state.outboundItems;
  const generations = state.outboundGenerations;
  if (items !== undefined && generations !== undefined && items.length > 0) {
    let kept = 0;
    for (let index = 0; index < items.length; index++) {
      const item = items[index];
      if (item === FLUSH_AND_END || item === END_ONLY) {
        items[kept] = item;
        generations[kept] = generations[index]!;
        kept++;
      }
    }
    items.length = kept;
    generations.length = kept;
  }
  state.outboundResampler?.reset();
}

/** Starts sending what was queued (after the session goes live). */
export function drainOutbound(runtime: ChannelRuntime, state: SessionState): void {
  const items = state.outboundItems;
  const generations = state.outboundGenerations;
  if (items === undefined || generations === undefined) return;
  while (items.length > 0 && !state.outboundBusy) {
    if (state.phase !== SessionPhase.LIVE) return;
    const item = items.shift();
    const generation = generations.shift();
    if (item === FLUSH_AND_END) finishResponse(runtime, state);
    else if (item === END_ONLY) endResponse(runtime, state);
    else if (generation === state.generation) sendChunk(runtime, state, item);
  }
}

function enqueue(runtime: ChannelRuntime, state: SessionState, audio: Uint8Array): void {
  const items = (state.outboundItems ??= []);
  if (items.length >= runtime.options.maxOutboundQueue) {
    const metrics = state.session.metrics;
    if (metrics.outboundDropped++ % 100 === 0) {
      runtime.logger.warn("Outbound audio queue full; dropping the newest chunk", {
        sessionId: state.session.id,
        dropped: metrics.outboundDropped,
        limit: runtime.options.maxOutboundQueue,
      });
    }
    return;
  }
  items.push(audio);
  (state.outboundGenerations ??= []).push(state.generation);
}

function sendChunk(runtime: ChannelRuntime, state: SessionState, audio: Uint8Array): void {
  const resampler = state.outboundResampler;
  const out = resampler === undefined ? audio : resampler.process(audio);
  if (out.byteLength === 0) return;
  send(runtime, state, out);
}

function send(runtime: ChannelRuntime, state: SessionState, out: Uint8Array): void {
  if (state.binding?.outputMuted === true) return;
  const session = state.session;
  const playback = (state.playback ??= new PlaybackTracker());
  // The clock is read only when needed: the response's first chunk (wall-clock position) and turn measurement.
  if (playback.firstSentAt < 0) playback.firstSentAt = runtime.clock.now();
  playback.sentMs += (out.byteLength * 500) / state.rates.transportOut;
  session.metrics.outboundFrames++;
  const turns = state.turns;
  if (turns?.measuring) recordFirstAudioSent(runtime, state, runtime.clock.now());
  if (!runtime.transport.capabilities.playbackCallback) meterOutputLevel(runtime, state, out);
  let result: unknown;
  try {
    result = runtime.transport.sendAudio(session, out);
  } catch (error) {
    runtime.logger.warn("transport.sendAudio failed", { sessionId: session.id, error });
    return;
  }
  if (result !== undefined && result !== null && typeof (result as Promise<void>).then === "function") {
    state.outboundBusy = true;
    (result as Promise<void>).then(
      () => {
        state.outboundBusy = false;
        drainOutbound(runtime, state);
      },
      (error) => {
        runtime.logger.warn("transport.sendAudio failed", { sessionId: session.id, error });
        state.outboundBusy = false;
        drainOutbound(runtime, state);
      },
    );
  }
}

function finishResponse(runtime: ChannelRuntime, state: SessionState): void {
  const resampler = state.outboundResampler;
  if (resampler !== undefined) {
    const tail = resampler.flush();
    if (tail.byteLength > 0) {
      send(runtime, state, tail);
      if (state.outboundBusy) {
        (state.outboundItems ??= []).unshift(END_ONLY);
        (state.outboundGenerations ??= []).unshift(state.generation);
        return;
      }
    }
  }
  endResponse(runtime, state);
}

function endResponse(runtime: ChannelRuntime, state: SessionState): void {
  try {
    runtime.transport.endOfResponse(state.session);
  } catch (error) {
    runtime.logger.warn("transport.endOfResponse failed", { sessionId: state.session.id, error });
  }
}
