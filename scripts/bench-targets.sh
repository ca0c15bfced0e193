#!/usr/bin/env bash
# Issue 13's targets side by side in one run, one scenario after the other on this machine:
# the checkout mix closed-loop (64 workers), the same open-loop at half the closed loop's rate
# (p99 of the checkout), the hot SKU (pipelined group commit, one write in flight, one write per
# reservation, the SQL row-lock baseline) and, when scripts/bench-session.sh exists, GET /api/me
# against /health/live. Not a test; the figures go to docs/BENCHMARKS.md ("Targets").
#
#   scripts/bench-targets.sh            # about 6 minutes
#
# Needs PostgreSQL and Redis running (scripts/services.sh start). Every server it starts listens on
# loopback and every run is bounded in time.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="${TARGETS_OUT:-$root/.data/targets}"
mkdir -p "$out"
dotnet build src/MestresCafe.LoadTest -c Release -nologo -clp:ErrorsOnly -v quiet
dotnet build src/MestresCafe.Server -c Release -nologo -clp:ErrorsOnly -v quiet
eval "$(scripts/services.sh env)"
load() { dotnet src/MestresCafe.LoadTest/bin/Release/net10.0/MestresCafe.LoadTest.dll "$@"; }

echo "[targets] checkout mix, closed loop, 64 workers"
load checkout-mix --concurrency 64 --duration 20 --warmup 10 --catalog 50 >"$out/mix.txt" 2>&1
closed="$(awk '$1 == "checkout" && $2 ~ /^[0-9]+$/ { print $6 }' "$out/mix.txt" | tail -1)"
half="$(awk -v r="$closed" 'BEGIN { printf "%.1f", r / 2 }')"

echo "[targets] checkout mix, open loop at half that rate ($half/s)"
load checkout-mix --concurrency 64 --duration 20 --warmup 10 --catalog 50 --rate "$half" >"$out/open.txt" 2>&1

echo "[targets] hot SKU"
load hot-sku --concurrency 64 --duration 10 --stock 10000000 >"$out/hot.txt" 2>&1

if [ -x scripts/bench-session.sh ]; then
  echo "[targets] GET /api/me against /health/live"
  BENCH_ROUNDS=1 scripts/bench-session.sh >"$out/session.txt" 2>&1 || true
fi

echo
echo "== checkout mix, closed loop"
grep -A4 '^operation' "$out/mix.txt"; grep -E '^cost per|^invariants' "$out/mix.txt"
echo "== checkout mix, open loop at $half/s"
grep -A4 '^operation' "$out/open.txt"; grep -E '^open loop|^cost per|^invariants' "$out/open.txt" || true
echo "== hot SKU"
grep -E '^(reserve|sql)-|^reserve |^cost per|^invariants' "$out/hot.txt"
if [ -f "$out/session.txt" ]; then
  echo "== session"
  tail -15 "$out/session.txt"
fi
