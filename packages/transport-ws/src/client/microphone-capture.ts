import { CAPTURE_PROCESSOR_NAME, CAPTURE_WORKLET_SOURCE } from "./worklets/capture-worklet-source.ts";
import { loadWorkletSource } from "./worklet-loader.ts";

export interface MicrophoneCaptureOptions {
  context: AudioContext;
  /** The session's input rate (what the server expects). */
  targetRate: number;
  frameMs?: number;
  /** Extra getUserMedia audio constraints (echo cancellation, noise suppression and auto gain are on by default). */
  constraints?: MediaTrackConstraints;
  /** One PCM16 frame of `frameMs` at `targetRate`, and its RMS (0..1). */
  onFrame: (pcm: Int16Array<ArrayBuffer>, rms: number) => void;
}

/** Microphone → AudioWorklet → 20 ms PCM16 frames at the session's input rate. */
export class MicrophoneCapture {
  readonly stream: MediaStream;
  readonly #source: MediaStreamAudioSourceNode;
  readonly #node: AudioWorkletNode;
  readonly #sink: GainNode;

  private constructor(stream: MediaStream, source: MediaStreamAudioSourceNode, node: AudioWorkletNode, sink: GainNode) {
    this.stream = stream;
    this.#source = source;
    this.#node = node;
    this.#sink = sink;
  }

  static async start(options: MicrophoneCaptureOptions): Promise<MicrophoneCapture> {
    const { context } = options;
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: {
        echoCancellation: true,
        noiseSuppression: true,
        autoGainControl: true,
        channelCount: 1,
        ...options.constraints,
      },
    });
    await loadWorkletSource(context, CAPTURE_PROCESSOR_NAME, CAPTURE_WORKLET_SOURCE);
    const source = context.createMediaStreamSource(stream);
    const node = new AudioWorkletNode(context, CAPTURE_PROCESSOR_NAME, {
      numberOfInputs: 1,
      numberOfOutputs: 1,
      channelCount: 1,
      channelCountMode: "explicit",
      processorOptions: { targetRate: options.targetRate, frameMs: options.frameMs ?? 20 },
    });
    node.port.onmessage = (event: MessageEvent) => {
      const data = event.data as { type: string; pcm: ArrayBuffer; rms: number };
      if (data.type === "frame") options.onFrame(new Int16Array(data.pcm), data.rms);
    };
    // A muted sink keeps the graph pulling without echoing the mic to the speakers.
    const sink = context.createGain();
    sink.gain.value = 0;
    source.connect(node);
    node.connect(sink);
    sink.connect(context.destination);
    return new MicrophoneCapture(stream, source, node, sink);
  }

  /** Muted frames are silence (the server's VAD still sees time passing). */
  setMuted(muted: boolean): void {
    this.#node.port.postMessage({ type: "mute", muted });
  }

  stop(): void {
    this.#node.port.onmessage = null;
    this.#source.disconnect();
    this.#node.disconnect();
    this.#sink.disconnect();
    for (const track of this.stream.getTracks()) track.stop();
  }
}
