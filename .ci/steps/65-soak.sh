#!/usr/bin/env bash
# Floods and soak, short forms, on loopback against the release server that step 60
# built (`make soak-build` is a no-op here when nothing changed):
# - soak-short: 80 s of mixed reads/searches/writes/reports over HTTP and stdio at once, every
#   reply checked, RSS sampled every second (gross-leak limit; `make soak` is the 10-min form);
# - flood-quick: HTTP far over --max-concurrent (503 + Retry-After only), rate limit (429),
#   body limit (413), slow and idle connections, connections held from one address, one key
#   hogging sessions and slots, requests built to grow the metric labels, stdio floods of
#   writes and 1 MiB requests.
# Findings (server weaknesses the checks demonstrate) are printed but do not fail the step;
# wrong answers, other statuses, hangs, unbounded memory and failed recovery do.
set -euo pipefail
cd "$(dirname "$0")/../.."
make soak-build
t0=$SECONDS
make soak-short
echo "65-soak: soak-short took $((SECONDS - t0))s"
t1=$SECONDS
make flood-quick
echo "65-soak: flood-quick took $((SECONDS - t1))s"
