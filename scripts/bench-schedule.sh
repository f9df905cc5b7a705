#!/usr/bin/env bash
# The schedule benchmark of docs/benchmarks.md (issue #6): a release `gachi serve` on SQLite,
# a room with 500 events in December 2026, then wrk with 64 connections for 10 s on
#   1. the month view: an authenticated GET of the whole month's JSON (no conditional headers),
#   2. event creation (POST), and
#   3. a bare axum handler (examples/bare_axum.rs) as the yardstick: a tiny body, the month's
#      bytes, and the month's bytes gzipped as Gachi keeps them,
#   4. the share status JSON (GET /api/v1/shares/{id}, what the share page polls every second),
# plus time from start to ready and RSS idle and under load. Needs `wrk` (apt-get install wrk).
#
# PROFILE=file also records a CPU profile (perf) of the server during the gzip month load and
# writes its functions by self time to that file (with PROFILE_GRAPH=1: by time including what
# they call, from DWARF call graphs).
#
# DB=postgres runs the same on PostgreSQL (a fresh database on $PG_BASE, default
# postgres://postgres@127.0.0.1:5432) with TWO instances behind the benchmark: each load is two
# wrk processes of 32 connections, one per instance, run together; req/s are summed and the
# p99 is the worse of the two.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bench/build.sh
# The binaries measured: the release build, or BIN_DIR (another build of the same code).
bin=${BIN_DIR:-target/release}
tmp=$(mktemp -d)
port=${PORT:-18080}
bare_port=${BARE_PORT:-18081}
db=${DB:-sqlite}
pg_base=${PG_BASE:-postgres://postgres@127.0.0.1:5432}
pg_name="gachi_bench_$$"
source scripts/bench/instances.sh

# One wrk of 64 connections, or with two instances one of 32 on each (scripts/bench/load.sh).
source scripts/bench/load.sh

# The owner's room with 500 events (scripts/bench/month.sh).
source scripts/bench/month.sh
owner_with_room
write_month
month="$base/api/v1/rooms/$room/events?from=2026-12-01&to=2027-01-01"
curl -sf -b "$jar" "$month" >"$tmp/month.json"
count=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["events"]))' "$tmp/month.json")
bytes=$(wc -c <"$tmp/month.json")
rss_idle=$(rss "$pid")

