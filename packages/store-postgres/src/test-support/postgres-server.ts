// A private PostgreSQL server for tests and benchmarks: initdb into a temp directory, pg_ctl on a free 127.0.0.1 port,
// stopped and deleted by stop(). PostgreSQL refuses to run as root, so as root (CI) the cluster belongs to the
// `postgres` system user (created by Debian's package) and initdb/pg_ctl run through `runuser`.
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { userInfo } from "node:os";
import { join } from "node:path";

export interface PostgresServer {
  /** postgres://roomkit:<password>@127.0.0.1:<port>/roomkit */
  readonly url: string;
  readonly port: number;
  readonly password: string;
  /** Stops the server (immediate mode) and deletes its directory. Idempotent. */
  stop(): void;
}

const USER = "roomkit";
const PASSWORD = "test-only-password";

/** The directory holding initdb/pg_ctl: Debian keeps them in /usr/lib/postgresql/<major>/bin, off the PATH. */
export function findPostgresBinaries(): string {
  const root = "/usr/lib/postgresql";
  if (existsSync(root)) {
    const majors = readdirSync(root)
      .filter((name) => /^\d+$/.test(name))
      .sort((left, right) => Number(right) - Number(left));
    for (const major of majors) if (existsSync(join(root, major, "bin/initdb"))) return join(root, major, "bin");
  }
  const which = spawnSync("sh", ["-c", "command -v initdb"], { encoding: "utf8" });
  if (which.status === 0 && which.stdout.trim()) return join(which.stdout.trim(), "..");
  throw new Error(
    "PostgreSQL server binaries not found: run packages/store-postgres/scripts/setup-test-env.sh (apt-get install postgresql)",
  );
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function run(command: string[], asUser: string | undefined): void {
  const [file, ...args] = asUser ? ["runuser", "-u", asUser, "--", ...command] : command;
  const result = spawnSync(file as string, args, { encoding: "utf8", timeout: 60_000 });
  if (result.status !== 0) {
    throw new Error(`${command.join(" ")} failed (${result.status}): ${result.stderr || result.stdout}`);
  }
}

export async function startPostgresServer(options: { fsync?: boolean } = {}): Promise<PostgresServer> {
  const binaries = findPostgresBinaries();
  const asUser = userInfo().uid === 0 ? "postgres" : undefined;
  const directory = mkdtempSync("/tmp/roomkit-pg-");
  const data = join(directory, "data");
  const passwordFile = join(directory, "password");
  writeFileSync(passwordFile, PASSWORD);
  if (asUser) {
    const owner = lookupUser(asUser);
    chownSync(directory, owner.uid, owner.gid);
    chownSync(passwordFile, owner.uid, owner.gid);
  }
  chmodSync(directory, 0o700);
  const port = await freePort();
  let started = false;
  const stop = () => {
    process.off("exit", stop);
    if (started) {
      started = false;
      try {
        run([join(binaries, "pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop"], asUser);
      } catch {
        // Already gone (a test stopped it); the directory is removed below either way.
      }
    }
    rmSync(directory, { recursive: true, force: true });
  };
  try {
    run(
      [
        join(binaries, "initdb"),
        "-D",
        data,
        "-U",
        USER,
        `--pwfile=${passwordFile}`,
        "--auth-local=trust",
        "--auth-host=scram-sha-256",
        "-E",
        "UTF8",
        "--no-sync",
        "--no-instructions",
      ],
      asUser,
    );
    const settings = [
      `-p ${port}`,
      `-k ${directory}`,
      "-c listen_addresses=127.0.0.1",
      `-c fsync=${options.fsync ? "on" : "off"}`,
      "-c max_connections=200",
    ].join(" ");
    run([join(binaries, "pg_ctl"), "-D", data, "-o", settings, "-l", join(directory, "log"), "-w", "start"], asUser);
    started = true;
    process.on("exit", stop); // a test run that crashes still stops its server
    run(
      [
        join(binaries, "psql"),
        "-h",
        directory,
        "-p",
        String(port),
        "-U",
        USER,
        "-d",
        "postgres",
        "-qc",
        `CREATE DATABASE ${USER}`,
      ],
      asUser,
    );
  } catch (error) {
    stop();
    throw error;
  }
  return { url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${USER}`, port, password: PASSWORD, stop };
}

function lookupUser(name: string): { uid: number; gid: number } {
  const result = spawnSync("id", ["-u", name], { encoding: "utf8" });
  const group = spawnSync("id", ["-g", name], { encoding: "utf8" });
  if (result.status !== 0 || group.status !== 0) {
    throw new Error(`running as root needs the "${name}" system user (Debian's postgresql package creates it)`);
  }
  return { uid: Number(result.stdout.trim()), gid: Number(group.stdout.trim()) };
}
