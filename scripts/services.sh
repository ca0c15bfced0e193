#!/usr/bin/env bash
# Starts and stops the local PostgreSQL and Redis the product needs, without Docker.
#
#   scripts/services.sh start    # idempotent: starts what is not running yet
#   scripts/services.sh stop     # stops what this script started
#   scripts/services.sh status
#   scripts/services.sh env      # prints the connection strings (with Redis's password) as shell exports
#   scripts/services.sh start-mail  # the dev-mail SMTP server (scripts/run.sh starts it; tests host their own)
#
# Data lives in .data/ at the top of the repository (ignored by git). Both servers listen on
# loopback only. Ports come from MC_PG_PORT (default 55432) and MC_REDIS_PORT (default 56379).
# The dev-mail SMTP server (src/MestresCafe.DevMail, built here with the .NET SDK) listens on
# MC_MAIL_PORT (default 52525) and keeps every message it accepts in .data/mail/new.
# Redis requires a password, generated once per machine into .data/redis/password.
set -euo pipefail

# Where PostgreSQL lives (root, data, pg_port, pg_data, pg_run, pg_bin) and as_postgres.
. "$(dirname "${BASH_SOURCE[0]}")/lib/postgres.sh"
redis_port="${MC_REDIS_PORT:-56379}"
pg_log="$data/pg.log"
redis_dir="$data/redis"
redis_password_file="$redis_dir/password"
mail_port="${MC_MAIL_PORT:-52525}"
mail_dir="$data/mail"
mail_pid="$data/devmail.pid"
mail_log="$data/devmail.log"
log() { printf '[services] %s\n' "$*" >&2; }

ensure_postgres_user() {
  if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir "$data" --shell /usr/sbin/nologin postgres
  fi
}

pg_running() { pg_is_running; }

# Continuous archiving: archive_mode is on in every cluster, because turning it on later needs a
# restart, and costs nothing while the command is a no-op ('true': a segment counts as archived and
# is recycled as usual). scripts/backup.sh replaces the command with pgBackRest's archive-push
# (ALTER SYSTEM and a reload, no restart) when it creates the repository. Archiving for real from
# the start would copy every WAL segment the benchmarks write into a repository with no backup to
# use them, and pgBackRest refuses to archive before its stanza exists, so WAL would pile up.
ensure_archive_settings() {
  grep -q '^archive_mode' "$pg_data/postgresql.conf" && return
  cat >>"$pg_data/postgresql.conf" <<CONF
# Continuous archiving: a no-op until scripts/backup.sh configures pgBackRest (see scripts/services.sh)
archive_mode = on
archive_command = 'true'
CONF
}

start_postgres() {
  ensure_postgres_user
  mkdir -p "$data" "$pg_run"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$pg_run"
    # The postgres user must be able to reach the data folder through the repository path.
    chmod o+x "$data"
  fi
  if [ ! -f "$pg_data/PG_VERSION" ]; then
    log "initialising PostgreSQL cluster in $pg_data"
    mkdir -p "$pg_data"
    [ "$(id -u)" -eq 0 ] && chown postgres "$pg_data"
    as_postgres "$pg_bin/initdb" -D "$pg_data" -U postgres --auth=trust --encoding=UTF8 \
      --locale=C.UTF-8 >/dev/null
    cat >>"$pg_data/postgresql.conf" <<CONF
# Mestres Café local development settings
listen_addresses = '127.0.0.1'
unix_socket_directories = '$pg_run'
max_connections = 400
shared_buffers = 512MB
work_mem = 16MB
maintenance_work_mem = 256MB
synchronous_commit = on
fsync = on
wal_level = replica
max_wal_size = 2GB
checkpoint_timeout = 15min
log_min_duration_statement = 2000
CONF
  fi
  ensure_archive_settings
  # Installed with the server so that scripts/backup.sh and the restore drill in the tests find it.
  ensure_pgbackrest_installed || log "pgbackrest is missing: backups and the restore drill need it"
  if pg_running; then
    log "PostgreSQL already running on 127.0.0.1:$pg_port"
  else
    [ "$(id -u)" -eq 0 ] && touch "$pg_log" && chown postgres "$pg_log"
    # pg_stat_statements, when this PostgreSQL build has it: the benchmarks attribute a checkout's
    # transactions statement by statement.
    pg_options="-p $pg_port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$pg_run"
    pg_lib="$(dirname "$(readlink -f "$pg_bin/postgres")")/../lib"
    if [ -f "$pg_lib/pg_stat_statements.so" ]; then
      pg_options="$pg_options -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all"
    fi
    as_postgres "$pg_bin/pg_ctl" -D "$pg_data" -l "$pg_log" -w -t 60 -o "$pg_options" start >/dev/null
    log "PostgreSQL started on 127.0.0.1:$pg_port"
  fi
  if ! psql -h 127.0.0.1 -p "$pg_port" -U postgres -tAc "select 1 from pg_database where datname='mestrescafe'" | grep -q 1; then
    psql -h 127.0.0.1 -p "$pg_port" -U postgres -qc "create database mestrescafe" >/dev/null
    log "database mestrescafe created"
  fi
}

stop_postgres() {
  if pg_running; then
    as_postgres "$pg_bin/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null
    log "PostgreSQL stopped"
  fi
}

