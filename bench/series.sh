#!/usr/bin/env bash
# A load series on saved plans, as the README's Scaling section measures it:
#   DATABASE_URL=... bench/series.sh TOKENS "RATES" [SECONDS] [WARM_RATE] [WARM_SECONDS]
# e.g. bench/series.sh tokens.txt "300 350 350" 30 250 120 (TOKENS: bench/bulk_load.py's file).
#
# It first checks a 1% sample of the plans with `flask plans restamp --check`: plans stored by
# another build are read by checking every event again, about twice the CPU of a read as
# stored, so a series on them measures the wrong thing (restamp them, or bulk-load again with
# this code; FORCE=1 runs anyway). Then it serves the app with `make run`'s gunicorn settings,
# the access log off and no restamp at start-up (RESTAMP_ON_START=0) on PORT (8000), warms it
# for WARM_SECONDS (120) at WARM_RATE (250)/s, and runs bench/loadgen.py for SECONDS (30) at each
# rate, every fetch a full one (no conditional). gunicorn.conf.py's settings pass through the
# environment, e.g. THREADS=2 WORKER_CONNECTIONS=2 for a server behind a buffering proxy.
set -euo pipefail
cd "$(dirname "$0")/.."
TOKENS=${1:?usage: bench/series.sh TOKENS \"RATES\" [SECONDS] [WARM_RATE] [WARM_SECONDS]}
RATES=${2:?give the rates, e.g. \"300 350\"}
SECONDS_EACH=${3:-30}
WARM_RATE=${4:-250}
WARM_SECONDS=${5:-120}
PORT=${PORT:-8000}
: "${DATABASE_URL:?set DATABASE_URL to the plans to read}"
export DATABASE_URL

sample=$(.venv/bin/flask --app wsgi plans restamp --check --part 1/100)
echo "sample: $sample"
stale=$(echo "$sample" | sed -n 's/.* plans read, \([0-9,]*\) stored by another build.*/\1/p' | tr -d ,)
if [ "${stale:-1}" != "0" ] && [ "${FORCE:-0}" != "1" ]; then
    echo "Plans stored by another build would be measured re-checking every event:" \
        "run 'flask --app wsgi plans restamp' (or bench/bulk_load.py) first, or FORCE=1." >&2
    exit 2
fi

# The plans are this build's (checked above): no restamp reading them all during the series.
RESTAMP_ON_START=0 ACCESS_LOG=off PORT=$PORT .venv/bin/gunicorn --config gunicorn.conf.py 'wsgi:app' &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
    curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break
    sleep 0.5
done
run() {
    .venv/bin/python bench/loadgen.py --url "http://127.0.0.1:$PORT" --rate "$1" --seconds "$2" \
        --tokens "$TOKENS" --conditional 0
}
if [ "$WARM_SECONDS" -gt 0 ]; then
    echo "== warming at $WARM_RATE/s for $WARM_SECONDS s"
    run "$WARM_RATE" "$WARM_SECONDS" | tail -1
fi
for rate in $RATES; do
    echo "== $rate/s for $SECONDS_EACH s, $(date -u +%H:%M:%S) UTC"
    run "$rate" "$SECONDS_EACH"
done
