// One bench run (a fresh server process and a load-generator process), shared by bench/index.ts and the repo's
// scripts/load runner. Without `cores` neither process is pinned.
import { join } from "node:path";

export async function readLine(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  buffer: { text: string },
): Promise<string> {
  const decoder = new TextDecoder();
  while (!buffer.text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer.text += decoder.decode(value);
  }
  const index = buffer.text.indexOf("\n");
  const line = index < 0 ? buffer.text : buffer.text.slice(0, index);
  buffer.text = index < 0 ? "" : buffer.text.slice(index + 1);
  return line;
}

export async function runOnce(
  kind: "bun" | "ws",
  clients: number,
  durationMs: number,
  cores?: { server: number; client: number },
) {
  const pin = (core: number | undefined) => (core === undefined ? [] : ["taskset", "-c", String(core)]);
  const server = Bun.spawn(
    [...pin(cores?.server), process.execPath, join(import.meta.dir, "server.ts"), kind, String(clients)],
    {
      stdin: "pipe",
      stdout: "pipe",
      stderr: "inherit",
    },
  );
  const reader = server.stdout.getReader();
  const buffer = { text: "" };
  const { url } = JSON.parse(await readLine(reader, buffer)) as { url: string };
  const client = Bun.spawn(
    [
      ...pin(cores?.client),
      process.execPath,
      join(import.meta.dir, "load-client.ts"),
      url,
      String(clients),
      String(durationMs),
    ],
    { stdout: "pipe", stderr: "inherit" },
  );
  const clientOutput = await new Response(client.stdout).text();
  await client.exited;
  server.stdin.write("stop\n");
  server.stdin.flush();
  const serverResult = JSON.parse(await readLine(reader, buffer)) as {
    sessionsLive: number;
    framesIn: number;
    framesOut: number;
    outboundDropped: number;
    serverCpuMs: number;
    serverCpuPercentOfOneCore: number;
    cpuMicrosPerFrame: number;
    addedLatencyMicros: { p50: number | null; p99: number | null; max: number | null; samples: number };
    eventLoopLagMs: { p50: number | null; p99: number | null; max: number | null };
    rssPerSessionKiB: number;
    heapPerSessionKiB: number;
  };
  await server.exited;
  const clientResult = JSON.parse(clientOutput.trim().split("\n").at(-1) ?? "{}") as Record<string, number | null>;
  return {
    server: kind,
    clients,
    ...serverResult,
    clientFramesSent: clientResult.sent,
    clientFramesReceived: clientResult.received,
    roundTripMs: { p50: clientResult.p50, p99: clientResult.p99, max: clientResult.max },
    loadGeneratorCpuPercent: clientResult.loadGeneratorCpuPercent,
  };
}

export type RunResult = Awaited<ReturnType<typeof runOnce>>;
