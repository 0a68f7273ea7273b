import { Pcm16Aligner } from "@roomkit/audio";
import { recordFirstAudioSent } from "../metrics/turn-latency.ts";
import type { ChannelRuntime } from "../runtime.ts";
import { SessionPhase } from "../session/lifecycle-state.ts";
import type { SessionState } from "../session/session-state.ts";
import { PlaybackTracker } from "../speech/playback-tracker.ts";
import { meterOutputLevel } from "./level-meter.ts";
import { OutboundItem, OutboundQueue } from "./outbound-items.ts";

/**
 * Model → caller, for one chunk (kept sample-aligned when the provider splits a sample). Dropped while the user
 * speaks (post-barge-in refill), after a barge-in cut the response (transport without `interrupt`), when output is
 * muted, or once the session ends. Sent at once when nothing is queued and the transport is not busy; otherwise
 * queued (bounded: the newest chunk is dropped and counted). Each queued chunk carries the generation it was
 * produced in, so audio that was stale after a barge-in is never sent.
 */
export function handleProviderAudio(runtime: ChannelRuntime, state: SessionState, chunk: Uint8Array): void {
  const phase = state.lifecycle.phase;
  if (phase > SessionPhase.LIVE || chunk.byteLength === 0) return;
  const outbound = state.outbound;
  let audio = chunk;
  // Aligned before any gate, so a dropped chunk never shifts the parity of what follows.
  const aligner = outbound.aligner;
  if (aligner !== undefined || (chunk.byteLength & 1) !== 0) {
    audio = (aligner ?? (outbound.aligner = new Pcm16Aligner())).align(chunk);
    if (audio.byteLength === 0) return;
  }
  if (state.speech.userSpeaking || outbound.responseCut) return;
  if (state.binding?.outputMuted === true) return;
  outbound.forwardedInResponse++;
  const turns = state.turns;
  if (turns?.waiting) turns.onProviderAudio(runtime.clock.now());
  const queue = outbound.queue;
  if (!outbound.busy && phase === SessionPhase.LIVE && (queue === undefined || queue.length === 0)) {
    sendChunk(runtime, state, audio);
    return;
  }
  enqueue(runtime, state, audio);
}

/** The response's audio is complete: after every queued chunk, flush the resampler and call `endOfResponse`. */
export function endOutboundResponse(runtime: ChannelRuntime, state: SessionState): void {
  const phase = state.lifecycle.phase;
  if (phase > SessionPhase.LIVE) return;
  const outbound = state.outbound;
  const queue = outbound.queue;
  if (!outbound.busy && phase === SessionPhase.LIVE && (queue === undefined || queue.length === 0)) {
    finishResponse(runtime, state);
    return;
  }
  (outbound.queue ??= new OutboundQueue()).push(OutboundItem.FLUSH_AND_END, undefined, outbound.generation);
}

/**
 * Barge-in: a new generation; queued audio (end-of-response markers stay) and the resampler's history are
 * forgotten. `cutResponse`: the rest of the current response is dropped too (the transport cannot interrupt).
 */
export function interruptOutbound(state: SessionState, cutResponse: boolean): void {
  const outbound = state.outbound;
  outbound.generation++;
  outbound.queue?.dropAudio();
  outbound.resampler?.reset();
  if (cutResponse) outbound.responseCut = true;
  outbound.playback?.reset();
  outbound.forwardedInResponse = 0;
}

/** A new response: output re-opens and position tracking restarts. */
export function startOutboundResponse(state: SessionState): void {
  const outbound = state.outbound;
  outbound.forwardedInResponse = 0;
  outbound.aligner?.reset();
  outbound.responseCut = false;
  outbound.playback?.startResponse();
}

/** Teardown: nothing queued is sent, a later send is stale. */
export function clearOutbound(state: SessionState): void {
  const outbound = state.outbound;
  outbound.queue = undefined;
  outbound.generation++;
}

/** Starts sending what was queued (after the session goes live). */
export function drainOutbound(runtime: ChannelRuntime, state: SessionState): void {
  const outbound = state.outbound;
  const queue = outbound.queue;
  if (queue === undefined) return;
  while (queue.length > 0 && !outbound.busy) {
    if (state.lifecycle.phase !== SessionPhase.LIVE) return;
    const kind = queue.shift();
    if (kind === OutboundItem.FLUSH_AND_END) finishResponse(runtime, state);
    else if (kind === OutboundItem.END_ONLY) endResponse(runtime, state);
    else if (queue.generation === outbound.generation) sendChunk(runtime, state, queue.chunk!);
  }
}

function enqueue(runtime: ChannelRuntime, state: SessionState, audio: Uint8Array): void {
  const outbound = state.outbound;
  const queue = (outbound.queue ??= new OutboundQueue());
  if (queue.length >= runtime.options.maxOutboundQueue) {
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
  queue.push(OutboundItem.AUDIO, audio, outbound.generation);
}

function sendChunk(runtime: ChannelRuntime, state: SessionState, audio: Uint8Array): void {
  const resampler = state.outbound.resampler;
  const out = resampler === undefined ? audio : resampler.process(audio);
  if (out.byteLength === 0) return;
  send(runtime, state, out);
}

function send(runtime: ChannelRuntime, state: SessionState, out: Uint8Array): void {
  if (state.binding?.outputMuted === true) return;
  const session = state.session;
  const outbound = state.outbound;
  const playback = (outbound.playback ??= new PlaybackTracker());
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
    outbound.busy = true;
    awaitOutboundSend(runtime, state, result as Promise<void>);
  }
}

/** Kept apart from `send` so its closures don't make every synchronous send allocate their scope. */
function awaitOutboundSend(runtime: ChannelRuntime, state: SessionState, pending: Promise<void>): void {
  const outbound = state.outbound;
  pending.then(
    () => {
      outbound.busy = false;
      drainOutbound(runtime, state);
    },
    (error) => {
      runtime.logger.warn("transport.sendAudio failed", { sessionId: state.session.id, error });
      outbound.busy = false;
      drainOutbound(runtime, state);
    },
  );
}

function finishResponse(runtime: ChannelRuntime, state: SessionState): void {
  const outbound = state.outbound;
  const resampler = outbound.resampler;
  if (resampler !== undefined) {
    const tail = resampler.flush();
    if (tail.byteLength > 0) {
      send(runtime, state, tail);
      if (outbound.busy) {
        (outbound.queue ??= new OutboundQueue()).unshift(OutboundItem.END_ONLY, outbound.generation);
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
