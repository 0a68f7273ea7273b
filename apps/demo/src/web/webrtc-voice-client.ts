// The page's WebRTC mode: the transport-webrtc browser client behind the same events and stats the page reads from
// the WebSocket client (transcript bubbles, speaking, levels, clears, tool calls).
import { FastRTCClient, type FastRTCClientPlayback } from "@roomkit/transport-webrtc/client";
import {
  emptyVoiceClientStats,
  TranscriptAssembler,
  TypedEmitter,
  type VoiceClientEvents,
  type VoiceClientState,
  type VoiceClientStats,
} from "@roomkit/transport-ws/client";

export class WebRTCVoiceClient extends TypedEmitter<VoiceClientEvents> {
  readonly transcript = new TranscriptAssembler();
  readonly stats: VoiceClientStats = emptyVoiceClientStats();
  state: VoiceClientState = "idle";
  micMuted = false;
  readonly client: FastRTCClient;
  #levelTimer: ReturnType<typeof setInterval> | undefined;

  constructor(options: { offerUrl: string; play: FastRTCClientPlayback; outputSampleRate: number }) {
    super();
    this.client = new FastRTCClient(options);
    this.client.on("state", ({ state, reason }) => {
      this.state = state === "idle" ? "idle" : state;
      this.emit("state", { state: this.state, reason });
    });
    this.client.on("clear", ({ bufferedMsBefore }) => {
      this.stats.clears++;
      this.stats.lastClearDiscardedMs = bufferedMsBefore;
      this.emit("clear", { latencyMs: 0, discarded: Math.round(bufferedMsBefore * 48), bufferedMsBefore });
    });
    this.client.on("message", (message) => this.#onMessage(message));
  }

  async start(): Promise<void> {
    await this.client.start();
    this.#levelTimer = setInterval(() => this.#level(), 100);
  }

  async stop(): Promise<void> {
    clearInterval(this.#levelTimer);
    this.client.stop();
  }

  setMicMuted(muted: boolean): void {
    this.micMuted = muted;
    this.client.setMicMuted(muted);
  }

  /**
   * The assistant's audio now: zero-crossing frequency (Hz) over the audible part of the analyser's window (a reply
   * may start or stop inside it), and the window's peak (0..1).
   */
  measureOutput(): { hz: number; peak: number } {
    const analyser = this.client.analyser;
    if (analyser === undefined) return { hz: 0, peak: 0 };
    const data = new Float32Array(analyser.fftSize);
    analyser.getFloatTimeDomainData(data);
    let peak = 0;
    let first = -1;
    let last = -1;
    for (let index = 0; index < data.length; index++) {
      const level = Math.abs(data[index]!);
      peak = Math.max(peak, level);
      if (level > 0.02) {
        if (first < 0) first = index;
        last = index;
      }
    }
    let crossings = 0;
    for (let index = first + 1; first >= 0 && index <= last; index++) {
      if (data[index - 1]! < 0 !== data[index]! < 0) crossings++;
    }
    const span = last - first;
    return { hz: span > 0 ? (crossings / 2) * (analyser.context.sampleRate / span) : 0, peak };
  }

  #level(): void {
    const { peak } = this.measureOutput();
    const rtc = this.client.stats;
    this.stats.framesSent = rtc.packetsSent;
    this.stats.audioMessagesReceived = this.client.play === "track" ? rtc.packetsReceived : rtc.mediaMessagesReceived;
    this.stats.playedMs = rtc.playedMs;
    this.stats.bufferedMs = rtc.bufferedMs;
    this.stats.playbackReportsSent = rtc.playbackReportsSent;
    this.emit("level", { input: 0, output: peak / 3, playing: peak > 0.02 });
  }

  #onMessage(message: Record<string, unknown>): void {
    this.emit("message", message);
    if (message.type === "transcription") {
      const bubble = this.transcript.apply({
        text: String(message.text ?? ""),
        role: message.role === "assistant" ? "assistant" : "user",
        is_final: message.is_final === true,
      });
      this.emit("transcript", { bubble, bubbles: this.transcript.bubbles });
    } else if (message.type === "speaking") {
      this.emit("speaking", {
        who: message.who === "assistant" ? "assistant" : "user",
        speaking: message.speaking === true,
      });
    } else if (message.type === "session_started") {
      this.stats.sessionId = typeof message.session_id === "string" ? message.session_id : undefined;
    } else if (message.type === "tool_call") {
      this.emit("toolCall", {
        name: String(message.name),
        callId: String(message.call_id),
        arguments: (message.arguments ?? {}) as Record<string, unknown>,
        result: message.result as string | undefined,
      });
    }
  }
}
