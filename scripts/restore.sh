#!/usr/bin/env bash
# Point-in-time recovery of the local PostgreSQL cluster from the pgBackRest repository that
# scripts/backup.sh fills.
#
#   scripts/restore.sh --to "2026-12-01 14:03:00-03"                   # the cluster itself, in place
#   scripts/restore.sh --to "2026-12-01 14:03:00-03" --target-dir DIR  # a copy in DIR, cluster untouched
#
# --to is a timestamp with its time zone: every transaction committed up to that moment is kept,
# none after it. pgBackRest picks the latest backup that ended before it and PostgreSQL replays the
# archived WAL up to it, then opens the database for writes on a new timeline.
#
# In place: stop the product's servers first (their grains hold state in memory that a restore
# does not know about). The script sends the current WAL to the repository, stops PostgreSQL, keeps
# the old data folder beside it (pg.before-restore-<time>; delete it once the restore is checked),
# restores, starts PostgreSQL and waits until recovery ended. Then start the servers with an empty
# cache: the Redis keys under the service's prefix describe the store as it was before.
#
# Into --target-dir (an empty or absent folder): nothing of the running cluster changes; the copy
# has archiving off so that it never writes into the repository. Start it on another port to look at
# it or to copy rows back, e.g.
#   pg_ctl -D DIR -o "-p 55433 -c listen_addresses=127.0.0.1 -c unix_socket_directories=" start
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/postgres.sh"

usage() { echo "usage: $0 --to \"YYYY-MM-DD HH:MM:SS+TZ\" [--target-dir DIR]" >&2; exit 2; }
log() { printf '[restore] %s\n' "$*" >&2; }

to=""
target_dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --to) to="${2:-}"; shift 2 || usage ;;
    --target-dir) target_dir="${2:-}"; shift 2 || usage ;;
    *) usage ;;
  esac
done
[ -n "$to" ] || usage
# pgBackRest compares the target with backup times itself; without a zone it would read the time as
# the machine's, which is how restores land an hour or three off.
# The form pgBackRest reads to pick the backup: seconds and a numeric zone (-03, +0530, +05:30).
if ! [[ "$to" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}\ [0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?[+-][0-9]{2}(:?[0-9]{2})?$ ]]; then
  log "--to needs a date, a time with seconds and a numeric zone, e.g. \"2026-12-01 14:03:00-03\" (got \"$to\")"
  exit 2
fi

ensure_pgbackrest_installed
[ -f "$backup_conf" ] || { log "no repository: scripts/backup.sh has not run on this machine"; exit 1; }

# Recovery stops at the first commit after the target; that commit must be in the repository, so
# the WAL written since the last archived segment goes there first.
if pg_is_running; then
  backrest check
fi

restore_into() {
  local dir="$1"
  shift
  mkdir -p "$dir"
  if [ -n "$(ls -A "$dir")" ]; then
    log "$dir is not empty"
    exit 1
  fi
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir"; fi
  chmod 700 "$dir"
  backrest restore --pg1-path="$dir" --type=time --target="$to" --target-action=promote "$@"
}

if [ -n "$target_dir" ]; then
  target_dir="$(readlink -m "$target_dir")"
  [ "$target_dir" != "$(readlink -m "$pg_data")" ] || { log "--target-dir is the live data folder: leave it out to restore in place"; exit 1; }
  restore_into "$target_dir" --archive-mode=off
  log "restored to $to into $target_dir (archiving off); PostgreSQL replays the WAL when started on it"
  exit 0
fi

if pg_is_running; then
  as_postgres "$pg_bin/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null
  log "PostgreSQL stopped"
fi
kept="$pg_data.before-restore-$(date -u +%Y%m%dT%H%M%SZ)"
mv "$pg_data" "$kept"
log "the data folder as it was is kept in $kept"
restore_into "$pg_data"
"$root/scripts/services.sh" start-postgres
for _ in $(seq 1 600); do
  [ "$(pg_sql -c 'select pg_is_in_recovery()' 2>/dev/null)" = f ] && break
  sleep 0.5
done
[ "$(pg_sql -c 'select pg_is_in_recovery()')" = f ] || { log "PostgreSQL is still recovering after 5 minutes; see .data/pg.log"; exit 1; }
log "restored to $to; PostgreSQL is open for writes on a new timeline"
