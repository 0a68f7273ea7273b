// x real time of several contenders on 20 ms frames, measured interleaved (A B C, A B C, ... over `rounds` rounds of
// `frames` calls each, after one unmeasured round) so that load on the shared machine hits each alike. Reports the
// median, min and max over the rounds of (audio duration / process CPU time).
export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function interleaved(
  contenders: Record<string, () => unknown>,
  frames: number,
  rounds = 9,
): Record<string, Spread> {
  const names = Object.keys(contenders);
  const samples = new Map<string, number[]>(names.map((name) => [name, []]));
  for (let round = -1; round < rounds; round++) {
    for (const name of names) {
      const run = contenders[name];
      const start = process.cpuUsage();
      for (let i = 0; i < frames; i++) run();
      const used = process.cpuUsage(start);
      if (round >= 0) samples.get(name)?.push((frames * 20) / ((used.user + used.system) / 1000));
    }
  }
  const result: Record<string, Spread> = {};
  for (const [name, values] of samples) {
    const sorted = [...values].sort((a, b) => a - b);
    result[name] = {
      median: Math.round(sorted[sorted.length >> 1]),
      min: Math.round(sorted[0]),
      max: Math.round(sorted[sorted.length - 1]),
    };
  }
  return result;
}
