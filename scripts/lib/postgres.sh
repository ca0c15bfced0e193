# Sourced by scripts/services.sh, scripts/backup.sh and scripts/restore.sh: where the local
# PostgreSQL cluster and its pgBackRest repository live, and how to act as the postgres user.
#
# Everything can be pointed elsewhere by the environment (the restore drill in the tests runs these
# scripts against a cluster of its own):
#   MC_PG_PORT (55432), MC_PG_DATA (.data/pg), MC_PG_SOCKET_DIR (.data/pg-run),
#   MC_BACKUP_REPO (.data/backup: the repository), MC_BACKUP_HOME (.data/pgbackrest: its config,
#   log and lock files), MC_BACKUP_RETENTION_FULL (2: full backups kept, with everything they need).

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
data="$root/.data"
pg_port="${MC_PG_PORT:-55432}"
pg_data="${MC_PG_DATA:-$data/pg}"
pg_run="${MC_PG_SOCKET_DIR:-$data/pg-run}"
pg_bin="$(dirname "$(readlink -f "$(command -v initdb || echo /usr/local/bin/initdb)")")"
backup_repo="${MC_BACKUP_REPO:-$data/backup}"
backup_home="${MC_BACKUP_HOME:-$data/pgbackrest}"
backup_conf="$backup_home/pgbackrest.conf"
backup_stanza=mestrescafe

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then
    # initdb refuses to run as root; the cluster (and so its backups) belong to the postgres user.
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_sql() { psql -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA "$@"; }

pg_is_running() {
  [ -f "$pg_data/postmaster.pid" ] && as_postgres "$pg_bin/pg_ctl" -D "$pg_data" status >/dev/null 2>&1
}

# Debian's pgbackrest, installed the way redis-server is (as root, or through sudo without a password).
ensure_pgbackrest_installed() {
  command -v pgbackrest >/dev/null 2>&1 && return
  if [ "$(id -u)" -eq 0 ]; then
    as_root=(env DEBIAN_FRONTEND=noninteractive)
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    as_root=(sudo -n env DEBIAN_FRONTEND=noninteractive)
  else
    echo "pgbackrest is not installed and this user cannot install it: run 'apt-get install pgbackrest' as root" >&2
    return 1
  fi
  echo "installing pgbackrest" >&2
  "${as_root[@]}" apt-get update -qq >/dev/null
  "${as_root[@]}" apt-get install -y -qq pgbackrest >/dev/null
}

# The stanza's configuration: one local repository (a folder; an object store is a matter of the
# repo1-type options, see deploy/README.md), full backups kept by count, WAL kept as far back as the
# oldest kept full backup needs.
write_backup_config() {
  mkdir -p "$backup_home/log" "$backup_home/lock" "$backup_home/spool" "$backup_repo"
  cat >"$backup_conf" <<CONF
[global]
repo1-path=$backup_repo
repo1-retention-full=${MC_BACKUP_RETENTION_FULL:-2}
compress-type=lz4
start-fast=y
log-path=$backup_home/log
lock-path=$backup_home/lock
spool-path=$backup_home/spool
log-level-console=warn
log-level-file=detail

[$backup_stanza]
pg1-path=$pg_data
pg1-port=$pg_port
pg1-socket-path=$pg_run
pg1-user=postgres
CONF
  if [ "$(id -u)" -eq 0 ]; then
    chown -R postgres "$backup_home" "$backup_repo"
  fi
  chmod 700 "$backup_repo"
}

backrest() { as_postgres pgbackrest --config="$backup_conf" --stanza="$backup_stanza" "$@"; }
