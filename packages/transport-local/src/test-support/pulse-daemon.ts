import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** A private PulseAudio daemon with a null sink `rk_test` (and `rk_other`), a child of the test process. */
export interface PulseDaemon {
  /** `--server=` value for clients. */
  server: string;
  /** The sink's rate. */
  rate: number;
  pid: number;
  /** The daemon's and its keepalive streams' pids (children of the test that are not ours to check). */
  ownPids: number[];
  /** Runs pactl against this daemon. */
  pactl(...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts `pulseaudio -n` in the foreground with its own runtime dir, loads a native socket and two null sinks,
 * keeps `rk_test` awake with a silent stream (a silent stream mixes bit-exactly) and wakes it (an idle null sink
 * otherwise sleeps ~2 s before the first stream starts). Recipe: local-audio.md §3.
 */
export async function startPulseDaemon(rate = 24000): Promise<PulseDaemon> {
  const dir = mkdtempSync(join(tmpdir(), "rk-pa-"));
  const env = { ...process.env, XDG_RUNTIME_DIR: dir, HOME: dir, LC_ALL: "C" };
  const daemon = spawn(
    "pulseaudio",
    [
      "--daemonize=no",
      "--exit-idle-time=-1",
      "--disallow-exit",
      "-n",
      "--use-pid-file=no",
      "--log-level=error",
      "--load=module-native-protocol-unix auth-anonymous=1",
      `--load=module-null-sink sink_name=rk_test rate=${rate} channels=1`,
      `--load=module-null-sink sink_name=rk_other rate=${rate} channels=1`,
    ],
    { env, stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  daemon.stderr?.on("data", (chunk) => {
    stderr += String(chunk);
  });
  const socket = join(dir, "pulse", "native");
  const server = `unix:${socket}`;
  for (let waited = 0; !existsSync(socket); waited += 10) {
    if (waited > 5000 || daemon.exitCode !== null) {
      daemon.kill("SIGKILL");
      throw new Error(`pulseaudio did not start: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const pactl = async (...args: string[]) => (await run("pactl", [`--server=${server}`, ...args], { env })).stdout;
  await pactl("set-default-sink", "rk_test");
  await pactl("set-default-source", "rk_test.monitor");
  const keepalives: ChildProcess[] = ["rk_test", "rk_other"].map((sink) => {
    const child = spawn(
      "pacat",
      [
        `--server=${server}`,
        "--playback",
        "-d",
        sink,
        "--raw",
        "--format=s16le",
        `--rate=${rate}`,
        "--channels=1",
        "--latency-msec=20",
      ],
      { env, stdio: ["pipe", "ignore", "ignore"] },
    );
    child.stdin?.on("error", () => undefined);
    return child;
  });
  const zeros = new Uint8Array((rate * 2) / 50);
  const feed = setInterval(() => {
    for (const child of keepalives) child.stdin?.write(zeros);
  }, 20);
  await new Promise((resolve) => setTimeout(resolve, 100));
  await pactl("suspend-sink", "rk_test", "1");
  await pactl("suspend-sink", "rk_test", "0");
  await pactl("suspend-sink", "rk_other", "1");
  await pactl("suspend-sink", "rk_other", "0");
  return {
    server,
    rate,
    pid: daemon.pid!,
    ownPids: [daemon.pid!, ...keepalives.map((child) => child.pid!)],
    pactl,
    async stop() {
      clearInterval(feed);
      for (const child of [...keepalives, daemon]) {
        if (child.exitCode !== null || child.signalCode !== null) continue;
        const exited = new Promise((resolve) => child.once("close", resolve));
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 2000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Whether a process with this pid still exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
