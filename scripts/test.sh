#!/usr/bin/env bash
# The project's test command (`bun run test`): installs what the tests need, runs every workspace's tests with
# `bun test` from the root, and ends with the line "N passed, N failed" counted from bun's own summary.
# *.live.test.ts (real OpenAI/Gemini services) are excluded; run them with `bun run test:live`.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-test-env.sh || { echo "setup-test-env failed"; echo "0 passed, 1 failed"; exit 1; }
export TURBO_TELEMETRY_DISABLED=1
log=$(mktemp)
bun test --path-ignore-patterns='**/*.live.test.ts' --path-ignore-patterns='**/node_modules/**' --timeout=30000 "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
clean=$(sed 's/\x1b\[[0-9;]*m//g' "$log")
pass=$(printf '%s\n' "$clean" | grep -E '^ *[0-9]+ pass$' | tail -1 | awk '{print $1}')
fail=$(printf '%s\n' "$clean" | grep -E '^ *[0-9]+ fail$' | tail -1 | awk '{print $1}')
pass=${pass:-0}; fail=${fail:-0}
if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then fail=1; fi
rm -f "$log"
echo "$pass passed, $fail failed"
exit "$rc"
