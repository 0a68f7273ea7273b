/**
 * Packs every package as a release does (scripts/pack.ts) and installs the tarballs in fresh projects outside the
 * workspace: the plain-JS consumer (scripts/pack-install/consumer.mjs) runs under Node 22, Node 24 and Bun with the
 * OpenAI and the Gemini fakes; docs/examples/quick-start.ts is type-checked with tsc (bundler and nodenext); the
 * transports and scale-out packages import under all three runtimes; an install of @roomkit/provider-openai alone
 * must pull neither @google/genai nor werift. Prints one JSON report on stdout.
 *   bun scripts/pack-install-test.ts   (after bun run build)
 * npm installs reuse ~/.npm's cache; the tarballs of the requested packages' @roomkit dependencies (transitively) are
 * installed beside them because those versions are not on the registry yet.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nodeBinaries } from "./node-binaries.ts";
import { listPublishedPackages } from "./package-exports.ts";
import { listTarball, packAll } from "./pack.ts";

const ROOT = join(import.meta.dir, "..");
const report: Record<string, unknown> = {};
const failures: string[] = [];

function sh(cmd: string[], cwd: string, timeoutMs = 120_000) {
  const started = performance.now();
  const run = Bun.spawnSync(cmd, {
    cwd,
    stdout: "pipe",
    stderr: "pipe",
    timeout: timeoutMs,
    env: { ...process.env, npm_config_update_notifier: "false" },
  });
  return {
    ok: run.exitCode === 0,
    out: run.stdout.toString() + run.stderr.toString(),
    ms: Math.round(performance.now() - started),
  };
}

function check(label: string, ok: boolean, detail = "") {
  report[label] = ok ? "ok" : `FAIL ${detail.slice(-1500)}`;
  if (!ok) failures.push(label);
}

const work = mkdtempSync(join(tmpdir(), "roomkit-pack-install-"));
try {
  const packed = packAll(ROOT, join(work, "tarballs"));
  const tarball = (name: string) => packed.find((p) => p.name === name)!.tarball;
  for (const p of packed) {
    const files = listTarball(p.tarball);
    const testOnly = files.filter((f) => /\.test\.|test-support\/|test-harness|raw-test-client|test-fixtures/.test(f));
    check(`${p.name}: tarball has no test-only file`, testOnly.length === 0, testOnly.join(" "));
    const manifest = readFileSync(join(ROOT, "package.json"), "utf8") && files;
    check(
      `${p.name}: tarball has dist, README.md, LICENSE`,
      ["package/dist/index.js", "package/README.md", "package/LICENSE"].every((f) => manifest.includes(f)),
    );
  }
  // publint and attw (ESM-only profile: no CommonJS build, documented in every README) on each tarball
  const bin = (name: string) => join(ROOT, "node_modules/.bin", name);
  for (const p of packed) {
    const publint = sh([bin("publint"), "run", p.tarball, "--strict"], work);
    check(`${p.name}: publint`, publint.ok && publint.out.includes("All good"), publint.out);
    const attw = sh([bin("attw"), p.tarball, "--profile", "esm-only", "--format", "ascii"], work);
    check(`${p.name}: attw (esm-only)`, attw.ok, attw.out);
  }
  const manifests = new Map(listPublishedPackages(ROOT).map(({ pkg }) => [pkg.name, pkg]));
  /** The requested packages and every @roomkit package they depend on (those are not on the registry yet). */
  const withRoomkitDependencies = (names: string[]): string[] => {
    const closure = new Set<string>();
    const visit = (name: string) => {
      if (closure.has(name)) return;
      closure.add(name);
      const dependencies = (manifests.get(name)?.dependencies ?? {}) as Record<string, string>;
      for (const dependency of Object.keys(dependencies)) {
        if (dependency.startsWith("@roomkit/")) visit(dependency);
      }
    };
    for (const name of names) visit(name);
    return [...closure];
  };
  const project = (name: string, deps: string[], extra: string[] = []) => {
    const dir = join(work, name);
    mkdirSync(dir);
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name, private: true, type: "module" }));
    const install = sh(
      [
        "npm",
        "install",
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
        "--prefer-offline",
        ...withRoomkitDependencies(deps).map(tarball),
        ...extra,
      ],
      dir,
    );
    check(`${name}: npm install`, install.ok, install.out);
    report[`${name}: install ms`] = install.ms;
    return dir;
  };

  // (a)+(c) the runtime consumer under Node 22, Node 24 and Bun
  const full = [
    "@roomkit/core",
    "@roomkit/realtime-channel",
    "@roomkit/provider-openai",
    "@roomkit/provider-gemini",
    "@roomkit/transport-ws",
    "@roomkit/testing",
  ];
  const app = project("consumer", full, ["ws@8.23.0", "typescript@6.0.3", "@types/node@22.19.1", "openai@7.57.0"]);
  cpSync(join(import.meta.dir, "pack-install/consumer.mjs"), join(app, "consumer.mjs"));
  const { node22, node24 } = nodeBinaries();
  for (const [runtime, bin] of [
    ["node22", node22],
    ["node24", node24],
    ["bun", process.execPath],
  ] as const) {
    for (const provider of ["openai", "gemini"]) {
      const run = sh([bin, "consumer.mjs", provider], app, 40_000);
      check(`${runtime} ${provider}: consumer`, run.ok && /^OK /m.test(run.out), run.out);
      report[`${runtime} ${provider}: ms`] = run.ms;
    }
  }
  // cold import time per package under Node 24 (fresh process each)
  for (const name of [...full, "@roomkit/spec", "@roomkit/audio"]) {
    const entry = name === "@roomkit/testing" ? "@roomkit/testing/fakes/openai" : name;
    const run = sh(
      [
        node24,
        "--input-type=module",
        "-e",
        `const t=performance.now();await import(${JSON.stringify(entry)});console.log((performance.now()-t).toFixed(0))`,
      ],
      app,
    );
    report[`cold import ms (node24) ${entry}`] = run.ok ? Number(run.out.trim().split("\n").pop()) : `FAIL ${run.out}`;
  }
  // (b) the Quick Start type-checks from the installed packages, bundler and nodenext resolution
  writeFileSync(join(app, "quick-start.ts"), readFileSync(join(ROOT, "docs/examples/quick-start.ts"), "utf8"));
  for (const resolution of ["bundler", "nodenext"]) {
    const module = resolution === "bundler" ? "preserve" : "nodenext";
    const tsc = sh(
      [
        join(app, "node_modules/.bin/tsc"),
        "--noEmit",
        "--strict",
        "--skipLibCheck",
        "false",
        "--target",
        "es2022",
        "--module",
        module,
        "--moduleResolution",
        resolution,
        "--types",
        "node",
        "quick-start.ts",
      ],
      app,
    );
    check(`tsc quick-start (${resolution})`, tsc.ok, tsc.out);
  }
  // (e) the transports and scale-out packages install alone and import under Node 22, Node 24 and Bun
  const importable: Record<string, string> = {
    "@roomkit/transport-webrtc": "FastRTCRealtimeTransport",
    "@roomkit/transport-sip": "SIPRealtimeTransport",
    "@roomkit/transport-local": "LocalAudioBackend",
    "@roomkit/store-postgres": "PostgresConversationStore",
    "@roomkit/bus-redis": "RedisRoomBus",
  };
  const others = project("others", Object.keys(importable));
  for (const [runtime, bin] of [
    ["node22", nodeBinaries().node22],
    ["node24", nodeBinaries().node24],
    ["bun", process.execPath],
  ] as const) {
    for (const [name, exported] of Object.entries(importable)) {
      const script = `const m=await import(${JSON.stringify(name)});if(typeof m[${JSON.stringify(exported)}]!=="function")throw new Error("missing export");console.log("OK")`;
      const run =
        runtime === "bun"
          ? sh([bin, "-e", script], others, 40_000)
          : sh([bin, "--input-type=module", "-e", script], others, 40_000);
      check(`${runtime} ${name}: imports ${exported}`, run.ok && /^OK$/m.test(run.out), run.out);
    }
  }
  // (d) @roomkit/provider-openai alone
  const alone = project("openai-alone", ["@roomkit/provider-openai"]);
  const lock = readFileSync(join(alone, "package-lock.json"), "utf8");
  check(
    "openai alone: no @google/genai, no werift in the lockfile",
    !lock.includes("node_modules/@google/genai") && !lock.includes("node_modules/werift"),
  );
  for (const dir of ["consumer", "openai-alone"]) {
    report[`${dir}: node_modules KiB`] = Number(sh(["du", "-sk", "node_modules"], join(work, dir)).out.split("\t")[0]);
  }
  for (const p of packed) report[`${p.name}: tarball KiB`] = Math.round(Bun.file(p.tarball).size / 1024);
} finally {
  rmSync(work, { recursive: true, force: true });
}
report.failures = failures;
console.log(JSON.stringify(report, null, 2));
process.exit(failures.length === 0 ? 0 : 1);
