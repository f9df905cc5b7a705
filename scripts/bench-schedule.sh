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
[ -n "${SKIP_BUILD:-}" ] || cargo build --release -q -p gachi --bin gachi --example bare_axum
# The binaries measured: the release build, or BIN_DIR (another build of the same code).
bin=${BIN_DIR:-target/release}
tmp=$(mktemp -d)
port=${PORT:-18080}
bare_port=${BARE_PORT:-18081}
base="http://127.0.0.1:$port"
db=${DB:-sqlite}
pg_base=${PG_BASE:-postgres://postgres@127.0.0.1:5432}
pg_name="gachi_bench_$$"
cleanup() {
  # Only the pids that were started: `kill 0` would signal this script's whole process group.
  local pids=(${pid:-} ${pid2:-} ${bare_pid:-})
  [ ${#pids[@]} -eq 0 ] || kill "${pids[@]}" 2>/dev/null || true
  if [ "$db" = postgres ]; then [ ${#pids[@]} -eq 0 ] || wait "${pids[@]}" 2>/dev/null || true; psql "$pg_base/postgres" -qc "DROP DATABASE IF EXISTS $pg_name" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT
if [ "$db" = postgres ]; then
  psql "$pg_base/postgres" -qc "CREATE DATABASE $pg_name" >/dev/null
  database_url="$pg_base/$pg_name"
  # Every instance on PostgreSQL must decrypt the same Kakao tokens.
  GACHI_SECRET_KEY=$(head -c 32 /dev/urandom | base64)
  export GACHI_SECRET_KEY
else
  database_url="sqlite://$tmp/bench.db"
fi

t0=$(date +%s%N)
GACHI_DATABASE_URL="$database_url" RUST_LOG=warn "$bin/gachi" serve --bind "127.0.0.1:$port" >"$tmp/serve.log" 2>&1 &
pid=$!
until curl -sf "$base/readyz" >/dev/null; do sleep 0.005; done
ready_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
base2=""
if [ "$db" = postgres ]; then
  # The second instance, on the same database: sessions are rows, so the cookie made on the
  # first works on both.
  port2=$((port + 2))
  base2="http://127.0.0.1:$port2"
  GACHI_DATABASE_URL="$database_url" RUST_LOG=warn "$bin/gachi" serve --bind "127.0.0.1:$port2" >"$tmp/serve2.log" 2>&1 &
  pid2=$!
  until curl -sf "$base2/readyz" >/dev/null; do sleep 0.005; done
fi

# One wrk of 64 connections, or with two instances one of 32 on each (scripts/bench/load.sh).
source scripts/bench/load.sh

# VmRSS in KiB, with its anonymous part (heap, stacks) and its file part (the binary's own
# mapped pages, which the kernel may map in large folios) in brackets.
rss() { awk '/^VmRSS/{t=$2} /^RssAnon/{a=$2} /^RssFile/{f=$2} END{printf "%s (anon %s, file %s)", t, a, f}' "/proc/$1/status"; }

jar="$tmp/cookies"
curl -sf -c "$jar" -b "$jar" -H 'content-type: application/json' -d '{"user_id":4000000001}' "$base/_kakao/_admin/session" >/dev/null
curl -sf -L -c "$jar" -b "$jar" "$base/auth/kakao/login?next=/" >/dev/null
session=$(awk '$6=="gachi_session"{print $7}' "$jar")
room=$(curl -sf -b "$jar" -H "origin: $base" -H 'content-type: application/json' -d '{"name":"벤치마크"}' "$base/api/v1/rooms" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
for i in $(seq 0 499); do
  day=$(( i % 31 + 1 ))
  printf -v d '2026-12-%02d' "$day"
  printf -v h1 '%02d' $(( 9 + i % 12 ))
  printf -v h2 '%02d' $(( 10 + i % 12 ))
  curl -sf -b "$jar" -H "origin: $base" -H 'content-type: application/json' \
    -d "{\"title\":\"일정 $i\",\"starts_at\":\"${d}T${h1}:00:00+09:00\",\"ends_at\":\"${d}T${h2}:30:00+09:00\",\"location\":\"장소 $i\"}" \
    "$base/api/v1/rooms/$room/events" >/dev/null
done
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
