#!/usr/bin/env bash
# The store's shared suite against a real PostgreSQL on 127.0.0.1. The suite runs
# with CSF_TEST_POSTGRES_REQUIRED=1, so a missing database fails the step instead of skipping.
# crates/store/tests/it/postgres_tls.rs checks verified TLS against the same server (openssl makes its CA).
set -euo pipefail
cd "$(dirname "$0")/../.."
source .ci/lib.sh
apt_need postgresql openssl
make test-store-postgres
