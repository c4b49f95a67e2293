#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the store conformance tests.
#
#   scripts/pg-test-cluster.sh start DIR   # prints shell exports (eval them)
#   scripts/pg-test-cluster.sh stop DIR
#
# `start` initializes a cluster in DIR/data (DIR must exist; the cluster's user must
# be able to write to it), listening only on 127.0.0.1 at a free port with its unix
# socket in DIR/sock, fsync on, trust authentication (throwaway cluster), a role
# `vtrust` allowed to create databases, and a database `vtrust_test`. On stdout it
# prints, for eval:
#   export VTRUST_TEST_PG='host=127.0.0.1 port=P dbname=vtrust_test user=vtrust'
#   export VTRUST_TEST_PG_PID=<postmaster pid>
# Everything else goes to stderr; the server log is DIR/server.log.
#
# PostgreSQL refuses to run as root, so when run as root the server runs as the system
# user vtrust-test (created if missing) and DIR is handed to it. Run as a normal user,
# the server runs as that user. VTRUST_PG_BIN overrides the binary directory.
set -euo pipefail

PG_BIN="${VTRUST_PG_BIN:-/usr/lib/postgresql/15/bin}"
RUN_USER="vtrust-test"

die() { echo "pg-test-cluster: $*" >&2; exit 1; }
log() { echo "pg-test-cluster: $*" >&2; }

check_binaries() {
  for b in initdb pg_ctl postgres psql; do
    [ -x "$PG_BIN/$b" ] || die "PostgreSQL 15 not found ($PG_BIN/$b is missing); run scripts/setup.sh (it installs postgresql-15)"
  done
}

# Runs a command as the cluster's user.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    if command -v runuser >/dev/null 2>&1; then
      runuser -u "$RUN_USER" -- "$@"
    else
      su -s /bin/sh "$RUN_USER" -c "$(printf '%q ' "$@")"
    fi
  else
    "$@"
  fi
}

ensure_user() {
  [ "$(id -u)" -eq 0 ] || return 0
  if ! id -u "$RUN_USER" >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$RUN_USER" \
      || die "cannot create system user $RUN_USER"
  fi
}

# True if something listens on TCP port $1 (IPv4 or IPv6), per /proc/net/tcp*.
port_in_use() {
  local hex
  hex=$(printf '%04X' "$1")
  awk -v p=":$hex" 'NR > 1 && $4 == "0A" && substr($2, length($2) - 4) == p { found = 1 }
                    END { exit !found }' /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

pick_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 40000))
    port_in_use "$port" || { echo "$port"; return 0; }
  done
  die "no free TCP port found"
}

init_cluster() {
  local dir=$1
  as_owner "$PG_BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
    >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  mkdir -p "$dir/sock"
  [ "$(id -u)" -ne 0 ] || chown "$RUN_USER" "$dir/sock"
  cat >"$dir/data/pg_hba.conf" <<EOF
# Throwaway test cluster: trust, local socket and loopback only.
local all all trust
host  all all 127.0.0.1/32 trust
EOF
  cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir/sock'
fsync = on
synchronous_commit = on
full_page_writes = on
shared_buffers = 32MB
max_connections = 60
logging_collector = off
EOF
}

start_server() {
  local dir=$1 port
  for _ in 1 2 3 4 5; do
    port=$(pick_port)
    if as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "-p $port" -w -t 60 \
      start >&2; then
      echo "$port" >"$dir/port"
      return 0
    fi
    # Most likely a race for the port: try another.
    tail -n 5 "$dir/server.log" >&2 || true
  done
  die "could not start PostgreSQL (see $dir/server.log)"
}

psql_admin() {
  local dir=$1; shift
  as_owner "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir/sock" -p "$(cat "$dir/port")" \
    -U postgres -d postgres "$@" >&2
}

cmd_start() {
  local dir=${1:?usage: pg-test-cluster.sh start DIR}
  check_binaries
  [ -d "$dir" ] || die "$dir is not a directory"
  dir=$(cd "$dir" && pwd)
  [ ! -e "$dir/data" ] || die "$dir/data already exists"
  ensure_user
  if [ "$(id -u)" -eq 0 ]; then
    chown "$RUN_USER" "$dir"
    as_owner test -w "$dir" || die "$RUN_USER cannot write to $dir (is a parent directory private?)"
  fi
  cd /  # the server user may not be able to read the caller's directory
  init_cluster "$dir"
  start_server "$dir"
  psql_admin "$dir" -c "CREATE ROLE vtrust LOGIN CREATEDB" \
    -c "CREATE DATABASE vtrust_test OWNER vtrust"
  local port pid
  port=$(cat "$dir/port")
  pid=$(head -n 1 "$dir/data/postmaster.pid")
  log "PostgreSQL running on 127.0.0.1:$port (pid $pid, data $dir/data)"
  echo "export VTRUST_TEST_PG='host=127.0.0.1 port=$port dbname=vtrust_test user=vtrust'"
  echo "export VTRUST_TEST_PG_PID=$pid"
}

cmd_stop() {
  local dir=${1:?usage: pg-test-cluster.sh stop DIR}
  [ -f "$dir/data/postmaster.pid" ] || { log "no running cluster in $dir"; return 0; }
  check_binaries
  RUN_USER=$(stat -c %U "$dir/data")
  cd /
  as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >&2
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  *) echo "usage: $0 start DIR | stop DIR" >&2; exit 2 ;;
esac
