const nextTurn: (resolve: () => void) => void =
  typeof setImmediate === "function" ? (resolve) => setImmediate(resolve) : (resolve) => setTimeout(resolve, 0);

/**
 * Lets pending promise callbacks run: each turn waits for one macrotask, which drains the microtask queue first.
 * `turns` > 1 lets chains that hop through several macrotasks finish too. A real `setTimeout(0)` may need more:
 * use `waitFor` for those.
 */
export async function settle(turns = 1): Promise<void> {
  for (let turn = 0; turn < turns; turn++) await new Promise<void>(nextTurn);
}
