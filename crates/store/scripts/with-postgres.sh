#!/usr/bin/env bash
# with-postgres.sh CMD... — runs CMD with a throwaway PostgreSQL server on 127.0.0.1.
#
# Starts a private cluster (initdb into a temp dir, a free port, loopback only, SCRAM
# passwords), creates role `csf` and database `csf_test`, exports
#   CSF_TEST_POSTGRES_URL=postgres://csf:...@127.0.0.1:PORT/csf_test
#   CSF_TEST_POSTGRES_REQUIRED=1   (the PostgreSQL suite fails instead of skipping)
# and, for the TLS tests, a throwaway CA whose server certificate names `localhost` only, with
# role `csf_tls` allowed in over TLS only:
#   CSF_TEST_POSTGRES_TLS_URL=postgres://csf_tls:...@localhost:PORT/csf_tls
#   CSF_TEST_POSTGRES_TLS_CA=/tmp/csf-pg.../ca.pem
# runs CMD, then stops the server and deletes the cluster, whatever CMD's outcome.
# Needs Debian's `postgresql` and `openssl` packages.
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

# TLS: an EC CA and a server certificate for DNS:localhost (so 127.0.0.1 fails host name checks).
command -v openssl >/dev/null || { echo "with-postgres: openssl is needed (apt-get install openssl)" >&2; exit 2; }
ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
openssl req -x509 "${ec[@]}" -days 2 -subj "/CN=csf-test-ca" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout "$work/ca.key" -out "$work/ca.pem" 2>/dev/null
openssl req "${ec[@]}" -subj "/CN=localhost" -keyout "$work/server.key" -out "$work/server.csr" 2>/dev/null
openssl x509 -req -in "$work/server.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial \
  -days 2 -extfile <(printf 'subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\n') \
  -out "$work/server.crt" 2>/dev/null
chmod 600 "$work/server.key" "$work/ca.key"
chmod 644 "$work/ca.pem" "$work/server.crt"
[ ${#as_pg[@]} -eq 0 ] || chown postgres: "$work/server.key" "$work/server.crt"
# Role csf_tls: TLS only (rules are read top down, so these go first).
{ printf 'hostnossl all csf_tls all reject\nhostssl all csf_tls 127.0.0.1/32 scram-sha-256\n'
  cat "$data/pg_hba.conf"; } >"$work/pg_hba.conf"
cat "$work/pg_hba.conf" >"$data/pg_hba.conf"

# A free port: try a few from a per-process offset until one starts.
port=""
for try in $(seq 0 19); do
  p=$(( 54320 + ($$ + try * 37) % 2000 ))
  if pg "$bindir/pg_ctl" -D "$data" -l "$work/server.log" -w -t 30 \
       -o "-c listen_addresses=127.0.0.1 -p $p -k $work -c fsync=off -c max_connections=200 \
           -c ssl=on -c ssl_cert_file=$work/server.crt -c ssl_key_file=$work/server.key" \
       start >/dev/null 2>&1; then
    port=$p; break
  fi
done
if [ -z "$port" ]; then cat "$work/server.log" >&2; echo "with-postgres: could not start PostgreSQL" >&2; exit 1; fi

psql() { pg "$bindir/psql" -h "$work" -p "$port" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
psql -c "CREATE ROLE csf LOGIN PASSWORD '$password'"
psql -c "CREATE DATABASE csf_test OWNER csf"
psql -c "CREATE ROLE csf_tls LOGIN PASSWORD '$password'"
psql -c "CREATE DATABASE csf_tls OWNER csf_tls"
echo "with-postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $data)" >&2

export CSF_TEST_POSTGRES_URL="postgres://csf:$password@127.0.0.1:$port/csf_test"
export CSF_TEST_POSTGRES_REQUIRED=1
export CSF_TEST_POSTGRES_TLS_URL="postgres://csf_tls:$password@localhost:$port/csf_tls"
export CSF_TEST_POSTGRES_TLS_CA="$work/ca.pem"
"$@"
