#!/usr/bin/env bash
# Session look-up benchmark: authenticated GET /api/me next to GET /health/live, one server on
# loopback, wrk with a bounded duration, both endpoints in the same run (alternating rounds). Not a
# test; the figures go to docs/BENCHMARKS.md ("Session look-up").
#
#   scripts/bench-session.sh                 # 3 rounds of 10 s per endpoint, 16 connections
#   BENCH_ROUNDS=5 BENCH_DURATION=20s scripts/bench-session.sh
#   BENCH_SERVER_DIR=<another build's bin/Release/net10.0> scripts/bench-session.sh   # e.g. an older commit
#
# Needs PostgreSQL and Redis running (scripts/services.sh start); installs wrk and jq when missing. Uses a database of its
# own (BENCH_DATABASE, mestrescafe_bench by default, migrated and seeded by the server) and its own
# Redis key prefix; a ConnectionStrings__Redis already set is used as it is. Next to each /api/me
# figure: PostgreSQL transactions per request (pg_stat_database delta of that database).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
duration="${BENCH_DURATION:-10s}"
connections="${BENCH_CONNECTIONS:-16}"
threads="${BENCH_THREADS:-2}"
rounds="${BENCH_ROUNDS:-3}"
port="${BENCH_PORT:-5091}"
pg_port="${MC_PG_PORT:-55432}"
redis_port="${MC_REDIS_PORT:-56379}"
server_dir="${BENCH_SERVER_DIR:-$root/src/MestresCafe.Server/bin/Release/net10.0}"
database="${BENCH_DATABASE:-mestrescafe_bench}"
base="http://127.0.0.1:$port"
customer="ana.souza@example.com.br"

# Debian's wrk and jq, installed when missing (as root or through passwordless sudo).
for tool in wrk jq; do
  command -v "$tool" >/dev/null && continue
  if [ "$(id -u)" -eq 0 ]; then as_root=(env DEBIAN_FRONTEND=noninteractive)
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then as_root=(sudo -n env DEBIAN_FRONTEND=noninteractive)
  else echo "$tool is missing: apt-get install -y $tool" >&2; exit 1; fi
  echo "[bench] installing $tool" >&2
  { "${as_root[@]}" apt-get install -y -qq "$tool" >/dev/null 2>&1 ||
    { "${as_root[@]}" apt-get update -qq >/dev/null && "${as_root[@]}" apt-get install -y -qq "$tool" >/dev/null; }; } ||
    { echo "installing $tool failed" >&2; exit 1; }
done

if [ -z "${BENCH_SERVER_DIR:-}" ]; then
  echo "[bench] building the server (Release)..."
  dotnet build src/MestresCafe.Server -c Release -nologo -clp:ErrorsOnly -v quiet
fi

if ! psql -h 127.0.0.1 -p "$pg_port" -U postgres -Atqc "select 1 from pg_database where datname = '$database'" | grep -q 1; then
  psql -h 127.0.0.1 -p "$pg_port" -U postgres -qc "create database $database"
fi

server=""
stop_server() {
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then kill "$server"; wait "$server" 2>/dev/null || true; fi
  server=""
}
trap stop_server EXIT INT TERM

export ConnectionStrings__Postgres="Host=127.0.0.1;Port=$pg_port;Database=$database;Username=postgres"
if [ -z "${ConnectionStrings__Redis:-}" ]; then
  eval "$(MC_REDIS_PORT="$redis_port" "$root/scripts/services.sh" env | grep '^export ConnectionStrings__Redis=')"
