#!/usr/bin/env bash
# Backs up the local PostgreSQL cluster (the one scripts/services.sh runs) with pgBackRest.
#
#   scripts/backup.sh full   # a full copy of the cluster
#   scripts/backup.sh incr   # only the files changed since the last backup (the default; the first
#                            # backup of a repository is always a full one)
#   scripts/backup.sh info   # the backups in the repository and the WAL range they cover
#
# The first run creates the repository (.data/backup, or MC_BACKUP_REPO) and its stanza, and turns
# on continuous WAL archiving into it, so that scripts/restore.sh can bring the cluster back to any
# moment after the oldest kept backup. Each backup expires what retention no longer needs (the last
# MC_BACKUP_RETENTION_FULL full backups, 2 by default, their incrementals, and the WAL they need).
# Run it from cron or a systemd timer on a real host; deploy/README.md shows the Kubernetes CronJob.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/postgres.sh"

type="${1:-incr}"
case "$type" in
  full | incr | info) ;;
  *) echo "usage: $0 [full|incr|info]" >&2; exit 2 ;;
esac

log() { printf '[backup] %s\n' "$*" >&2; }

ensure_pgbackrest_installed
if [ "$type" = info ]; then
  [ -f "$backup_conf" ] || { log "no repository yet: run $0 full"; exit 1; }
  backrest info
  exit 0
fi

pg_is_running || { log "PostgreSQL is not running on port $pg_port (scripts/services.sh start)"; exit 1; }
if [ "$(pg_sql -c 'show archive_mode')" != on ]; then
  log "archive_mode is off in the running cluster: restart PostgreSQL once (scripts/services.sh stop-postgres; scripts/services.sh start-postgres) so that the setting services.sh writes takes effect"
  exit 1
fi

write_backup_config
# Idempotent: an existing stanza that matches this cluster is left as it is.
backrest stanza-create >/dev/null

# WAL goes to the repository from now on; ALTER SYSTEM keeps it across restarts, a reload applies it.
archive_command="pgbackrest --config=\"$backup_conf\" --stanza=$backup_stanza archive-push %p"
if [ "$(pg_sql -c 'show archive_command')" != "$archive_command" ]; then
  printf "alter system set archive_command = :'command';\nselect pg_reload_conf();\n" |
    pg_sql -v command="$archive_command" >/dev/null
  log "continuous WAL archiving into $backup_repo is on"
fi

# Switches to a new WAL segment and waits until the repository has it: archiving really works.
backrest check
backrest backup --type="$type"
backrest info
