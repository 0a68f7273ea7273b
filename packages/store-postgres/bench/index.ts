// Stored timeline appends per second (a final transcription = one appendEvent) at 1, 10 and 100 concurrent sessions,
// each session appending to its own room one event after another (what RoomKit's per-room lock produces): Postgres
// with batched appends (group commit) and with one append per round trip, against core's SQLite and memory stores in
// the same run. A private server with fsync on (real commits). Configurations alternate per round (A B C D, ×3);
// medians. Prints JSON. `bun run bench` (Bun) — the store runs the same way under Node.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ConversationStore, MemoryConversationStore, SqliteConversationStore } from "@roomkit/core";
import { PostgresConversationStore } from "../src/postgres-store.ts";
import { event, room } from "../src/test-support/contract.ts";
import { startPostgresServer } from "../src/test-support/postgres-server.ts";

const CONCURRENCY = [1, 10, 100];
const EVENTS_PER_RUN = 3_000;
const ROUNDS = 3;
const TIME_LIMIT_MS = 20_000;

async function appendsPerSecond(store: ConversationStore, sessions: number, tag: string): Promise<number> {
  for (let s = 0; s < sessions; s++) await store.createRoom(room(`${tag}-${s}`));
  const perSession = Math.ceil(EVENTS_PER_RUN / sessions);
  const started = performance.now();
  let stored = 0;
  await Promise.all(
    Array.from({ length: sessions }, async (_, s) => {
      for (let i = 0; i < perSession && performance.now() - started < TIME_LIMIT_MS; i++) {
        await store.appendEvent(event(`${tag}-${s}`, `e${i}`, `final transcription ${i} of session ${s}`));
        stored++;
      }
    }),
  );
  return stored / ((performance.now() - started) / 1000);
}

const median = (values: number[]) => Math.round([...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0);

const server = await startPostgresServer({ fsync: true });
const directory = mkdtempSync(join(tmpdir(), "roomkit-bench-sqlite-"));
try {
  let counter = 0;
  const configurations: Record<string, () => Promise<ConversationStore>> = {
    "postgres batched": () =>
      PostgresConversationStore.open({ url: server.url, schema: `b_${counter++}`, maxConnections: 10 }),
    "postgres unbatched": () =>
      PostgresConversationStore.open({
        url: server.url,
        schema: `u_${counter++}`,
        maxConnections: 10,
        batchAppends: false,
      }),
    "sqlite file": async () => new SqliteConversationStore({ path: join(directory, `bench-${counter++}.db`) }),
    memory: async () => new MemoryConversationStore(),
  };
  const samples: Record<string, Record<number, number[]>> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const sessions of CONCURRENCY) {
      for (const [name, create] of Object.entries(configurations)) {
        const store = await create();
        const rate = await appendsPerSecond(store, sessions, `r${round}`);
        await store.close();
        samples[name] ??= {};
        (samples[name][sessions] ??= []).push(rate);
      }
    }
  }
  const results = Object.fromEntries(
    Object.entries(samples).map(([name, bySessions]) => [
      name,
      Object.fromEntries(
        Object.entries(bySessions).map(([sessions, rates]) => [`${sessions} sessions`, median(rates)]),
      ),
    ]),
  );
  console.log(
    JSON.stringify({
      benchmark: "stored final transcriptions per second (appendEvent), fsync on",
      runtime: typeof Bun === "undefined" ? `node ${process.version}` : `bun ${Bun.version}`,
      eventsPerRun: EVENTS_PER_RUN,
      rounds: ROUNDS,
      results,
    }),
  );
} finally {
  server.stop();
  rmSync(directory, { recursive: true, force: true });
}
