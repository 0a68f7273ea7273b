const loaded = new WeakMap<BaseAudioContext, Map<string, Promise<void>>>();

/** Loads a worklet module from its source text (Blob URL) once per AudioContext. */
export function loadWorkletSource(context: BaseAudioContext, name: string, source: string): Promise<void> {
  let modules = loaded.get(context);
  if (modules === undefined) {
    modules = new Map();
    loaded.set(context, modules);
  }
  let pending = modules.get(name);
  if (pending === undefined) {
    const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
    pending = context.audioWorklet.addModule(url).finally(() => URL.revokeObjectURL(url));
    modules.set(name, pending);
  }
  return pending;
}
