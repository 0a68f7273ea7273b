// The demo page (bundled for the browser by Bun.build at server start).
import { RoomKitVoiceClient, type TranscriptBubble } from "@roomkit/transport-ws/client";
import { WebRTCVoiceClient } from "./webrtc-voice-client.ts";

interface DemoConfig {
  provider: string;
  label: string;
  mode: string;
  typingHint?: string;
  inputSampleRate: number;
  outputSampleRate: number;
  /** The WebRTC signalling route (`?transport=webrtc`). */
  webrtcOfferUrl: string;
}

interface ClearRecord {
  latencyMs: number;
  bufferedMsBefore: number;
  discarded: number;
}

function element<T extends HTMLElement = HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`missing #${id}`);
  return found as T;
}

function randomRoomId(): string {
  return `room-${crypto.randomUUID().slice(0, 8)}`;
}

async function main(): Promise<void> {
  const config = (await (await fetch("/config")).json()) as DemoConfig;
  const pageUrl = new URL(location.href);
  const roomId = pageUrl.searchParams.get("room") ?? randomRoomId();

  const badge = element("provider-badge");
  badge.textContent = config.label;
  badge.classList.add(config.provider);
  element("mode").textContent = config.mode;
  element("room-id").textContent = roomId;
  element<HTMLAnchorElement>("timeline-link").href = `/rooms/${encodeURIComponent(roomId)}/timeline`;

  // `?transport=webrtc` (the toggle link): the same agent over WebRTC; `&play=datachannel` plays μ-law instead of
  // the Opus track.
  const transport = pageUrl.searchParams.get("transport") === "webrtc" ? "webrtc" : "websocket";
  const client =
    transport === "webrtc"
      ? new WebRTCVoiceClient({
          offerUrl: `${config.webrtcOfferUrl}?room=${encodeURIComponent(roomId)}`,
          play: pageUrl.searchParams.get("play") === "datachannel" ? "datachannel" : "track",
          outputSampleRate: config.outputSampleRate,
        })
      : new RoomKitVoiceClient({
          url: () => {
            const scheme = location.protocol === "https:" ? "wss" : "ws";
            return `${scheme}://${location.host}/ws?room=${encodeURIComponent(roomId)}`;
          },
          inputSampleRate: config.inputSampleRate,
          outputSampleRate: config.outputSampleRate,
        });
  element("transport").textContent = transport === "webrtc" ? "WebRTC" : "WebSocket";
  const other = new URL(location.href);
  if (transport === "webrtc") other.searchParams.delete("transport");
  else other.searchParams.set("transport", "webrtc");
  other.searchParams.delete("play");
  const toggle = element<HTMLAnchorElement>("transport-toggle");
  toggle.href = other.toString();
  toggle.textContent = transport === "webrtc" ? "use WebSocket" : "use WebRTC";
  const toolCalls: Array<{ name: string; arguments: Record<string, unknown>; result?: string }> = [];
  const clears: ClearRecord[] = [];
  const speaking = { user: false, assistant: false };
  const messageTypes: Record<string, number> = {};
  client.on("message", (message) => {
    const type = String(message.type);
    messageTypes[type] = (messageTypes[type] ?? 0) + 1;
  });

  const talk = element<HTMLButtonElement>("talk");
  const mute = element<HTMLButtonElement>("mute");
  const state = element("state");
  const bubblesList = element("bubbles");
  const bubbleElements = new Map<string, HTMLLIElement>();

  talk.addEventListener("click", async () => {
    if (client.state === "idle" || client.state === "closed") {
      talk.disabled = true;
      try {
        await client.start();
        talk.textContent = "Stop";
        talk.classList.add("active");
        mute.disabled = false;
      } catch (error) {
        state.textContent = `error: ${error instanceof Error ? error.message : String(error)}`;
      } finally {
        talk.disabled = false;
      }
    } else {
      await client.stop();
      talk.textContent = "Talk";
      talk.classList.remove("active");
      mute.disabled = true;
    }
  });
  mute.addEventListener("click", () => {
    client.setMicMuted(!client.micMuted);
    mute.textContent = client.micMuted ? "Unmute mic" : "Mute mic";
  });

  const typeText = element<HTMLInputElement>("type-text");
  const typeSend = element<HTMLButtonElement>("type-send");
  if (config.typingHint) typeText.placeholder = config.typingHint;
  element<HTMLFormElement>("type-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = typeText.value.trim();
    if (text.length === 0) return;
    typeText.value = "";
    renderBubble(client.transcript.apply({ text, role: "user", is_final: true }));
    const response = await fetch(`/rooms/${encodeURIComponent(roomId)}/text`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text }),
    });
    if (!response.ok) state.textContent = `could not send: ${(await response.json()).error ?? response.status}`;
  });

  client.on("state", (event) => {
    state.textContent = event.code === undefined ? event.state : `${event.state} (${event.code} ${event.reason ?? ""})`;
    const connected = event.state === "connected";
    typeText.disabled = !connected;
    typeSend.disabled = !connected;
  });
  client.on("transcript", ({ bubble }) => renderBubble(bubble));
  // "You" follows the server's VAD; "Assistant" follows what is audible (the model may finish generating early).
  client.on("speaking", (event) => {
    speaking[event.who] = event.speaking;
    if (event.who === "user") element("user-speaking").classList.toggle("on", event.speaking);
  });
  client.on("level", ({ input, output, playing }) => {
    element("assistant-speaking").classList.toggle("on", playing);
    element("input-level").style.width = `${Math.min(100, Math.round(input * 300))}%`;
    element("output-level").style.width = `${Math.min(100, Math.round(output * 300))}%`;
  });
  client.on("clear", (event) => {
    clears.push({ latencyMs: event.latencyMs, bufferedMsBefore: event.bufferedMsBefore, discarded: event.discarded });
  });
  client.on("toolCall", (call) => {
    toolCalls.push(call);
    const list = element("tool-calls");
    list.querySelector(".empty")?.remove();
    const item = document.createElement("li");
    item.textContent = `${call.name}(${JSON.stringify(call.arguments)}) → ${call.result ?? "…"}`;
    list.append(item);
  });

  function renderBubble(bubble: TranscriptBubble): void {
    let item = bubbleElements.get(bubble.id);
    if (item === undefined) {
      item = document.createElement("li");
      item.dataset.role = bubble.role;
      bubbleElements.set(bubble.id, item);
      bubblesList.append(item);
    }
    item.className = `${bubble.role}${bubble.final ? "" : " partial"}`;
    item.dataset.final = String(bubble.final);
    item.textContent = bubble.text;
  }

  const statsList = element("stats");
  setInterval(() => {
    const stats = client.stats;
    const rows: Array<[string, string]> = [
      ["frames sent", String(stats.framesSent)],
      ["audio received", `${stats.audioMessagesReceived} msgs`],
      ["played", `${(stats.playedMs / 1000).toFixed(1)} s`],
      ["buffered", `${Math.round(stats.bufferedMs)} ms`],
      ["barge-in clears", String(stats.clears)],
      ["last clear", stats.lastClearLatencyMs < 0 ? "–" : `${stats.lastClearLatencyMs.toFixed(1)} ms`],
      ["reconnects", String(stats.reconnects)],
    ];
    statsList.replaceChildren(
      ...rows.flatMap(([name, value]) => {
        const term = document.createElement("dt");
        term.textContent = name;
        const detail = document.createElement("dd");
        detail.textContent = value;
        return [term, detail];
      }),
    );
  }, 250);

  // For the browser tests and for curious developers in the console.
  (window as unknown as Record<string, unknown>).roomkitDemo = {
    client,
    roomId,
    config,
    transport,
    /** WebRTC mode: the assistant's audio as it plays now (frequency, peak). */
    measureOutput: () => (client instanceof WebRTCVoiceClient ? client.measureOutput() : undefined),
    toolCalls,
    clears,
    snapshot: () => ({
      state: client.state,
      stats: { ...client.stats },
      bubbles: client.transcript.bubbles.map((bubble) => ({ ...bubble })),
      toolCalls: [...toolCalls],
      clears: [...clears],
      messageTypes: { ...messageTypes },
      speaking: { ...speaking },
    }),
  };
}

main().catch((error: unknown) => {
  const mode = document.getElementById("mode");
  if (mode) mode.textContent = `The demo page failed to start: ${String(error)}`;
});
