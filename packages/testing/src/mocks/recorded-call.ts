/** The method names of `Target` (functions only). */
export type MethodName<Target> = {
  [Key in keyof Target]-?: Target[Key] extends (...args: any[]) => unknown ? Key : never;
}[keyof Target];

/** One recorded call: the method name and the exact arguments, typed from the interface itself. */
export type RecordedCall<Target, Method extends MethodName<Target> = MethodName<Target>> = {
  [Key in Method]: {
    method: Key;
    args: Target[Key] extends (...args: infer Args) => unknown ? Args : never;
  };
}[Method];

/** The calls of `calls` whose method is `method`, typed. */
export function callsOf<Target, Method extends MethodName<Target>>(
  calls: readonly RecordedCall<Target, MethodName<Target>>[],
  method: Method,
): RecordedCall<Target, Method>[] {
  return calls.filter((call) => call.method === method) as unknown as RecordedCall<Target, Method>[];
}
