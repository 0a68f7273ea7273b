// One sessions run: the bench server and the werift load generator in their own processes, N peers streaming
// real-time Opus for durationMs. Shared by bench/index.ts and the repo's scripts/load runner.
import { join } from "node:path";

async function lines(stream: ReadableStream<Uint8Array>): Promise<AsyncGenerator<string>> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  return (async function* () {
    for (;;) {
      const index = buffer.indexOf("\n");
      if (index >= 0) {
        const line = buffer.slice(0, index);
        buffer = buffer.slice(index + 1);
        yield line;
        continue;
      }
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value);
    }
  })();
}

async function next(reader: AsyncGenerator<string>, what: string): Promise<string> {
  const result = await Promise.race([
    reader.next(),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`bench: no ${what} in 60 s`)), 60_000)),
  ]);
  if (result.done) throw new Error(`bench: process ended before ${what}`);
  return result.value;
}

export async function sessionRun(count: number, durationMs: number) {
  const server = Bun.spawn([process.execPath, join(import.meta.dir, "server.ts")], {
    stdin: "pipe",
    stdout: "pipe",
    stderr: "inherit",
  });
  const serverLines = await lines(server.stdout);
  const { port } = JSON.parse(await next(serverLines, "server port"));
  const mark = async () => {
    server.stdin.write("mark\n");
    await server.stdin.flush();
    return JSON.parse(await next(serverLines, "server mark"));
  };
  const idle = await mark();
  const client = Bun.spawn(
    [process.execPath, join(import.meta.dir, "load-client.ts"), `http://127.0.0.1:${port}/webrtc/offer`, String(count)],
    { stdin: "pipe", stdout: "pipe", stderr: "inherit" },
  );
  const clientLines = await lines(client.stdout);
  const connected = await next(clientLines, "clients connected");
  const sentSoFar = async () => {
    client.stdin.write("count\n");
    await client.stdin.flush();
    return Number((await next(clientLines, "client count")).split(" ")[1]);
  };
  await Bun.sleep(1000);
  const start = await mark();
  const sentAtStart = await sentSoFar();
  await Bun.sleep(durationMs);
  const end = await mark();
  const sentAtEnd = await sentSoFar();
  // Delivery over the whole run: stop sending, let what is in flight arrive, compare totals.
  client.stdin.write("stop\n");
  await client.stdin.flush();
  const sentTotal = Number((await next(clientLines, "client stop")).split(" ")[1]);
  await Bun.sleep(500);
  const final = await mark();
  client.stdin.write("exit\n");
  await client.stdin.flush();
  await client.exited;
  server.stdin.write("exit\n");
  await server.stdin.flush();
  await server.exited;
  const seconds = (end.now - start.now) / 1000;
  const expectedFrames = count * 50 * seconds;
  return {
    sessions: count,
    connectAllMs: Number(connected.split(" ")[1]),
    serverCpuPercentPerSession: Number(((end.cpuMs - start.cpuMs) / 10 / seconds / count).toFixed(3)),
    serverCpuPercentTotal: Number(((end.cpuMs - start.cpuMs) / 10 / seconds).toFixed(1)),
    rssPerSessionKiB: Math.round((end.rss - idle.rss) / 1024 / count),
    eventLoopLagP50Ms: Number(end.lagP50.toFixed(2)),
    eventLoopLagP99Ms: Number(end.lagP99.toFixed(2)),
    // Packet arrival at the UDP socket → onAudioReceived for that packet (see server.ts).
    addedLatencyP50Ms: Number(end.addedLatencyP50.toFixed(3)),
    addedLatencyP99Ms: Number(end.addedLatencyP99.toFixed(3)),
    addedLatencyMaxMs: Number(end.addedLatencyMax.toFixed(3)),
    addedLatencyFramesMeasured: end.addedLatencySamples,
    clientSentRatio: Number(((sentAtEnd - sentAtStart) / expectedFrames).toFixed(3)),
    framesSent: sentTotal,
    framesReceived: final.frames,
    framesDeliveredRatio: Number((final.frames / Math.max(1, sentTotal)).toFixed(4)),
    packetsMissingFromSequence: final.lost,
    packetsLateOrDuplicate: final.late,
    sessionsAccepted: end.sessions,
  };
}
