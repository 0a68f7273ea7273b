#!/usr/bin/env bash
# `bun run release:dry`: the release flow without publishing, in a temporary copy of the repo (this tree is never
# modified): a patch changeset for every package → `changeset version` (fixed group: all @roomkit/* share one version)
# → `bun run build` → scripts/pack.ts (the release's packer: published manifest, `bun pm pack` rewrites workspace:*).
# A real release runs the same steps in the repo and then `npm publish <tarball>` for each tarball printed here.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
copy=$(mktemp -d /tmp/roomkit-release-dry-XXXX)
trap 'rm -rf "$copy"' EXIT
tar --exclude=./.git --exclude=./.cache --exclude='./packages/*/dist' --exclude=./.turbo -cf - . | tar -xf - -C "$copy"
cd "$copy"
git init -q && git add -A >/dev/null && git -c user.email=dry@run -c user.name=dry commit -qm base
names=$(bun -e 'import {listPublishedPackages} from "./scripts/package-exports.ts"; console.log(listPublishedPackages(".").map(p => `"${p.pkg.name}": patch`).join("\n"))')
printf -- '---\n%s\n---\n\nrelease:dry\n' "$names" > .changeset/release-dry.md
bunx changeset version >&2
bun install >&2
TURBO_TELEMETRY_DISABLED=1 bun run build >&2
out="${1:-$root/.cache/release-dry}"
rm -rf "$out"
bun scripts/pack.ts "$out"
