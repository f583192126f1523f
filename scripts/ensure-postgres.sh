#!/usr/bin/env bash
# Make sure a PostgreSQL server for the tests answers, and print its SQLAlchemy URL on stdout.
#
#   url=$(scripts/ensure-postgres.sh)
#
# When VEERKRACHT_TEST_POSTGRES_URL is already set (e.g. a CI service), it is checked and printed
# unchanged. Otherwise a private cluster of Debian's postgresql is used: created on first run with
# initdb, started with pg_ctl when it is down, listening on 127.0.0.1:$VEERKRACHT_TEST_PG_PORT
# (default 54329) with trust authentication on loopback only. It runs as user postgres when this
# script runs as root, else as the current user. The role `veerkracht` (allowed to create the
# per-test databases) and its database `veerkracht_test` are created when missing.
# Idempotent: a second run finds the server answering and only prints the URL. Progress goes to
# stderr, so stdout carries nothing but the URL.
#
# Stop it again with:  scripts/ensure-postgres.sh stop
set -euo pipefail

port="${VEERKRACHT_TEST_PG_PORT:-54329}"
host=127.0.0.1
role=veerkracht
database=veerkracht_test

log() { echo "ensure-postgres: $*" >&2; }
die() { log "$*"; exit 1; }

if [ -n "${VEERKRACHT_TEST_POSTGRES_URL:-}" ] && [ "${1:-}" != "stop" ]; then
    log "using VEERKRACHT_TEST_POSTGRES_URL from the environment"
    echo "$VEERKRACHT_TEST_POSTGRES_URL"
    exit 0
fi

# The newest installed server binaries (Debian keeps them out of PATH), else whatever is on PATH.
bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
if [ -z "$bindir" ]; then
    command -v pg_ctl >/dev/null 2>&1 || die "no PostgreSQL server found: run scripts/ensure-system.sh"
    bindir="$(dirname "$(command -v pg_ctl)")"
fi
version="$("$bindir/pg_ctl" --version | sed -E 's/.* ([0-9]+)(\.[0-9]+)*.*/\1/')"

if [ "$(id -u)" -eq 0 ]; then
    owner=postgres
    id "$owner" >/dev/null 2>&1 || die "user postgres does not exist: is Debian's postgresql installed?"
    base="${VEERKRACHT_TEST_PG_DIR:-/var/lib/postgresql/veerkracht-test}"
    as_owner() { runuser -u "$owner" -- "$@"; }
else
    owner="$(id -un)"
    base="${VEERKRACHT_TEST_PG_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/veerkracht/postgres}"
    as_owner() { "$@"; }
fi
data="$base/$version/data"
sockets="$base/$version/run"
logfile="$base/$version/server.log"

answers() { "$bindir/pg_isready" -q -h "$host" -p "$port" -t 2; }
psql_admin() {
    as_owner "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$host" -p "$port" -U postgres -d postgres "$@"
}

if [ "${1:-}" = "stop" ]; then
    if [ -f "$data/postmaster.pid" ]; then
        as_owner "$bindir/pg_ctl" -D "$data" -m fast -w stop >&2
    else
        log "no server running from $data"
    fi
    exit 0
fi

# One run at a time sets up the cluster (several `make test` may start together).
mkdir -p "$base"
[ "$(id -u)" -eq 0 ] && chown "$owner": "$base"
exec 9>"$base/.lock"
flock 9

if ! answers; then
    if [ ! -f "$data/PG_VERSION" ]; then
        log "creating a test cluster (PostgreSQL $version) in $data"
        mkdir -p "$data" "$sockets"
        [ "$(id -u)" -eq 0 ] && chown -R "$owner": "$base/$version"
        chmod 700 "$data"
        output="$(as_owner "$bindir/initdb" -D "$data" -U postgres --auth=trust \
            --encoding=UTF8 --locale=C.UTF-8 2>&1)" || { echo "$output" >&2; die "initdb failed"; }
        cat >>"$data/postgresql.conf" <<CONF
# veerkracht test cluster: loopback only, fast and disposable
listen_addresses = '$host'
port = $port
unix_socket_directories = '$sockets'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
CONF
        # Only loopback connections, trusted: a test cluster that is never reachable from outside.
        cat >"$data/pg_hba.conf" <<HBA
local all all trust
host  all all 127.0.0.1/32 trust
HBA
    fi
    mkdir -p "$sockets"
    touch "$logfile"
    [ "$(id -u)" -eq 0 ] && chown "$owner": "$sockets" "$logfile"
    log "starting the test cluster on $host:$port (log: $logfile)"
    # 9>&- : the server must not inherit (and hold forever) the setup lock.
    as_owner "$bindir/pg_ctl" -D "$data" -l "$logfile" -w -t 60 start >&2 9>&- \
        || { tail -n 30 "$logfile" >&2; die "the test cluster did not start"; }
    answers || die "the test cluster started but does not answer on $host:$port"
else
    log "a server answers on $host:$port"
fi

if ! psql_admin -tAc "select 1 from pg_roles where rolname = '$role'" | grep -q 1; then
    log "creating role $role"
    psql_admin -c "create role $role login createdb"
fi
if ! psql_admin -tAc "select 1 from pg_database where datname = '$database'" | grep -q 1; then
    log "creating database $database"
    psql_admin -c "create database $database owner $role"
fi

echo "postgresql+psycopg://$role@$host:$port/$database"
