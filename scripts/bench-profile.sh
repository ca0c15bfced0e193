#!/usr/bin/env bash
# Profiles the server under the checkout mix: runs the load harness (one server it starts itself,
# on loopback, bounded duration, after a warm-up), and for a window in the middle of the run
# samples the server's CPU with perf (JIT-compiled frames named through the runtime's perf map),
# its runtime counters with dotnet-counters, and prints the hottest methods and stacks. Not a
# test; the figures go to docs/BENCHMARKS.md ("Server profile").
#
#   scripts/bench-profile.sh                          # 64 workers, 30 s run, 10 s trace
#   PROFILE_SCENARIO="hot-sku --stock 10000000" scripts/bench-profile.sh
#
# Needs PostgreSQL and Redis running (scripts/services.sh start). The diagnostic tools come from
# the repository's tool manifest (dotnet-tools.json), restored here, and Debian's perf
# (linux-perf), installed here when missing. dotnet-trace's own sampler records wall-clock thread
# time (mostly threads waiting), which is why CPU comes from perf.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scenario="${PROFILE_SCENARIO:-checkout-mix --catalog 50}"
concurrency="${PROFILE_CONCURRENCY:-64}"
duration="${PROFILE_DURATION:-30}"
window="${PROFILE_WINDOW:-10}"
out="${PROFILE_OUT:-$root/.data/profile}"
mkdir -p "$out"

dotnet tool restore >/dev/null
if ! command -v perf >/dev/null; then
  apt-get update -qq && apt-get install -y -qq linux-perf >/dev/null
fi
dotnet build src/MestresCafe.LoadTest -c Release -nologo -clp:ErrorsOnly -v quiet
dotnet build src/MestresCafe.Server -c Release -nologo -clp:ErrorsOnly -v quiet
eval "$(scripts/services.sh env)"

# The servers inherit these: a perf map of JIT-compiled code, written to plain (not double-mapped)
# memory so that perf can name the frames.
export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
# shellcheck disable=SC2086 # the scenario is a word list on purpose
dotnet src/MestresCafe.LoadTest/bin/Release/net10.0/MestresCafe.LoadTest.dll $scenario \
  --concurrency "$concurrency" --duration "$duration" --warmup "${PROFILE_WARMUP:-15}" >"$out/run.txt" 2>&1 &
harness=$!
trap 'kill "$harness" 2>/dev/null || true' INT TERM

server=""
for _ in $(seq 1 120); do
  server="$(pgrep -P "$harness" -f 'MestresCafe.Server.dll' | head -1 || true)"
  [ -n "$server" ] && break
  sleep 0.5
done
[ -n "$server" ] || { echo "[profile] the harness started no server" >&2; wait "$harness"; exit 1; }

# The measured traffic starts after seeding, the warm-up and an idle measurement.
until grep -q '^\[.* [0-9]*s\]' "$out/run.txt" 2>/dev/null; do sleep 1; kill -0 "$harness" || break; done
sleep "${PROFILE_DELAY:-$((duration / 3))}"
echo "[profile] tracing server $server for $window s"
dotnet tool run dotnet-counters collect -p "$server" --duration "00:00:00:$window" --format csv \
  -o "$out/counters.csv" --counters System.Runtime,Microsoft.AspNetCore.Hosting,Npgsql >/dev/null 2>&1 &
counters=$!
perf record -F 499 -g -p "$server" -o "$out/perf.data" -- sleep "$window" 2>/dev/null
wait "$counters" || true
wait "$harness" || true

grep -A4 '^operation' "$out/run.txt" || tail -20 "$out/run.txt"
grep '^cost per' "$out/run.txt" || true
echo "[profile] CPU by module"
perf report -i "$out/perf.data" --no-children --sort dso -g none 2>/dev/null | grep '%' | head -12
echo "[profile] hottest methods, self time (with callers: $out/callers.txt)"
perf report -i "$out/perf.data" --no-children --sort sym -g none 2>/dev/null | grep '%' | head -40 | tee "$out/top-self.txt"
perf report -i "$out/perf.data" --children --sort sym -g caller,0.5,callee --percent-limit 2 2>/dev/null >"$out/callers.txt"
echo "[profile] counters: $out/counters.csv; samples: $out/perf.data"