fi
eval "$("$root/scripts/server-secrets.sh")"
export Redis__KeyPrefix="bench-session:" RateLimits__Enabled=false
export Urls="$base" Orleans__ClusterId="bench-session" Orleans__ServiceId="bench-session"
export Orleans__SiloPort=$((port + 21000)) Orleans__GatewayPort=$((port + 22000))
export Demo__Seed=true Demo__CredentialsFile="$root/.data/bench-credentials.txt"
export Logging__LogLevel__Default=Warning ASPNETCORE_ENVIRONMENT=Production
mkdir -p "$root/.data"
(cd "$server_dir" && exec dotnet MestresCafe.Server.dll) > "$root/.data/bench-session-server.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do
  if curl -fsS "$base/health/live" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server" 2>/dev/null; then echo "[bench] the server exited; see .data/bench-session-server.log" >&2; exit 1; fi
  sleep 0.5
done

password="$(awk -v e="$customer" '$1 == e {print $2}' "$root/.data/bench-credentials.txt")"
token="$(curl -fsS -H 'Content-Type: application/json' -d "$(jq -n --arg e "$customer" --arg p "$password" '{email: $e, password: $p}')" \
  "$base/api/auth/login" | jq -r .accessToken)"
[ -n "$token" ] && [ "$token" != null ] || { echo "[bench] could not sign in $customer" >&2; exit 1; }
auth="Authorization: Bearer $token"
curl -fsS -o /dev/null -H "$auth" "$base/api/me"

results=()
transactions() { # committed and rolled back so far in the benchmark database (flushed within a second)
  sleep 1
  psql -h 127.0.0.1 -p "$pg_port" -U postgres -Atqc "select xact_commit + xact_rollback from pg_stat_database where datname = '$database'"
}
run() { # $1 = label, $2 = path, then extra wrk arguments
  local label="$1" path="$2"; shift 2
  local out rps p50 p99 requests before after
  before="$(transactions)"
  out="$(wrk -t"$threads" -c"$connections" -d"$duration" --latency "$@" "$base$path")"
  after="$(transactions)"
  if echo "$out" | grep -q "Non-2xx"; then echo "$out" >&2; echo "[bench] non-2xx answers for $path" >&2; exit 1; fi
  rps="$(echo "$out" | awk '/^Requests\/sec/ {print $2}')"
  p50="$(echo "$out" | awk '$1 == "50%" {print $2}')"
  p99="$(echo "$out" | awk '$1 == "99%" {print $2}')"
  requests="$(echo "$out" | awk '/requests in/ {print $1}')"
  pg="$(awk -v t="$((after - before))" -v r="$requests" 'BEGIN { printf "%.3f", t / r }')"
  echo "    $label: $rps req/s, p50 $p50, p99 $p99, $pg PostgreSQL transactions a request (load $(cut -d' ' -f1-3 /proc/loadavg))"
  results+=("$label|$rps|$p50|$p99|$pg")
}

# Warm-up: JIT tiering, connection pools, caches.
wrk -t"$threads" -c"$connections" -d5s "$base/health/live" >/dev/null
wrk -t"$threads" -c"$connections" -d5s -H "$auth" "$base/api/me" >/dev/null
for round in $(seq 1 "$rounds"); do
  echo "[bench] round $round"
  run "health/live" "/health/live"
  run "api/me" "/api/me" -H "$auth"
done

echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo); $(date -u +%Y-%m-%d); wrk -t$threads -c$connections -d$duration, $rounds rounds"
echo "| round | /health/live req/s | p50 | p99 | /api/me req/s | p50 | p99 | PG tx a request | ratio |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for round in $(seq 1 "$rounds"); do
  live="${results[$(( (round - 1) * 2 ))]}"; me="${results[$(( (round - 1) * 2 + 1 ))]}"
  IFS='|' read -r _ l_rps l_p50 l_p99 _ <<<"$live"
  IFS='|' read -r _ m_rps m_p50 m_p99 m_pg <<<"$me"
  ratio="$(awk -v m="$m_rps" -v l="$l_rps" 'BEGIN { printf "%.2f", m / l }')"
  echo "| $round | $l_rps | $l_p50 | $l_p99 | $m_rps | $m_p50 | $m_p99 | $m_pg | $ratio |"
done
