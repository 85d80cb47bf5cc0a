#!/usr/bin/env bash
# with-postgres.sh CMD... — runs CMD with a throwaway PostgreSQL server on 127.0.0.1.
#
# Starts a private cluster (initdb into a temp dir, a free port, loopback only, SCRAM
# passwords), creates role `csf` and database `csf_test`, exports
#   CSF_TEST_POSTGRES_URL=postgres://csf:...@127.0.0.1:PORT/csf_test
#   CSF_TEST_POSTGRES_REQUIRED=1   (the PostgreSQL suite fails instead of skipping)
# runs CMD, then stops the server and deletes the cluster, whatever CMD's outcome.
# Needs Debian's `postgresql` package (server binaries under /usr/lib/postgresql/N/bin).
set -euo pipefail

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "with-postgres: no PostgreSQL server found under /usr/lib/postgresql (apt-get install postgresql)" >&2
  exit 2
fi

# initdb refuses to run as root: run the server as the `postgres` system user then.
as_pg=()
if [ "$(id -u)" = 0 ]; then as_pg=(runuser -u postgres --); fi

work=$(mktemp -d /tmp/csf-pg.XXXXXX)
chmod 755 "$work"
[ ${#as_pg[@]} -eq 0 ] || chown postgres: "$work"
data="$work/data"
password="csf-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"

# Server commands run from the cluster's directory: the caller's may be unreadable to `postgres`.
pg() { (cd "$work" && "${as_pg[@]}" "$@"); }

cleanup() {
  pg "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

printf '%s\n' "$password" >"$work/pw"
[ ${#as_pg[@]} -eq 0 ] || chown postgres: "$work/pw"
pg "$bindir/initdb" -D "$data" -U postgres --auth-local=trust \
  --auth-host=scram-sha-256 --pwfile="$work/pw" -E UTF8 --locale=C.UTF-8 >"$work/initdb.log" 2>&1 \
  || { cat "$work/initdb.log" >&2; exit 1; }

# A free port: try a few from a per-process offset until one starts.
port=""
for try in $(seq 0 19); do
  p=$(( 54320 + ($$ + try * 37) % 2000 ))
  if pg "$bindir/pg_ctl" -D "$data" -l "$work/server.log" -w -t 30 \
       -o "-c listen_addresses=127.0.0.1 -p $p -k $work -c fsync=off -c max_connections=200" \
       start >/dev/null 2>&1; then
    port=$p; break
  fi
done
if [ -z "$port" ]; then cat "$work/server.log" >&2; echo "with-postgres: could not start PostgreSQL" >&2; exit 1; fi

psql() { pg "$bindir/psql" -h "$work" -p "$port" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
psql -c "CREATE ROLE csf LOGIN PASSWORD '$password'"
psql -c "CREATE DATABASE csf_test OWNER csf"
echo "with-postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $data)" >&2

export CSF_TEST_POSTGRES_URL="postgres://csf:$password@127.0.0.1:$port/csf_test"
export CSF_TEST_POSTGRES_REQUIRED=1
"$@"
