/** Pending fault injections shared by the fake's connections. */
export class FaultState {
  readonly delays = new Map<string, { ms: number; count: number }>();
  readonly duplicates = new Map<string, number>();
  readonly reorders = new Set<string>();
  failTranscriptions = 0;

  takeDelay(type: string): number | undefined {
    const delay = this.delays.get(type);
    if (!delay) return undefined;
    if (--delay.count <= 0) this.delays.delete(type);
    return delay.ms;
  }

  takeDuplicate(type: string): boolean {
    const count = this.duplicates.get(type);
    if (!count) return false;
    if (count <= 1) this.duplicates.delete(type);
    else this.duplicates.set(type, count - 1);
    return true;
  }

  takeReorder(type: string): boolean {
    return this.reorders.delete(type);
  }
}
