#!/usr/bin/env bash
# Runs the whole test suite against a real PostgreSQL and Redis, which it starts when needed.
#
#   scripts/test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Inventory]
#
# Ends with a line "N passed, N failed" counted from the test results.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
configuration="${CONFIGURATION:-Release}"
results="$root/TestResults"

"$root/scripts/services.sh" start

# Debian packages some tests drive, installed when missing (as root or through passwordless sudo).
# A failed install leaves the other tests to run; the tests needing the package then fail saying why.
install_for_tests() { # <what needs it> <apt-get install arguments...>
  local purpose=$1
  shift
  local as_root
  echo "[test] installing ${*: -1} for $purpose" >&2
  if [ "$(id -u)" -eq 0 ]; then
    as_root=(env DEBIAN_FRONTEND=noninteractive)
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    as_root=(sudo -n env DEBIAN_FRONTEND=noninteractive)
  else
    echo "[test] cannot install ${*: -1} (not root, no sudo): $purpose will fail" >&2
    return 0
  fi
  if ! { "${as_root[@]}" apt-get update -qq >/dev/null && "${as_root[@]}" apt-get install -y -qq "$@" >/dev/null; }; then
    echo "[test] installing ${*: -1} failed: $purpose will fail" >&2
  fi
}

# The browser tests (tests/MestresCafe.Browser.Tests) drive Debian's chromium, or MC_CHROMIUM.
if [ -z "${MC_CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium ]; then
  install_for_tests "the browser tests" chromium
fi
# The alert-rule and scrape tests (tests/MestresCafe.Api.Tests/Observability) run prometheus and promtool.
if ! command -v promtool >/dev/null 2>&1 || ! command -v prometheus >/dev/null 2>&1; then
  install_for_tests "the alert-rule tests" --no-install-recommends prometheus
fi
# Course certificates embed Liberation Sans (Debian's fonts-liberation).
if [ ! -f /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf ]; then
  install_for_tests "the certificate test" fonts-liberation
fi
# npm packages some tests run, pinned in a folder's package-lock.json and installed into its
# node_modules (git-ignored) with npm when missing, and npm with Debian's package.
npm_ci_for_tests() { # <what needs it> <folder> <file there once installed>
  local purpose=$1 folder=$2 installed=$3
  [ -e "$folder/$installed" ] && return 0
  if ! command -v npm >/dev/null 2>&1; then
    install_for_tests "$purpose" --no-install-recommends npm
  fi
  if command -v npm >/dev/null 2>&1; then
    echo "[test] installing the npm packages of ${folder#"$root"/} for $purpose" >&2
    (cd "$folder" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null) ||
      echo "[test] installing the npm packages of ${folder#"$root"/} failed: $purpose will fail" >&2
  fi
}
# The OpenAPI lint test runs Spectral and the OWASP ruleset.
npm_ci_for_tests "the OpenAPI lint test" "$root/docs/openapi" node_modules/.bin/spectral
# The S3 media store tests run s3rver, an S3-compatible server, through tests/s3-server/serve.js.
npm_ci_for_tests "the S3 media store tests" "$root/tests/s3-server" node_modules/s3rver/package.json
eval "$("$root/scripts/services.sh" env)"
export MC_TEST_POSTGRES="Host=127.0.0.1;Port=$MC_PG_PORT;Username=postgres"
export MC_TEST_REDIS="127.0.0.1:$MC_REDIS_PORT,password=$MC_REDIS_PASSWORD"

# Test databases left behind by an interrupted run (over an hour old, so never those of a run in
# progress) and templates of older migration sets (over a day old) are dropped.
psql -h 127.0.0.1 -p "$MC_PG_PORT" -U postgres -d postgres -tAc "
  select datname from pg_database
  where (datname like 'mc\_test\_%' and (pg_stat_file('base/' || oid || '/PG_VERSION')).modification < now() - interval '1 hour')
     or (datname like 'mc\_tpl\_%' and (pg_stat_file('base/' || oid || '/PG_VERSION')).modification < now() - interval '1 day')" |
  while read -r db; do
    [ -n "$db" ] && psql -h 127.0.0.1 -p "$MC_PG_PORT" -U postgres -d postgres -qc "drop database if exists \"$db\" with (force)"
  done

rm -rf "$results"
dotnet build MestresCafe.sln -c "$configuration" -nologo -clp:ErrorsOnly

status=0
dotnet test MestresCafe.sln -c "$configuration" --no-build -nologo \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" "$@" || status=$?

passed=0
failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done

if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then
  echo "no test ran" >&2
  status=1
fi
# The failed tests' names and first message lines again, just above the count, so the tail of a
# long log says what failed.
if [ "$failed" -gt 0 ]; then
  for trx in "$results"/*.trx; do
    [ -f "$trx" ] || continue
    grep -o '<UnitTestResult [^>]*outcome="Failed"[^>]*>' "$trx" | sed -n 's/.* testName="\([^"]*\)".*/FAILED \1/p' || true
    # The first lines of each failure message (expected and actual values included; trx escapes
    # the text, and it is printed as stored).
    awk '/<Message>/ { inside = 1; lines = 0; sub(/.*<Message>/, "") }
         inside { done = sub(/<\/Message>.*/, ""); if (lines++ < 6) print "  " substr($0, 1, 300); if (done) inside = 0 }' "$trx" || true
  done
fi
echo "$passed passed, $failed failed"
exit "$status"
