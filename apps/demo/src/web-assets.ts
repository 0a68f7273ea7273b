import { join } from "node:path";

export interface WebAssets {
  html: string;
  css: string;
  script: string;
}

/** Bundles the page script (and the transport's browser client) with Bun.build, in memory, at server start. */
export async function buildWebAssets(): Promise<WebAssets> {
  const directory = join(import.meta.dir, "web");
  const result = await Bun.build({
    entrypoints: [join(directory, "app.ts")],
    target: "browser",
    // Workspace packages from their sources (the "bun" export condition), never a stale dist/ build.
    conditions: ["bun"],
    format: "esm",
    minify: false,
    sourcemap: "inline",
  });
  if (!result.success || result.outputs.length === 0) {
    const messages = result.logs.map((log) => String(log.message ?? log)).join("\n");
    throw new Error(`Bundling the demo page failed:\n${messages}`);
  }
  const [html, css, script] = await Promise.all([
    Bun.file(join(directory, "page.html")).text(),
    Bun.file(join(directory, "styles.css")).text(),
    result.outputs[0]!.text(),
  ]);
  return { html, css, script };
}
