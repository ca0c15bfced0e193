#!/usr/bin/env bash
# Catalog read benchmark: cached vs uncached product detail and category listing, one server on
# loopback, wrk with a bounded duration. Not a test; the figures go to docs/BENCHMARKS.md.
#
#   scripts/bench-catalog.sh                 # 15 s per endpoint and mode
#   BENCH_DURATION=30s BENCH_CONNECTIONS=128 scripts/bench-catalog.sh
#
# Needs PostgreSQL and Redis running (scripts/services.sh start) and wrk (apt-get install -y wrk).
# Uses a database of its own (mestrescafe_bench, migrated and seeded by the server) and its own
# Redis key prefix, so it leaves the development database and other servers alone.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
duration="${BENCH_DURATION:-15s}"
connections="${BENCH_CONNECTIONS:-64}"
threads="${BENCH_THREADS:-2}"
port="${BENCH_PORT:-5090}"
pg_port="${MC_PG_PORT:-55432}"
redis_port="${MC_REDIS_PORT:-56379}"
database=mestrescafe_bench
base="http://127.0.0.1:$port"
detail="/api/catalog/products/cafe-sul-de-minas-bourbon-amarelo"
listing="/api/catalog/products?category=cafes&sort=price_asc&pageSize=24"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

echo "[bench] building the server (Release)..."
dotnet build src/MestresCafe.Server -c Release -nologo -clp:ErrorsOnly -v quiet

if ! psql -h 127.0.0.1 -p "$pg_port" -U postgres -Atqc "select 1 from pg_database where datname = '$database'" | grep -q 1; then
  psql -h 127.0.0.1 -p "$pg_port" -U postgres -qc "create database $database"
fi

server=""
stop_server() {
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then kill "$server"; wait "$server" 2>/dev/null || true; fi
  server=""
}
trap stop_server EXIT INT TERM

start_server() { # $1 = caching true|false
  export ConnectionStrings__Postgres="Host=127.0.0.1;Port=$pg_port;Database=$database;Username=postgres"
  # The Redis connection string with its password, as scripts/services.sh keeps it.
  eval "$(MC_REDIS_PORT="$redis_port" "$root/scripts/services.sh" env | grep '^export ConnectionStrings__Redis=')"
  eval "$("$root/scripts/server-secrets.sh")"
  export Redis__KeyPrefix="bench:$1:" Catalog__Caching="$1"
  export Urls="$base" Orleans__ClusterId="bench-$1" Orleans__ServiceId="bench-$1"
  export Orleans__SiloPort=$((port + 21000)) Orleans__GatewayPort=$((port + 22000))
  export Demo__Seed=true Demo__CredentialsFile="$root/.data/bench-credentials.txt"
  export Logging__LogLevel__Default=Warning ASPNETCORE_ENVIRONMENT=Production
  mkdir -p "$root/.data"
  (cd src/MestresCafe.Server/bin/Release/net10.0 && exec dotnet MestresCafe.Server.dll) > "$root/.data/bench-server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 120); do
    if curl -fsS "$base/health/live" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$server" 2>/dev/null; then echo "[bench] the server exited; see .data/bench-server.log" >&2; exit 1; fi
    sleep 0.5
  done
  echo "[bench] the server did not start" >&2; exit 1
}

results=()
run() { # $1 = mode, $2 = label, $3 = path
  curl -fsS -o /dev/null "$base$3"
  # Warm-up: JIT tiering, connection pool, caches.
  wrk -t"$threads" -c"$connections" -d5s "$base$3" >/dev/null
  echo "    load before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
  local out rps latency
  out="$(wrk -t"$threads" -c"$connections" -d"$duration" --latency "$base$3")"
  echo "$out" | sed 's/^/    /'
  rps="$(echo "$out" | awk '/^Requests\/sec/ {print $2}')"
  latency="$(echo "$out" | awk '$1 == "99%" {print $2}')"
  if echo "$out" | grep -q "Non-2xx"; then echo "[bench] non-2xx answers for $3" >&2; exit 1; fi
  results+=("$1|$2|$rps|$latency")
}

for mode in true false; do
  echo "[bench] caching=$mode"
  start_server "$mode"
  run "$mode" "product detail" "$detail"
  run "$mode" "category listing" "$listing"
  stop_server
done

echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo); $(date -u +%Y-%m-%d); wrk -t$threads -c$connections -d$duration"
echo "| endpoint | cached req/s | cached p99 | uncached req/s | uncached p99 | ratio |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
for label in "product detail" "category listing"; do
  cached="$(printf '%s\n' "${results[@]}" | awk -F'|' -v l="$label" '$1 == "true" && $2 == l')"
  uncached="$(printf '%s\n' "${results[@]}" | awk -F'|' -v l="$label" '$1 == "false" && $2 == l')"
  c_rps="$(echo "$cached" | cut -d'|' -f3)"; c_p99="$(echo "$cached" | cut -d'|' -f4)"
  u_rps="$(echo "$uncached" | cut -d'|' -f3)"; u_p99="$(echo "$uncached" | cut -d'|' -f4)"
  ratio="$(awk -v c="$c_rps" -v u="$u_rps" 'BEGIN { printf "%.1fx", c / u }')"
  echo "| $label | $c_rps | $c_p99 | $u_rps | $u_p99 | $ratio |"
done
