/**
 * AudioWorklet processor (plain JS, loaded from a Blob URL): microphone → low-pass → streaming linear resampler to
 * the session input rate → 20 ms PCM16 frames posted to the main thread with their RMS level.
 */
export const CAPTURE_PROCESSOR_NAME = "roomkit-capture";

export const CAPTURE_WORKLET_SOURCE = `
class RoomKitCaptureProcessor extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const settings = options.processorOptions || {};
    this.targetRate = settings.targetRate || 16000;
    this.frameSamples = Math.max(1, Math.round((this.targetRate * (settings.frameMs || 20)) / 1000));
    this.step = sampleRate / this.targetRate;
    this.position = 0;
    this.previous = 0;
    this.frame = new Int16Array(this.frameSamples);
    this.fill = 0;
    this.sumSquares = 0;
    this.muted = false;
    // RBJ biquad low-pass at 0.45 x target rate when downsampling (anti-aliasing).
    this.filter = this.step > 1;
    if (this.filter) {
      const w0 = (2 * Math.PI * 0.45 * this.targetRate) / sampleRate;
      const alpha = Math.sin(w0) / (2 * 0.7071);
      const cos = Math.cos(w0);
      const a0 = 1 + alpha;
      this.b0 = (1 - cos) / 2 / a0; this.b1 = (1 - cos) / a0; this.b2 = this.b0;
      this.a1 = (-2 * cos) / a0; this.a2 = (1 - alpha) / a0;
      this.x1 = 0; this.x2 = 0; this.y1 = 0; this.y2 = 0;
    }
    this.scratch = new Float32Array(128);
    this.port.onmessage = (event) => {
      if (event.data && event.data.type === "mute") this.muted = !!event.data.muted;
    };
  }

  emit(sample) {
    const value = this.muted ? 0 : Math.max(-1, Math.min(1, sample));
    const int = value < 0 ? Math.round(value * 32768) : Math.round(value * 32767);
    this.frame[this.fill++] = int;
    this.sumSquares += value * value;
    if (this.fill === this.frameSamples) {
      const rms = Math.sqrt(this.sumSquares / this.frameSamples);
      this.port.postMessage({ type: "frame", pcm: this.frame.buffer, rms }, [this.frame.buffer]);
      this.frame = new Int16Array(this.frameSamples);
      this.fill = 0;
      this.sumSquares = 0;
    }
  }

  process(inputs) {
    const input = inputs[0];
    if (!input || input.length === 0 || !input[0]) return true;
    let samples = input[0];
    const length = samples.length;
    if (this.filter) {
      if (this.scratch.length < length) this.scratch = new Float32Array(length);
      const out = this.scratch;
      for (let index = 0; index < length; index++) {
        const x = samples[index];
        const y = this.b0 * x + this.b1 * this.x1 + this.b2 * this.x2 - this.a1 * this.y1 - this.a2 * this.y2;
        this.x2 = this.x1; this.x1 = x; this.y2 = this.y1; this.y1 = y;
        out[index] = y;
      }
      samples = out;
    }
    // position: where the next output sample lies, in input samples relative to this block (-1 = previous block's last).
    let position = this.position;
    while (position <= length - 1) {
      const index = Math.floor(position);
      const fraction = position - index;
      const a = index < 0 ? this.previous : samples[index];
      const b = index + 1 < length ? samples[index + 1] : a;
      this.emit(a + (b - a) * fraction);
      position += this.step;
    }
    this.position = position - length;
    this.previous = samples[length - 1];
    return true;
  }
}
registerProcessor("${CAPTURE_PROCESSOR_NAME}", RoomKitCaptureProcessor);
`;
