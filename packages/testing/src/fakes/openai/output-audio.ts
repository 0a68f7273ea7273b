import { encodeAlaw, encodeMulaw } from "@roomkit/audio";
import { formatOf, type SessionObject } from "./session-config.ts";
import { bytesOf, changeRate, samplesOf, speechMsFor, toneSamples } from "./tone.ts";
import type { OpenAIRealtimeFakeOptions } from "./types.ts";

/** Output chunks (base64 in the session's output format): the tone for `text`, or the brain's own audio. */
export function outputAudioChunks(
  session: SessionObject,
  options: OpenAIRealtimeFakeOptions,
  toneCache: Map<string, string>,
  reply: { text: string; audio?: Uint8Array; sampleRate?: number; audioMs?: number },
) {
  const format = formatOf(session.audio.output.format);
  const chunkMs = options.chunkMs ?? 100;
  const bytesPerMs = format.encoding === "pcm" ? 48 : 8;
  const encode = (pcm: Uint8Array) =>
    Buffer.from(
      format.encoding === "pcm" ? pcm : format.encoding === "pcmu" ? encodeMulaw(pcm) : encodeAlaw(pcm),
    ).toString("base64");
  const chunks: string[] = [];
  const durations: number[] = [];
  if (reply.audio) {
    const samples = changeRate(samplesOf(reply.audio), reply.sampleRate ?? 24000, format.sampleRate);
    const perChunk = Math.round((chunkMs * format.sampleRate) / 1000);
    for (let offset = 0; offset < samples.length; offset += perChunk) {
      const slice = samples.subarray(offset, offset + perChunk);
      chunks.push(encode(bytesOf(slice)));
      durations.push((slice.length * 1000) / format.sampleRate);
    }
    return { chunks, chunkMs: durations, bytesPerMs };
  }
  const totalMs = reply.audioMs ?? speechMsFor(reply.text);
  const key = `${format.encoding}:${chunkMs}`;
  let full = toneCache.get(key);
  if (full === undefined) {
    full = encode(bytesOf(toneSamples(chunkMs, format.sampleRate, options.toneDbfs ?? -12)));
    toneCache.set(key, full);
  }
  for (let doneMs = 0; doneMs < totalMs; doneMs += chunkMs) {
    const ms = Math.min(chunkMs, totalMs - doneMs);
    chunks.push(ms === chunkMs ? full : encode(bytesOf(toneSamples(ms, format.sampleRate, options.toneDbfs ?? -12))));
    durations.push(ms);
  }
  return { chunks, chunkMs: durations, bytesPerMs };
}
