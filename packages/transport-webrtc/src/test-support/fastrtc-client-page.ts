// The page Chromium loads in the browser test. Its first script is FastRTC's documented browser client ("Connecting
// via API": RTCPeerConnection with no configuration, getUserMedia, addTrack, the "text" DataChannel, offer with a
// random webrtc_id to the root-relative /webrtc/offer, candidates trickled to the same route, the answer applied as
// is), written from the protocol description. The first script only observes (window.__r, through a subclass of
// RTCPeerConnection that adds listeners): it never sends.

const FASTRTC_CLIENT = `
let pc;
let webrtc_id;

async function setupWebRTC() {
  pc = new RTCPeerConnection();
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  stream.getTracks().forEach((track) => {
    pc.addTrack(track, stream);
  });
  pc.addEventListener("track", (evt) => {
    const audioOutput = document.getElementById("audio_output_component_id");
    if (audioOutput.srcObject !== evt.streams[0]) {
      audioOutput.srcObject = evt.streams[0];
    }
  });
  const dataChannel = pc.createDataChannel("text");
  const offer = await pc.createOffer();
  await pc.setLocalDescription(offer);
  webrtc_id = Math.random().toString(36).substring(7);
  pc.onicecandidate = ({ candidate }) => {
    if (candidate) {
      fetch("/webrtc/offer", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ candidate: candidate.toJSON(), webrtc_id: webrtc_id, type: "ice-candidate" }),
      });
    }
  };
  const response = await fetch("/webrtc/offer", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ sdp: offer.sdp, type: offer.type, webrtc_id: webrtc_id }),
  });
  const serverResponse = await response.json();
  await pc.setRemoteDescription(serverResponse);
}
`;

const OBSERVER = `
function mulawToLinear(code) {
  code = ~code & 0xff;
  const sign = code & 0x80;
  const exponent = (code >> 4) & 0x07;
  const mantissa = code & 0x0f;
  let sample = (((mantissa << 3) + 0x84) << exponent) - 0x84;
  return sign ? -sample : sample;
}
function zeroCrossingHz(samples, rate) {
  let crossings = 0;
  for (let i = 1; i < samples.length; i++) if ((samples[i - 1] < 0) !== (samples[i] < 0)) crossings++;
  return samples.length ? (crossings / 2) * (rate / samples.length) : 0;
}
const r = (window.__r = { state: "new", types: {}, mediaMessages: 0, mediaSamples: [], clears: 0, mediaAfterClear: 0, analyser: null });
function observeChannel(dc) {
  dc.addEventListener("message", (event) => {
    let message;
    try { message = JSON.parse(event.data); } catch { return; }
    if (message.event === "media") {
      r.mediaMessages++;
      if (r.clears > 0) r.mediaAfterClear++;
      const bytes = atob(message.media.payload);
      for (let i = 0; i < bytes.length; i++) r.mediaSamples.push(mulawToLinear(bytes.charCodeAt(i)));
      return;
    }
    r.types[message.type] = (r.types[message.type] || 0) + 1;
    if (message.type === "clear_audio") { r.clears++; r.mediaAfterClear = 0; }
  });
}
function observePeer(pc) {
  window.__pc = pc;
  pc.addEventListener("connectionstatechange", () => { r.state = pc.connectionState; });
  pc.addEventListener("track", (event) => {
    const context = new AudioContext({ sampleRate: 48000 });
    const source = context.createMediaStreamSource(event.streams[0]);
    const analyser = context.createAnalyser();
    analyser.fftSize = 8192;
    source.connect(analyser);
    r.analyser = analyser;
    r.context = context;
  });
}
// Observe without touching the client's code: the page's RTCPeerConnection is the browser's, plus two listeners.
const NativePeerConnection = window.RTCPeerConnection;
window.RTCPeerConnection = class extends NativePeerConnection {
  constructor(...args) {
    super(...args);
    observePeer(this);
  }
  createDataChannel(...args) {
    const channel = super.createDataChannel(...args);
    observeChannel(channel);
    return channel;
  }
};
window.__measure = async () => {
  const pc = window.__pc;
  let packetsReceived = 0;
  let totalSamplesReceived = 0;
  const stats = await pc.getStats();
  stats.forEach((report) => {
    if (report.type === "inbound-rtp" && report.kind === "audio") {
      packetsReceived = report.packetsReceived;
      totalSamplesReceived = report.totalSamplesReceived;
    }
  });
  let trackHz = 0;
  let trackPeak = 0;
  if (r.analyser) {
    if (r.context.state !== "running") await r.context.resume();
    const data = new Float32Array(r.analyser.fftSize);
    r.analyser.getFloatTimeDomainData(data);
    trackHz = zeroCrossingHz(data, r.context.sampleRate);
    for (const value of data) trackPeak = Math.max(trackPeak, Math.abs(value));
  }
  const media = r.mediaSamples.slice(-12000);
  return {
    state: r.state,
    types: r.types,
    mediaMessages: r.mediaMessages,
    mediaAfterClear: r.mediaAfterClear,
    clears: r.clears,
    mediaHz: zeroCrossingHz(media, 24000),
    packetsReceived,
    totalSamplesReceived,
    trackHz,
    trackPeak,
  };
};
`;

/** The HTML of the FastRTC client page (served at `/`, so its root-relative `/webrtc/offer` reaches the route). */
export function fastRTCClientPage(): string {
  return `<!doctype html>
<html>
  <head><meta charset="utf-8"><title>FastRTC client</title></head>
  <body>
    <audio id="audio_output_component_id" autoplay></audio>
    <script>${OBSERVER}</script>
    <script>${FASTRTC_CLIENT}</script>
  </body>
</html>`;
}
