import type { Clock } from "@roomkit/spec";
import type { WebSocket } from "ws";
import { type ConversationStore, chooseConversation } from "./conversation-store.ts";
import { defaultBrain } from "./default-brain.ts";
import { EnergyVad } from "./energy-vad.ts";
import { closeReason, type FaultState } from "./fault-state.ts";
import { clientContentRefused, declaredFunctions, modelProfileOf, validateSetup } from "./setup-validation.ts";
import { InputTranscription } from "./input-transcription.ts";
import { streamReply, turnCompleteWithUsage } from "./reply-stream.ts";
import type {
  FakeConnectionInfo,
  FakeConversationInfo,
  FakeReply,
  FakeUserTurn,
  GeminiClientMessage,
  GeminiModelProfile,
  GeminiServerMessage,
  GeminiSetup,
  GeminiLiveFakeOptions,
  ReceivedClientMessage,
} from "./types.ts";

/** What a connection shares with the fake server. */
export interface FakeServerContext {
  readonly options: GeminiLiveFakeOptions;
  readonly models: readonly string[];
  readonly clock: Clock;
  readonly store: ConversationStore;
  readonly faults: FaultState;
  readonly transcripts: string[];
  record(entry: ReceivedClientMessage): void;
  /** Called after a client message has been fully handled (waiters see its effects). */
  handled(entry: ReceivedClientMessage): void;
  nextCallId(): string;
  /** Live connections of a conversation (a resumed session supersedes them). */
  connectionsOf(conversationId: number): FakeConnection[];
}

interface Generation {
  cancelled: boolean;
}

const CLIENT_KEYS = ["setup", "clientContent", "realtimeInput", "toolResponse", "contextUpdate"];

/** One client connection: setup, input, VAD, generation, tools, resumption, lifetime. */
export class FakeConnection {
  readonly info: FakeConnectionInfo;
  readonly #socket: WebSocket;
  readonly #context: FakeServerContext;
  #setup: GeminiSetup | undefined;
  #conversation: FakeConversationInfo | undefined;
  #profile: GeminiModelProfile = "2.5";
  #vad: EnergyVad | undefined;
  #manualTurnOpen = false;
  #manualTurnMs = 0;
  readonly #transcription: InputTranscription;
  #generation: Generation | undefined;
  readonly #pendingCalls = new Map<string, string>();
  readonly #toolResults: Array<{ name: string; response: unknown }> = [];
  #seedingOpen = true;
  #realtimeInputSeen = false;
  #clientContentSeen = false;
  #videoSeen = false;
  readonly #timers = new Set<unknown>();
  readonly #held = new Map<string, GeminiServerMessage>();

