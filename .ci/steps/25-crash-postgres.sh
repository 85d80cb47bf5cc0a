#!/usr/bin/env bash
# Crash consistency and concurrent writers on a real PostgreSQL: kill -9 of a
# writing server (10 rounds), the next writer not blocked by the dead connection, and five
# server processes writing the same entries. CSF_TEST_POSTGRES_REQUIRED=1 (set by
# with-postgres.sh) makes a missing database fail instead of skip. SQLite runs in `make test`.
set -euo pipefail
cd "$(dirname "$0")/../.."
source .ci/lib.sh
apt_need postgresql openssl
make test-crash-postgres
