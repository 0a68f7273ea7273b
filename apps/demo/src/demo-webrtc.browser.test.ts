// The demo page in WebRTC mode (`?transport=webrtc`, the transport-webrtc browser client) in Debian's Chromium, on
// the offline Gemini Live fake. Runs in its own network namespace (`unshare -n`, only `lo`) when root, so no WebRTC
// traffic can leave 127.0.0.1 (the transport-webrtc e2e's approach). Requires /usr/bin/chromium
// (scripts/setup-browser.sh); without it the test FAILS with instructions.
import { expect, test } from "bun:test";
import { join } from "node:path";
import { assertChromiumInstalled } from "./browser-harness.ts";

const RUNNER = join(import.meta.dir, "test-support", "webrtc-page-run.ts");

function command(): string[] {
  const isRoot = process.getuid?.() === 0;
  const canUnshare = isRoot && Bun.which("unshare") !== null && Bun.which("ip") !== null;
  if (!canUnshare) return [process.execPath, RUNNER];
  return ["unshare", "-n", "bash", "-c", `ip link set lo up && exec "${process.execPath}" "${RUNNER}"`];
}

for (const play of ["track", "datachannel"] as const) {
  test(`WebRTC mode (${play}): the page connects, its mic reaches the Gemini fake, the reply's tone plays, clear_audio silences it, stop frees the peer`, () => {
    assertChromiumInstalled();
    const run = Bun.spawnSync(command(), {
      cwd: join(import.meta.dir, ".."),
      env: { ...process.env, DEMO_PLAY: play },
      stdout: "pipe",
      stderr: "pipe",
      timeout: 80_000,
    });
    const output = run.stdout.toString();
    expect(run.exitCode, output + run.stderr.toString()).toBe(0);
    const result = JSON.parse(output.trim().split("\n").pop()!);
    expect(result.error, result.error).toBeUndefined();
    expect(result.transportLabel).toBe("WebRTC");
    // Connected over WebRTC, one session on the WebRTC channel and none over the WebSocket.
    expect(result.connected).toBe(true);
    expect(result.sessionStarted).toBe(true);
    expect(result.webrtcPeers).toBe(1);
    expect(result.webSocketSessions).toBe(0);
    // The fake microphone (Opus from Chromium) reaches the provider fake, which hears a caller turn and transcribes it.
    expect(result.micReached).toBe(true);
    expect(result.userTranscript).toBe(true);
    expect(result.bubbles[0]).toMatchObject({ role: "user", final: true });
    expect(result.bubbles[0].text).toMatch(/^\[\d+ ms of audio\]$/);
    expect(result.packetsSent).toBeGreaterThan(50);
    // The reply — the fake's 330 Hz tone — plays (the Opus track, or μ-law from the DataChannel), measured by an
    // analyser on the page.
    expect(result.played).toBe(true);
    expect(Math.abs(result.playing.hz - 330)).toBeLessThanOrEqual(15);
    expect(result.playing.peak).toBeGreaterThan(0.1);
    // Barge-in (the WAV loops over the reply): clear_audio reached the page, the transport sent no more of the reply,
    // and the page is quiet (packets: RTP for the track, media messages for the DataChannel).
    expect(result.clearSeen).toBe(true);
    expect(result.packetsAfterClear).toBe(0);
    expect(result.afterClear.peak).toBeLessThan(0.05);
    expect(result.laterAfterClear.peak).toBeLessThan(0.05);
    // Stop: the hang-up is seen, the peer freed and the session ended.
    expect(result.peersFreed).toBe(true);
    expect(result.sessionEnded).toBe(true);
    expect(result.webrtcStats.clientDisconnects).toBe(1);
    // μ-law playback reports its position; the track is left to the server's own timeline.
    if (play === "datachannel") expect(result.playbackReportsSent).toBeGreaterThan(0);
    else expect(result.playbackReportsSent).toBe(0);
  }, 90_000);
}
