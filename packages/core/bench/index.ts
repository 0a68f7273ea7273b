// Events/second through RoomKit.sendEvent with two bound channels, per store. Prints one JSON object.
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { HookResult, HookTrigger, type RoomEvent, silentLogger } from "@roomkit/spec";
import {
  Channel,
  type ChannelOutput,
  type ConversationStore,
  EMPTY_CHANNEL_OUTPUT,
  MemoryConversationStore,
  RoomKit,
  SqliteConversationStore,
} from "../src/index.ts";

/** A MockChannel-like channel that only counts what it receives (no recording, so memory stays flat). */
class CountingChannel extends Channel {
  readonly channelType = "mock";
  received = 0;
  override onEvent(_event: RoomEvent): Promise<ChannelOutput> {
    this.received += 1;
    return Promise.resolve(EMPTY_CHANNEL_OUTPUT);
  }
}

const SEQUENTIAL_EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
const CONCURRENT_BATCH = 1_000;
const REPETITIONS = Number(process.env.BENCH_REPETITIONS ?? 3);

type Mode = "sequential" | "concurrent_1000" | "sequential_with_hook";

interface Scenario {
  store: string;
  mode: Mode;
  events: number;
  repetitions: number;
  /** Median over the repetitions (best in `bestEventsPerSecond`). */
  eventsPerSecond: number;
  microsecondsPerEvent: number;
  bestEventsPerSecond: number;
}

async function run(storeName: string, createStore: () => ConversationStore): Promise<Scenario[]> {
  const results: Scenario[] = [];
  for (const mode of ["sequential", "concurrent_1000", "sequential_with_hook"] as const) {
    const rates: number[] = [];
    for (let repetition = 0; repetition < REPETITIONS; repetition++) {
      rates.push(SEQUENTIAL_EVENTS / (await measure(createStore, mode)));
    }
    rates.sort((left, right) => left - right);
    const median = rates[Math.floor(rates.length / 2)] as number;
    results.push({
      store: storeName,
      mode,
      events: SEQUENTIAL_EVENTS,
      repetitions: REPETITIONS,
      eventsPerSecond: Math.round(median),
      microsecondsPerEvent: round(1e6 / median, 1),
      bestEventsPerSecond: Math.round(rates[rates.length - 1] as number),
    });
  }
  return results;
}

/** One run; returns the seconds taken by the measured events. */
async function measure(createStore: () => ConversationStore, mode: Mode): Promise<number> {
  const kit = new RoomKit({ store: createStore(), logger: silentLogger });
  const source = new CountingChannel("source");
  const target = new CountingChannel("target");
  kit.registerChannel(source);
  kit.registerChannel(target);
  await kit.createRoom({ roomId: "bench" });
  await kit.attachChannel("bench", "source");
  await kit.attachChannel("bench", "target");
  if (mode === "sequential_with_hook") kit.hook(HookTrigger.BEFORE_BROADCAST, () => HookResult.allow());
  const content = { type: "text" as const, body: "hello from the benchmark" };
  for (let i = 0; i < 2_000; i++) await kit.sendEvent("bench", "source", content); // warm-up
  const started = performance.now();
  if (mode === "concurrent_1000") {
    for (let sent = 0; sent < SEQUENTIAL_EVENTS; sent += CONCURRENT_BATCH) {
      const batch: Promise<RoomEvent>[] = [];
      for (let i = 0; i < CONCURRENT_BATCH; i++) batch.push(kit.sendEvent("bench", "source", content));
      await Promise.all(batch);
    }
  } else {
    for (let i = 0; i < SEQUENTIAL_EVENTS; i++) await kit.sendEvent("bench", "source", content);
  }
  const seconds = (performance.now() - started) / 1000;
  if (target.received !== SEQUENTIAL_EVENTS + 2_000) throw new Error(`lost events: ${target.received}`);
  await kit.close();
  return seconds;
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

const loadAtStart = loadavg()[0] ?? 0;
const directory = mkdtempSync(join(tmpdir(), "roomkit-bench-"));
let fileCounter = 0;
try {
  const scenarios = [
    ...(await run("memory", () => new MemoryConversationStore())),
    ...(await run(
      "sqlite_file",
      () => new SqliteConversationStore({ path: join(directory, `bench-${fileCounter++}.db`) }),
    )),
    ...(await run("sqlite_memory", () => new SqliteConversationStore({ path: ":memory:" }))),
  ];
  console.log(
    JSON.stringify({
      benchmark: "core.sendEvent",
      description:
        "RoomKit.sendEvent, 2 bound channels (1 target), text event; warm-up 2000 events per run; median of repetitions",
      bun: Bun.version,
      cpus: cpus().length,
      loadAverage1mAtStart: round(loadAtStart, 2),
      loadAverage1mAtEnd: round(loadavg()[0] ?? 0, 2),
      scenarios,
    }),
  );
} finally {
  rmSync(directory, { recursive: true, force: true });
}
