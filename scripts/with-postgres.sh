#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL 15 cluster:
#
#   scripts/with-postgres.sh CMD [ARGS...]
#
# Starts a cluster in a fresh temporary directory (scripts/pg-test-cluster.sh), exports
# VTRUST_TEST_PG (a libpq connection string to it) to CMD, and stops and deletes the
# cluster when CMD ends, however it ends. Exits with CMD's exit status (or non-zero if
# the cluster could not be started). Works as root (the server then runs as the system
# user vtrust-test) and as a normal user.
set -uo pipefail

[ "$#" -gt 0 ] || { echo "usage: $0 CMD [ARGS...]" >&2; exit 2; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/vtrust-pg.XXXXXX") || exit 1

cleanup() {
  bash "$here/pg-test-cluster.sh" stop "$dir" >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if ! exports=$(bash "$here/pg-test-cluster.sh" start "$dir"); then
  echo "with-postgres: could not start a PostgreSQL test cluster" >&2
  [ -f "$dir/server.log" ] && tail -n 20 "$dir/server.log" >&2
  exit 1
fi
eval "$exports"
export VTRUST_TEST_PG VTRUST_TEST_PG_PID

"$@"
exit $?
