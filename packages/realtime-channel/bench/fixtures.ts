// Workload fixtures (WORKLOAD.md §1): 20 ms frames of a continuous 440 Hz sine, peak 8000, 50-frame rings.
export const FRAME_MS = 20;
export const RING_FRAMES = 50;

/** Frame `f` of the ring at `rate`: sample i = round(8000·sin(2π·440·(f·n+i)/r)), n = r·20/1000. */
export function makeRing(rate: number): Uint8Array[] {
  const samplesPerFrame = (rate * FRAME_MS) / 1000;
  const ring: Uint8Array[] = [];
  for (let frame = 0; frame < RING_FRAMES; frame++) {
    const samples = new Int16Array(samplesPerFrame);
    for (let index = 0; index < samplesPerFrame; index++) {
      samples[index] = roundHalfEven(8000 * Math.sin((2 * Math.PI * 440 * (frame * samplesPerFrame + index)) / rate));
    }
    ring.push(new Uint8Array(samples.buffer));
  }
  return ring;
}

/** Python's round(): half to even. */
function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const diff = value - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

export const WORKLOAD = {
  frame_ms: FRAME_MS,
  provider_input_rate: 16000,
  provider_output_rate: 24000,
  inbound_frame_bytes: 640,
  outbound_frame_bytes: 960,
  resample_transport_rate: 8000,
  resample_inbound_frame_bytes: 320,
  resample_outbound_frame_bytes_at_transport: 320,
  sample_format: "pcm_s16le_mono",
  tone_hz: 440,
  tone_peak: 8000,
  ring_frames: RING_FRAMES,
  a_b_sessions: [1, 10, 100],
  a_b_rounds_total: 10000,
  c_rounds_total: 4000,
  warmup_rounds: 10,
  reps: 3,
  d_slots: 10,
  d_slot_ms: 2,
  d_warmup_ticks: 25,
  d_measure_ticks: 150,
  d_ladder: [10, 50, 100, 150, 200, 300, 400, 500, 750, 1000, 1500, 2000],
  d_attempts: 3,
  d_bisect_steps: 2,
  d_drain_timeout_s: 5,
  e_sessions: 1000,
  e_stream_ticks: 10,
  f_sessions: [1, 10],
  f_warmup_ticks: 25,
  f_measure_ticks: 200,
  g_sessions: [1, 10, 100],
  g_rounds_total: 1000,
  g_warmup_rounds: 5,
};