share=$(curl -sf -b "$jar" -H "origin: $base" -H 'content-type: application/json' \
  -d '{"layout":"week","date":"2026-12-14","channel":"talk_share"}' "$base/api/v1/rooms/$room/shares" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
status_path="/api/v1/shares/$share"
status_bytes=$(curl -sf -b "$jar" "$base$status_path" | wc -c)
month_path="/api/v1/rooms/$room/events?from=2026-12-01&to=2027-01-01"

load "$month_path" "$tmp/month.txt" -H "cookie: gachi_session=$session"
rss_loaded=$(rss "$pid")
if [ -n "${PROFILE:-}" ]; then
  # Where the time goes: a CPU profile of the (first) instance during the gzip month load,
  # summed by function (self time), to $PROFILE.
  perf record -q -F 999 ${PROFILE_GRAPH:+--call-graph dwarf,16384} -p "$pid" -o "$tmp/perf.data" 2>/dev/null &
  perf_pid=$!
fi
load "$month_path" "$tmp/month-gzip.txt" -H "cookie: gachi_session=$session" -H "accept-encoding: gzip"
if [ -n "${PROFILE:-}" ]; then
  kill -INT "$perf_pid"; wait "$perf_pid" || true
  perf report -i "$tmp/perf.data" --stdio ${PROFILE_GRAPH:+--children -g none} ${PROFILE_GRAPH:---no-children} --sort dso,symbol --percent-limit 0.4 2>/dev/null \
    | grep -v '^#' | grep -v '^$' >"$PROFILE"
  # The recording itself, for `perf report -i` with other sortings.
  cp "$tmp/perf.data" "$PROFILE.data"
fi
load "$status_path" "$tmp/status.txt" -H "cookie: gachi_session=$session"
wrk -t2 -c64 -d10s --latency -s scripts/bench/create-event.lua -H "cookie: gachi_session=$session" -H "origin: $base" \
  "$base/api/v1/rooms/$room/events" >"$tmp/create.txt"
rss_after_create=$(rss "$pid")

"$bin/examples/bare_axum" "127.0.0.1:$bare_port" "$tmp/month.json" >/dev/null &
bare_pid=$!
until curl -sf "http://127.0.0.1:$bare_port/" >/dev/null; do sleep 0.005; done
wrk -t2 -c64 -d10s --latency "http://127.0.0.1:$bare_port/" >"$tmp/bare.txt"
wrk -t2 -c64 -d10s --latency "http://127.0.0.1:$bare_port/body" >"$tmp/bare-body.txt"
wrk -t2 -c64 -d10s --latency "http://127.0.0.1:$bare_port/gzip" >"$tmp/bare-gzip.txt"

rps() { awk '/Requests\/sec/{print $2}' "$1"; }
p99() { awk '$1=="99%"{print $2}' "$1"; }
errors() { awk '/Non-2xx|Socket errors/{print}' "$1" | tr '\n' ' '; }
echo "database: $db$([ -n "$base2" ] && echo ', two instances')"
echo "events in the month view: $count ($bytes bytes of JSON); share status: $status_bytes bytes"
echo "start to ready: ${ready_ms} ms"
echo "month view:  $(rps "$tmp/month.txt") req/s, p99 $(p99 "$tmp/month.txt") $(errors "$tmp/month.txt")"
echo "create:      $(rps "$tmp/create.txt") req/s, p99 $(p99 "$tmp/create.txt") $(errors "$tmp/create.txt")"
echo "month gzip:  $(rps "$tmp/month-gzip.txt") req/s, p99 $(p99 "$tmp/month-gzip.txt") $(errors "$tmp/month-gzip.txt")"
echo "share status: $(rps "$tmp/status.txt") req/s, p99 $(p99 "$tmp/status.txt") $(errors "$tmp/status.txt")"
echo "bare axum:   $(rps "$tmp/bare.txt") req/s, p99 $(p99 "$tmp/bare.txt")"
echo "bare, same body: $(rps "$tmp/bare-body.txt") req/s, p99 $(p99 "$tmp/bare-body.txt")"
echo "bare, same gzip body: $(rps "$tmp/bare-gzip.txt") req/s, p99 $(p99 "$tmp/bare-gzip.txt")"
python3 -c "print('month/bare ratio: %.1f %%' % (100 * float('$(rps "$tmp/month.txt")') / float('$(rps "$tmp/bare.txt")')))"
python3 -c "print('month gzip/bare ratio: %.1f %%' % (100 * float('$(rps "$tmp/month-gzip.txt")') / float('$(rps "$tmp/bare.txt")')))"
python3 -c "print('month/bare-same-body ratio: %.1f %%' % (100 * float('$(rps "$tmp/month.txt")') / float('$(rps "$tmp/bare-body.txt")')))"
python3 -c "print('month gzip/bare-same-gzip-body ratio: %.1f %%' % (100 * float('$(rps "$tmp/month-gzip.txt")') / float('$(rps "$tmp/bare-gzip.txt")')))"
python3 -c "print('share status/bare ratio: %.1f %%' % (100 * float('$(rps "$tmp/status.txt")') / float('$(rps "$tmp/bare.txt")')))"
python3 -c "print('create/bare ratio: %.1f %%' % (100 * float('$(rps "$tmp/create.txt")') / float('$(rps "$tmp/bare.txt")')))"
echo "RSS KiB: idle ${rss_idle}, after month load ${rss_loaded}, after create load ${rss_after_create}"
hot_reads
