// GC pauses of the capacity runs, read from JavaScriptCore's own GC log: the capacity worker runs with
// BUN_JSC_logGC=1, which prints one line per collection with each stop-the-world pause as "p=<ms>ms". The worker
// brackets each run's measured window with markers on stderr (written synchronously, in order with JSC's log);
// the parent keeps the pauses between a run's markers and passes every other line through.
import { writeSync } from "node:fs";
import { distribution, type LatencyDistribution } from "./stats.ts";

const START = "@@gc-window-start ";
const END = "@@gc-window-end ";
const PAUSE = /\bp=([0-9.]+)ms/g;

export const GC_LOG_ENV = { BUN_JSC_logGC: "1" };

let nextWindow = 0;

/** Worker side: opens a window (returns its id, to report with the run). */
export function openGcWindow(): number {
  const id = nextWindow++;
  writeSync(2, `${START}${id}\n`);
  return id;
}

export function closeGcWindow(id: number): void {
  writeSync(2, `${END}${id}\n`);
}

export interface GcPauses {
  supported: true;
  method: string;
  pauses: number;
  pause_total_ms: number;
  pause: LatencyDistribution;
}

/** Parent side: splits the worker's stderr into GC pauses per window and other lines (written to `passThrough`). */
export async function collectGcPauses(
  stream: ReadableStream<Uint8Array>,
  passThrough: (line: string) => void,
): Promise<Map<number, number[]>> {
  const windows = new Map<number, number[]>();
  let open: number[] | undefined;
  let rest = "";
  const decoder = new TextDecoder();
  const line = (text: string) => {
    if (text.startsWith(START)) {
      open = [];
      windows.set(Number(text.slice(START.length)), open);
    } else if (text.startsWith(END)) open = undefined;
    else if (text.startsWith("[GC<")) {
      if (open !== undefined) for (const match of text.matchAll(PAUSE)) open.push(Number(match[1]) * 1e6);
    } else if (!text.startsWith("Requesting GC") && text !== "GC END!") passThrough(text);
  };
  for await (const chunk of stream) {
    rest += decoder.decode(chunk, { stream: true });
    let newline = rest.indexOf("\n");
    while (newline >= 0) {
      line(rest.slice(0, newline));
      rest = rest.slice(newline + 1);
      newline = rest.indexOf("\n");
    }
  }
  if (rest !== "") line(rest);
  return windows;
}

export function summarizeGcPauses(pausesNs: number[] | undefined): GcPauses | { supported: false; note: string } {
  if (pausesNs === undefined) return { supported: false, note: "no GC log window for this run" };
  let total = 0;
  for (const pause of pausesNs) total += pause;
  return {
    supported: true,
    method:
      "JSC GC log (BUN_JSC_logGC=1): every stop-the-world pause ('p=' per collection phase) during the measured window",
    pauses: pausesNs.length,
    pause_total_ms: Math.round(total / 1e3) / 1e3,
    pause: distribution(pausesNs),
  };
}
