// Which PostgreSQL client to build on: `postgres` (porsager) or `pg`, measured the same way under Bun and Node.
// `bun bench/client-choice.ts` / `node bench/client-choice.ts` (Node ≥ 22.18 strips the types). Starts a private
// server, then alternates the two clients (A B A B …, 5 rounds) on: a sequential insert+select loop (latency-bound)
// and the same work with 32 operations in flight on a pool of 8 (throughput). Prints JSON with the medians.
import pg from "pg";
import postgres from "postgres";
import { startPostgresServer } from "../src/test-support/postgres-server.ts";

const SEQUENTIAL = 2_000;
const CONCURRENT = 8_000;
const IN_FLIGHT = 32;
const ROUNDS = 5;

interface Client {
  query(text: string, values: unknown[]): Promise<unknown[]>;
  end(): Promise<void>;
}

function porsager(url: string): Client {
  const sql = postgres(url, { max: 8, onnotice: () => {} });
  return {
    query: (text, values) => sql.unsafe(text, values as never[], { prepare: true }) as unknown as Promise<unknown[]>,
    end: () => sql.end(),
  };
}

function nodePg(url: string): Client {
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  return {
    query: async (text, values) => (await pool.query({ text, values, name: text.slice(0, 20) })).rows,
    end: () => pool.end(),
  };
}

async function operation(client: Client, key: number): Promise<void> {
  await client.query("INSERT INTO bench (id, body) VALUES ($1, $2)", [key, `row ${key}`]);
  const rows = await client.query("SELECT id, body FROM bench WHERE id = $1", [key]);
  if (rows.length !== 1) throw new Error(`row ${key} missing`);
}

async function measure(client: Client, firstKey: number, count: number, inFlight: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < count) await operation(client, firstKey + next++);
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  return Math.round(sorted[Math.floor(sorted.length / 2)] as number);
}

const server = await startPostgresServer();
try {
  const setup = porsager(server.url);
  await setup.query("CREATE TABLE bench (id bigint PRIMARY KEY, body text NOT NULL)", []);
  await setup.end();
  const factories = { postgres: porsager, pg: nodePg } as const;
  const results: Record<string, { sequential: number[]; concurrent: number[] }> = {
    postgres: { sequential: [], concurrent: [] },
    pg: { sequential: [], concurrent: [] },
  };
  let key = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, create] of Object.entries(factories)) {
      const client = create(server.url);
      await measure(client, 10_000_000 + key, 200, 1); // warm-up: connections, prepared statements
      key += 200;
      results[name]?.sequential.push(await measure(client, key, SEQUENTIAL, 1));
      key += SEQUENTIAL;
      results[name]?.concurrent.push(await measure(client, key, CONCURRENT, IN_FLIGHT));
      key += CONCURRENT;
      await client.end();
    }
  }
  const runtime = typeof Bun === "undefined" ? `node ${process.version}` : `bun ${Bun.version}`;
  const summary = Object.fromEntries(
    Object.entries(results).map(([name, result]) => [
      name,
      {
        sequentialOpsPerSecond: median(result.sequential),
        concurrentOpsPerSecond: median(result.concurrent),
      },
    ]),
  );
  console.log(
    JSON.stringify({
      benchmark: "postgres client choice (1 op = insert + select by key)",
      runtime,
      rounds: ROUNDS,
      ...summary,
    }),
  );
} finally {
  server.stop();
}