ensure_redis_installed() {
  if ! command -v redis-server >/dev/null 2>&1; then
    log "installing redis-server"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq redis-server >/dev/null
  fi
}

# One password per machine, readable by this user only; it never appears on a command line.
redis_password() {
  if [ ! -s "$redis_password_file" ]; then
    mkdir -p "$redis_dir"
    (umask 077 && head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' >"$redis_password_file")
  fi
  cat "$redis_password_file"
}

# redis-cli reads the password from REDISCLI_AUTH, not from its arguments.
redis_cli() { REDISCLI_AUTH="$(redis_password)" redis-cli -h 127.0.0.1 -p "$redis_port" "$@"; }

redis_running() {
  redis_cli ping 2>/dev/null | grep -q PONG
}

start_redis() {
  ensure_redis_installed
  mkdir -p "$redis_dir"
  local password
  password="$(redis_password)"
  if redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null | grep -q PONG; then
    # Started by an earlier version of this script, without a password: give it this one.
    redis-cli -h 127.0.0.1 -p "$redis_port" config set requirepass "$password" >/dev/null
    log "Redis on 127.0.0.1:$redis_port now requires the password in $redis_password_file"
    return
  fi
  if redis_running; then
    log "Redis already running on 127.0.0.1:$redis_port"
    return
  fi
  # Redis is a cache and a limiter here, never a store of record: no persistence. The password
  # comes from a config file (readable by this user only) so that it is not in the process list.
  (umask 077 && printf 'requirepass %s\n' "$password" >"$redis_dir/redis.conf")
  redis-server "$redis_dir/redis.conf" --bind 127.0.0.1 --port "$redis_port" --daemonize yes \
    --dir "$redis_dir" --pidfile "$redis_dir/redis.pid" --logfile "$redis_dir/redis.log" \
    --save "" --appendonly no --maxmemory 512mb --maxmemory-policy allkeys-lru >/dev/null
  for _ in $(seq 1 50); do redis_running && break; sleep 0.1; done
  redis_running || { log "Redis did not start; see $redis_dir/redis.log"; exit 1; }
  log "Redis started on 127.0.0.1:$redis_port"
}

stop_redis() {
  if redis_running; then
    redis_cli shutdown nosave >/dev/null 2>&1 || true
    log "Redis stopped"
  fi
}

# The pid file names our process only while that pid still runs the dev-mail server.
mail_running() {
  [ -f "$mail_pid" ] && grep -qa MestresCafe.DevMail "/proc/$(cat "$mail_pid")/cmdline" 2>/dev/null
}

start_mail() {
  if mail_running; then
    log "dev-mail already running on 127.0.0.1:$mail_port"
    return
  fi
  mkdir -p "$mail_dir"
  log "building the dev-mail SMTP server"
  dotnet build "$root/src/MestresCafe.DevMail" -c Release -nologo -clp:ErrorsOnly -v quiet >/dev/null
  nohup dotnet "$root/src/MestresCafe.DevMail/bin/Release/net10.0/MestresCafe.DevMail.dll" \
    --port "$mail_port" --maildir "$mail_dir" >"$mail_log" 2>&1 &
  echo $! >"$mail_pid"
  # Up to 60 s: a cold .NET start on a busy two-core machine can take well over ten.
  for _ in $(seq 1 600); do
    (: <"/dev/tcp/127.0.0.1/$mail_port") 2>/dev/null && break
    mail_running || break
    sleep 0.1
  done
  if ! mail_running || ! (: <"/dev/tcp/127.0.0.1/$mail_port") 2>/dev/null; then
    log "dev-mail did not start; see $mail_log"
    exit 1
  fi
  log "dev-mail SMTP server on 127.0.0.1:$mail_port, messages in $mail_dir/new"
}

stop_mail() {
  if mail_running; then
    kill "$(cat "$mail_pid")"
    rm -f "$mail_pid"
    log "dev-mail stopped"
  fi
}

print_env() {
  echo "export ConnectionStrings__Postgres='Host=127.0.0.1;Port=$pg_port;Database=mestrescafe;Username=postgres'"
  echo "export ConnectionStrings__Redis='127.0.0.1:$redis_port,password=$(redis_password)'"
  echo "export MC_PG_PORT=$pg_port MC_REDIS_PORT=$redis_port MC_REDIS_PASSWORD='$(redis_password)' MC_MAIL_PORT=$mail_port"
}

case "${1:-start}" in
  start) start_postgres; start_redis ;;
  stop) stop_mail; stop_redis; stop_postgres ;;
  start-redis) start_redis ;;
  stop-redis) stop_redis ;;
  start-postgres) start_postgres ;;
  stop-postgres) stop_postgres ;;
  start-mail) start_mail ;;
  stop-mail) stop_mail ;;
  status)
    pg_running && echo "postgres: running on 127.0.0.1:$pg_port" || echo "postgres: stopped"
    command -v redis-cli >/dev/null && redis_running && echo "redis: running on 127.0.0.1:$redis_port" || echo "redis: stopped"
    mail_running && echo "dev-mail: running on 127.0.0.1:$mail_port" || echo "dev-mail: stopped" ;;
  env) print_env ;;
  *) echo "usage: $0 start|stop|status|env|start-redis|stop-redis|start-postgres|stop-postgres|start-mail|stop-mail" >&2; exit 2 ;;
esac