  constructor(socket: WebSocket, info: FakeConnectionInfo, context: FakeServerContext) {
    this.#socket = socket;
    this.info = info;
    this.#context = context;
    this.#transcription = new InputTranscription({
      fake: context.options,
      queue: context.transcripts,
      send: (message) => this.send(message),
    });
    socket.on("message", (data: Buffer | ArrayBuffer | Buffer[]) => this.#onFrame(data));
    socket.on("close", (code: number, reason: Buffer) => this.#onClosed(code, reason.toString()));
    socket.on("error", () => this.#onClosed(1006, ""));
  }

  get conversation(): FakeConversationInfo | undefined {
    return this.#conversation;
  }
  get generating(): boolean {
    return this.#generation !== undefined;
  }
  get pendingToolCalls(): readonly string[] {
    return [...this.#pendingCalls.keys()];
  }
  /** Not closed, and no close frame read from the client either. */
  get isOpen(): boolean {
    return !this.info.closed && this.#socket.readyState === this.#socket.OPEN;
  }

  // ---- outbound ----
  send(message: GeminiServerMessage): void {
    if (this.info.closed) return;
    this.#context.faults.apply(
      message,
      this.#held,
      (outgoing) => this.#write(outgoing),
      (later, delayMs) => this.#timer(later, delayMs),
    );
  }

  /** Sends raw text as is (fault injection). */
  sendText(text: string): void {
    if (!this.info.closed) this.#socket.send(this.#context.options.textFrames ? text : Buffer.from(text));
  }

  #write(message: GeminiServerMessage): void {
    if (this.info.closed) return;
    this.info.sentMessages.push(message);
    const json = JSON.stringify(message);
    this.#socket.send(this.#context.options.textFrames ? json : Buffer.from(json));
  }

  /** Closes with a code and a reason (truncated to 123 bytes, like the real server). */
  close(code: number, reason: string): void {
    if (this.info.closed) return;
    this.info.closeCode = code;
    this.info.closeReason = closeReason(reason);
    this.#socket.close(code, this.info.closeReason);
    this.#stop();
  }

  /** Drops the TCP connection without a close frame (the client sees 1006). */
  drop(): void {
    if (this.info.closed) return;
    this.info.closeCode = 1006;
    this.#socket.terminate();
    this.#stop();
  }

  goAway(timeLeftMs: number): void {
    this.send({ goAway: { timeLeft: `${Math.max(0, Math.round(timeLeftMs / 1000))}s` } });
  }

  /**
   * A user turn cut by the end of the connection (or superseded by a resumed one) never happened for the server:
   * its transcript goes back to the queue, so a resumed session that hears the audio again gets it.
   */
  abandonOpenTurn(): void {
    this.#transcription.abandon(this.#vad?.speaking === true || this.#manualTurnOpen);
    this.#vad?.forceEnd();
    this.#manualTurnOpen = false;
  }

  #stop(): void {
    this.abandonOpenTurn();
    this.info.closed = true;
    if (this.#generation) this.#generation.cancelled = true;
    this.#generation = undefined;
    for (const timer of this.#timers) this.#context.clock.clearTimeout(timer);
    this.#timers.clear();
  }

  #onClosed(code: number, reason: string): void {
    if (this.info.closed) return;
    this.info.closeCode = code;
    this.info.closeReason = reason;
    this.#stop();
  }

  #timer(callback: () => void, delayMs: number): void {
    const handle = this.#context.clock.setTimeout(() => {
      this.#timers.delete(handle);
      if (!this.info.closed) callback();
    }, delayMs);
    this.#timers.add(handle);
  }

  #sleep(delayMs: number): Promise<void> {
    return new Promise((resolve) => this.#timer(resolve, delayMs));
  }

  // ---- inbound ----
  #onFrame(data: Buffer | ArrayBuffer | Buffer[]): void {
    if (this.info.closed) return;
    const text = Array.isArray(data) ? Buffer.concat(data).toString() : Buffer.from(data as ArrayBuffer).toString();
    let message: GeminiClientMessage;
    try {
      message = JSON.parse(text) as GeminiClientMessage;
    } catch {
      this.close(1007, "Invalid JSON payload received. Unexpected token.");
      return;
    }
    if (typeof message !== "object" || message === null || Array.isArray(message)) {
      this.close(1007, "Invalid JSON payload received. Expected an object.");
      return;
    }
    const entry: ReceivedClientMessage = { at: this.#context.clock.now(), connectionId: this.info.id, message };
    this.#context.record(entry);
    try {
      this.#dispatch(message);
    } finally {
      this.#context.handled(entry);
    }
  }

  #dispatch(message: GeminiClientMessage): void {
    const keys = Object.keys(message);
    const unknown = keys.find((key) => !CLIENT_KEYS.includes(key));
    if (unknown !== undefined) {
      this.close(1007, `Invalid JSON payload received. Unknown name "${unknown}": Cannot find field.`);
      return;
    }
    if (this.#setup === undefined) {
      if (!message.setup) this.close(1007, "Request contains an invalid argument.");
      else this.#onSetup(message.setup);
      return;
    }
    if (message.setup) this.close(1007, "Request contains an invalid argument.");
    else if (message.realtimeInput) this.#onRealtimeInput(message.realtimeInput);
    else if (message.clientContent) this.#onClientContent(message.clientContent);
    else if (message.toolResponse) this.#onToolResponse(message.toolResponse);
  }

  #onSetup(setup: GeminiSetup): void {
    const context = this.#context;
    const rejection = validateSetup(setup, this.info.apiVersion, context.models);
    if (rejection) return void this.close(rejection.code, rejection.reason);
    if (context.faults.quotaReason !== undefined) return void this.close(1011, context.faults.quotaReason);
    const injected = context.faults.rejectSetups;
    if (injected && injected.count > 0) {
      injected.count--;
      return void this.close(injected.code, injected.reason);
    }
    const handle = setup.sessionResumption?.handle;
    const others = (id: number) => context.connectionsOf(id).filter((other) => other !== this);
    const choice = chooseConversation(context.store, handle, context.options, (id) =>
      others(id).some((other) => other.isOpen),
    );
    if (!("conversation" in choice)) return void this.close(choice.code, choice.reason);
    const conversation = choice.conversation;
    if (choice.resumed) {
      this.info.resumedFrom = handle;
      for (const other of others(conversation.id)) other.abandonOpenTurn();
    }
    this.#setup = setup;
    this.info.setup = setup;
    this.#conversation = conversation;
    this.info.conversationId = conversation.id;
    conversation.connections.push(this.info.id);
    this.#profile = modelProfileOf(String(setup.model), context.options.modelProfile);
    const vad = setup.realtimeInputConfig?.automaticActivityDetection;
    if (!vad?.disabled) {
      this.#vad = new EnergyVad({
        startSensitivity: vad?.startOfSpeechSensitivity,
        endSensitivity: vad?.endOfSpeechSensitivity,
        prefixPaddingMs: vad?.prefixPaddingMs,
        silenceDurationMs: vad?.silenceDurationMs,
      });
    }
    const complete = () => {
      this.send({
        setupComplete: context.options.sessionIdInSetupComplete ? { sessionId: `session_${this.info.id}` } : {},
      });
      this.#sendResumptionUpdate(true);
      this.#startLifetime();
    };
    const delay = context.options.setupDelayMs ?? 0;
    if (delay > 0) this.#timer(complete, delay);
    else complete();
  }

  #startLifetime(): void {
    const options = this.#context.options;
    const lifetime = options.connectionLifetimeMs ?? 10 * 60_000;
    const lead = Math.min(options.goAwayLeadMs ?? 60_000, lifetime);
    this.#timer(() => this.goAway(lead), lifetime - lead);
    this.#timer(() => this.close(options.lifetimeCloseCode ?? 1000, ""), lifetime);
    this.#armSessionLimit();
  }

  #armSessionLimit(): void {
    if (this.#setup?.contextWindowCompression || !this.#conversation) return;
    const limit = this.#videoSeen ? 2 * 60_000 : (this.#context.options.sessionLimitMs ?? 15 * 60_000);
    const remaining = limit - (this.#context.clock.now() - this.#conversation.startedAt);
    this.#timer(() => this.close(1011, "Deadline expired before operation could complete."), Math.max(0, remaining));
  }

  #sendResumptionUpdate(resumable: boolean): void {
    if (!this.#setup?.sessionResumption || !this.#conversation) return;
    const newHandle = resumable ? this.#context.store.issue(this.#conversation) : "";
    this.send({ sessionResumptionUpdate: { newHandle, resumable } });
  }

  #misuse(): boolean {
    if (this.#context.options.manualVadMisuse === "ignore") return true;
    this.close(1007, "Request contains an invalid argument.");
    return false;
  }

  #onRealtimeInput(input: NonNullable<GeminiClientMessage["realtimeInput"]>): void {
    if (input.mediaChunks !== undefined) {
      // Deprecated and refused: audio goes in `audio`, images in `video`.
      const reason = `Invalid JSON payload received. Unknown name "mediaChunks" at 'realtime_input': Cannot find field.`;
      return void this.close(1007, reason);
    }
    this.#seedingOpen = false;
    this.#realtimeInputSeen = true;
    const audio = input.audio;
    if (audio) this.#onAudio(audio.mimeType, audio.data);
    if (input.video) {
      if (!this.#videoSeen) {
        this.#videoSeen = true;
        this.#armSessionLimit();
      }
    }
    if (input.activityStart) {
      if (this.#vad) return void this.#misuse();
      this.#manualTurnOpen = true;
      this.#manualTurnMs = 0;
      this.#beginUserTurn();
    }
    if (input.activityEnd) {
      if (this.#vad) return void this.#misuse();
      if (this.#manualTurnOpen) {
        this.#manualTurnOpen = false;
        this.#endUserTurn(this.#manualTurnMs, 0.25);
      }
    }
    if (input.audioStreamEnd) {
      if (!this.#vad) return void this.#misuse();
      const vad = this.#vad;
      if (vad.forceEnd()) this.#endUserTurn(vad.speechMs, vad.rms);
    }
    if (typeof input.text === "string") {
      this.#interrupt();
      this.#respond({ kind: "text", text: input.text });
    }
  }

  #onAudio(mimeType: string | undefined, data: string | undefined): void {
    if (!mimeType?.startsWith("audio/pcm")) {
      this.close(1007, `Unsupported mime type: ${String(mimeType)}`);
      return;
    }
    const rate = Number(/rate=(\d+)/.exec(mimeType)?.[1] ?? 16000);
    const bytes = Buffer.from(data ?? "", "base64");
    this.info.audioMessages++;
    this.info.audioBytes += bytes.length;
    if (this.#conversation) {
      this.#conversation.audioMessages++;
      this.#conversation.audioBytes += bytes.length;
    }
    const samples = new Int16Array(bytes.length >> 1);
    for (let index = 0; index < samples.length; index++) samples[index] = bytes.readInt16LE(index * 2);
    if (!this.#vad) {
      if (this.#manualTurnOpen) this.#manualTurnMs += (samples.length * 1000) / rate;
      else this.info.audioOutsideActivity++;
      return;
    }
    const vad = this.#vad;
    vad.push(samples, rate, (transition) => {
      if (this.info.closed) return;
      if (transition === "speech_start") this.#beginUserTurn();
      else if (transition === "speech_end") this.#endUserTurn(vad.speechMs, vad.rms);
    });
  }

  #beginUserTurn(): void {
    if (this.#context.options.voiceActivityEvents) {
      this.send({ voiceActivity: { voiceActivityType: "ACTIVITY_START" as never } });
    }
    this.#interrupt();
    this.#transcription.begin(this.#setup?.inputAudioTranscription !== undefined);
  }

  #endUserTurn(durationMs: number, rms: number): void {
    if (this.#context.options.voiceActivityEvents) {
      this.send({ voiceActivity: { voiceActivityType: "ACTIVITY_END" as never } });
    }
    const turnNumber = this.#conversation!.history.filter((entry) => entry.role === "user").length + 1;
    this.#transcription.end(this.#setup?.inputAudioTranscription !== undefined, turnNumber, durationMs);
    this.#respond({ kind: "audio", text: this.#transcription.text.trim(), durationMs, rms });
    this.#transcription.flushLate(); // a reply without output (a tool call, silence) does not hold them
  }

  /** Barge-in: stops the generation in progress and withdraws pending tool calls. */
  #interrupt(): void {
    const handling = this.#setup?.realtimeInputConfig?.activityHandling;
    if (handling === "NO_INTERRUPTION") return;
    if (this.#generation) {
      this.#generation.cancelled = true;
      this.#generation = undefined;
      this.send({ serverContent: { interrupted: true } });
      this.send({ serverContent: { turnComplete: true } });
    }
    if (this.#pendingCalls.size > 0) {
      const ids = [...this.#pendingCalls.keys()];
      this.#pendingCalls.clear();
      this.#toolResults.length = 0;
      this.send({ toolCallCancellation: { ids } });
    }
  }

  #onClientContent(content: NonNullable<GeminiClientMessage["clientContent"]>): void {
    const refused = clientContentRefused({
      profile: this.#profile,
      realtimeInputSeen: this.#realtimeInputSeen,
      first: !this.#clientContentSeen,
      lastRole: content.turns?.at(-1)?.role,
      seeding: this.#setup?.historyConfig?.initialHistoryInClientContent === true && this.#seedingOpen,
    });
    this.#clientContentSeen = true;
    if (refused) return void this.close(1007, "Request contains an invalid argument.");
    const history = this.#conversation!.history;
    let lastUser = "";
    for (const turn of content.turns ?? []) {
      const text = (turn.parts ?? []).map((part) => part.text ?? "").join("");
      const role = turn.role === "model" ? "model" : "user";
      history.push({ role, text });
      if (role === "user") lastUser = text;
    }
    if (content.turnComplete) {
      this.#seedingOpen = false;
      this.#interrupt();
      this.#respond({ kind: "text", text: lastUser }, false);
    }
  }

  #onToolResponse(response: NonNullable<GeminiClientMessage["toolResponse"]>): void {
    const code = this.#context.options.badToolResponseCloseCode ?? 1008;
    for (const item of response.functionResponses ?? []) {
      if (!item.id || !this.#pendingCalls.has(item.id) || item.name === undefined || item.response === undefined) {
        return void this.close(code, "Requested entity was not found.");
      }
      const name = this.#pendingCalls.get(item.id)!;
      this.#pendingCalls.delete(item.id);
      if ((item as { scheduling?: string }).scheduling !== "SILENT")
        this.#toolResults.push({ name, response: item.response });
      this.#conversation!.history.push({ role: "tool", text: `${name} → ${JSON.stringify(item.response)}` });
    }
    if (this.#pendingCalls.size === 0 && this.#toolResults.length > 0) {
      const results = this.#toolResults.splice(0).map((result) => JSON.stringify(result.response));
      const reply = `The result is ${results.join("; ")}`;
      void this.#generate(reply.length > 200 ? `${reply.slice(0, 200)}…` : reply);
    }
  }

  #respond(input: { kind: "audio" | "text"; text: string; durationMs?: number; rms?: number }, record = true): void {
    const conversation = this.#conversation!;
    if (record) conversation.history.push({ role: "user", text: input.text });
    const tools = declaredFunctions(this.#setup);
    const turn: FakeUserTurn = { ...input, toolNames: tools.map((tool) => tool.name), history: conversation.history };
    const reply: FakeReply = (this.#context.options.brain ?? defaultBrain)(turn);
    if ("silence" in reply) return;
    if ("say" in reply) return void this.#generate(reply.say);
    const call = reply.callTool;
    const declared = tools.find((tool) => tool.name === call.name);
    if (!declared) return void this.close(1011, `Fake brain bug: it called the undeclared tool ${call.name}`);
    const id = this.#context.nextCallId();
    this.#pendingCalls.set(id, call.name);
    this.send({ toolCall: { functionCalls: [{ id, name: call.name, args: call.args ?? {} }] } });
    this.#sendResumptionUpdate(false);
    const nonBlocking =
      declared.behavior === "NON_BLOCKING" || (this.#profile === "3.8" && declared.behavior !== "BLOCKING");
    if (nonBlocking) void this.#generate("Let me check that.");
  }

  async #generate(text: string): Promise<void> {
    const options = this.#context.options;
    const generation: Generation = { cancelled: false };
    if (this.#generation) this.#generation.cancelled = true;
    this.#generation = generation;
    const textMode = this.#setup?.generationConfig?.responseModalities?.[0] === "TEXT";
    const chunkMs = Math.min(100, Math.max(40, options.chunkMs ?? 40));
    const stopped = () => generation.cancelled || this.info.closed;
    const complete = await streamReply({
      text,
      textMode,
      transcribe: this.#setup?.outputAudioTranscription !== undefined,
      combined: this.#profile !== "2.5",
      chunkMs,
      pace: options.pace ?? 0,
      dbfs: options.toneDbfs ?? -12,
      send: (message) => {
        this.send(message);
        if (message.serverContent?.modelTurn) this.#transcription.flushLate();
      },
      sleep: (delayMs) => this.#sleep(delayMs),
      stopped,
    });
    if (!complete) return;
    this.send({ serverContent: { generationComplete: true } });
    const grace = options.playbackGraceMs ?? 0;
    if (grace > 0) await this.#sleep(grace);
    if (stopped()) return;
    this.#generation = undefined;
    this.#conversation!.history.push({ role: "model", text });
    this.send(turnCompleteWithUsage(this.#conversation!.history, text, textMode));
    this.#sendResumptionUpdate(true);
  }
}
