/**
 * Enforces the dependency direction of design.md: providers and transports depend only on spec and audio;
 * spec depends on nothing; audio only on spec. Checks package.json dependencies and every import in src/.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const ALLOWED: Record<string, readonly string[]> = {
  spec: [],
  audio: ["spec"],
  core: ["spec"],
  "realtime-channel": ["spec", "audio", "core"],
  "provider-openai": ["spec", "audio"],
  "provider-gemini": ["spec", "audio"],
  "transport-ws": ["spec", "audio"],
  "transport-webrtc": ["spec", "audio"],
  "transport-sip": ["spec", "audio"],
  "transport-local": ["spec", "audio"],
  "store-postgres": ["spec", "core"],
  "bus-redis": ["spec", "core"],
  testing: ["spec", "audio", "core", "test-support"],
  "test-support": ["spec"],
};

/** Test files and test-only helpers may use devDependencies such as @roomkit/testing; they are not published. */
function isTestOnly(path: string): boolean {
  return /\.test\.ts$|test-harness\.ts$|\.test-support\.ts$|[\\/]src[\\/](.+[\\/])?test-support[\\/]/.test(path);
}

function sourceFiles(directory: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(directory)) {
    const path = join(directory, entry);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
    else if (entry.endsWith(".ts") && !isTestOnly(path)) files.push(path);
  }
  return files;
}

export function findBoundaryViolations(root: string): string[] {
  const violations: string[] = [];
  const packagesDirectory = join(root, "packages");
  for (const name of readdirSync(packagesDirectory)) {
    const allowed = ALLOWED[name];
    if (!allowed) {
      violations.push(`packages/${name}: no dependency rule declared in scripts/check-boundaries.ts`);
      continue;
    }
    const manifest = JSON.parse(readFileSync(join(packagesDirectory, name, "package.json"), "utf8"));
    for (const dependency of Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies })) {
      if (dependency.startsWith("@roomkit/") && !allowed.includes(dependency.slice(9))) {
        violations.push(`packages/${name}/package.json depends on ${dependency}`);
      }
    }
    for (const file of sourceFiles(join(packagesDirectory, name, "src"))) {
      const text = readFileSync(file, "utf8");
      for (const match of text.matchAll(/from\s+["']@roomkit\/([a-z-]+)/g)) {
        if (!allowed.includes(match[1]!))
          violations.push(`${file.slice(root.length + 1)} imports @roomkit/${match[1]}`);
      }
    }
  }
  return violations;
}

if (import.meta.main) {
  const violations = findBoundaryViolations(join(import.meta.dir, ".."));
  for (const violation of violations) console.error(violation);
  console.log(violations.length === 0 ? "package boundaries ok" : `${violations.length} boundary violations`);
  process.exit(violations.length === 0 ? 0 : 1);
}
