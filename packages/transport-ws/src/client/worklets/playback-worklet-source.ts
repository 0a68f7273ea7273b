/**
 * AudioWorklet processor (plain JS, loaded from a Blob URL): a jitter buffer for the server's PCM16 audio.
 * Resamples the source rate to the context rate on arrival, starts playing once `jitterMs` is buffered (or the
 * response ended), reports status a few times a second, and empties itself at once on `clear`.
 */
export const PLAYBACK_PROCESSOR_NAME = "roomkit-playback";

export const PLAYBACK_WORKLET_SOURCE = `
class RoomKitPlaybackProcessor extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const settings = options.processorOptions || {};
    this.sourceRate = settings.sourceRate || 24000;
    this.step = this.sourceRate / sampleRate;
    this.capacity = Math.round(sampleRate * (settings.maxBufferSeconds || 30));
    this.ring = new Float32Array(this.capacity);
    this.read = 0;
    this.write = 0;
    this.count = 0;
    this.prebuffer = Math.round((sampleRate * (settings.jitterMs || 60)) / 1000);
    this.playing = false;
    this.ended = false;
    this.position = 0;
    this.previous = 0;
    this.played = 0;
    this.dropped = 0;
    this.underruns = 0;
    this.sumSquares = 0;
    this.levelSamples = 0;
    this.reportEvery = Math.round((sampleRate * (settings.reportMs || 100)) / 1000);
    this.sinceReport = 0;
    this.port.onmessage = (event) => this.onMessage(event.data);
  }

  onMessage(message) {
    if (!message) return;
    if (message.type === "push") this.push(new Int16Array(message.pcm));
    else if (message.type === "clear") {
      const discarded = this.count;
      this.read = this.write = this.count = 0;
      this.playing = false;
      this.ended = false;
      this.position = 0;
      this.previous = 0;
      this.played = 0;
      this.port.postMessage({ type: "cleared", id: message.id, discarded: discarded, buffered: this.count });
      this.report();
    } else if (message.type === "end") this.ended = true;
    else if (message.type === "resetPosition") this.played = 0;
  }

  store(value) {
    if (this.count === this.capacity) {
      this.read = (this.read + 1) % this.capacity;
      this.count--;
      this.dropped++;
    }
    this.ring[this.write] = value;
    this.write = (this.write + 1) % this.capacity;
    this.count++;
  }

  push(pcm) {
    this.ended = false;
    const length = pcm.length;
    if (length === 0) return;
    let position = this.position;
    while (position <= length - 1) {
      const index = Math.floor(position);
      const fraction = position - index;
      const a = (index < 0 ? this.previous : pcm[index]) / 32768;
      const b = (index + 1 < length ? pcm[index + 1] : pcm[length - 1]) / 32768;
      this.store(a + (b - a) * fraction);
      position += this.step;
    }
    this.position = position - length;
    this.previous = pcm[length - 1];
  }

  report() {
    const level = this.levelSamples > 0 ? Math.sqrt(this.sumSquares / this.levelSamples) : 0;
    this.port.postMessage({
      type: "status",
      playedMs: (this.played * 1000) / sampleRate,
      bufferedMs: (this.count * 1000) / sampleRate,
      playing: this.playing,
      level: level,
      underruns: this.underruns,
      dropped: this.dropped,
    });
    this.sumSquares = 0;
    this.levelSamples = 0;
    this.sinceReport = 0;
  }

  process(_inputs, outputs) {
    const output = outputs[0];
    const channel = output[0];
    const length = channel.length;
    if (!this.playing && this.count > 0 && (this.count >= this.prebuffer || this.ended)) this.playing = true;
    let written = 0;
    if (this.playing) {
      while (written < length && this.count > 0) {
        const value = this.ring[this.read];
        channel[written++] = value;
        this.sumSquares += value * value;
        this.read = (this.read + 1) % this.capacity;
        this.count--;
      }
      this.played += written;
      this.levelSamples += written;
      if (this.count === 0) {
        if (!this.ended) this.underruns++;
        this.playing = false;
        this.report();
      }
    }
    for (let index = written; index < length; index++) channel[index] = 0;
    for (let other = 1; other < output.length; other++) output[other].set(channel);
    this.sinceReport += length;
    if (this.sinceReport >= this.reportEvery) this.report();
    return true;
  }
}
registerProcessor("${PLAYBACK_PROCESSOR_NAME}", RoomKitPlaybackProcessor);
`;
