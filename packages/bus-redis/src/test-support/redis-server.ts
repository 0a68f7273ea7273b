// A private redis-server for tests: a free 127.0.0.1 port, no persistence, its own temp directory; stop() kills it.
// `restart()` stops and starts it again on the same port (a Redis restart mid-call).
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "@roomkit/test-support";

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  restart(): Promise<void>;
  /** Kills the server and deletes its directory. Idempotent. */
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => done(data.toString().startsWith("+PONG")));
    socket.setTimeout(1_000, () => done(false));
  });
}

async function launch(port: number, directory: string): Promise<ChildProcess> {
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory],
    { stdio: "ignore" },
  );
  let failed: Error | undefined;
  child.once("error", (error) => {
    failed = new Error(
      `cannot start redis-server (${error.message}): run packages/bus-redis/scripts/setup-test-env.sh (apt-get install redis-server)`,
    );
  });
  const answered = await waitFor(async () => failed !== undefined || (await answersPing(port)), {
    timeoutMs: 5_000,
    intervalMs: 50,
    label: `redis-server answering on 127.0.0.1:${port}`,
  }).then(
    () => true,
    () => false,
  );
  if (failed) throw failed;
  if (answered) return child;
  child.kill("SIGKILL");
  throw new Error(`redis-server did not answer on 127.0.0.1:${port} within 5 s`);
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

export async function startRedisServer(): Promise<RedisServer> {
  const directory = mkdtempSync(join(tmpdir(), "roomkit-redis-"));
  const port = await freePort();
  let child: ChildProcess | undefined = await launch(port, directory);
  const onExit = () => child?.kill("SIGKILL");
  process.on("exit", onExit);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async restart() {
      if (child) await kill(child);
      child = await launch(port, directory);
    },
    async stop() {
      process.off("exit", onExit);
      if (child) await kill(child);
      child = undefined;
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
