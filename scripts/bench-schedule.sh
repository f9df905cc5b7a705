#!/usr/bin/env bash
# The schedule benchmark of docs/benchmarks.md (issue #6): a release `gachi serve` on SQLite,
# a room with 500 events in December 2026, then wrk with 64 connections for 10 s on
#   1. the month view: an authenticated GET of the whole month's JSON (no conditional headers),
#   2. event creation (POST), and
#   3. a bare axum handler (examples/bare_axum.rs) as the yardstick,
# plus time from start to ready and RSS idle and under load. Needs `wrk` (apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -n "${SKIP_BUILD:-}" ] || cargo build --release -q -p gachi --bin gachi --example bare_axum
tmp=$(mktemp -d)
port=${PORT:-18080}
bare_port=${BARE_PORT:-18081}
base="http://127.0.0.1:$port"
cleanup() { kill "${pid:-0}" "${bare_pid:-0}" 2>/dev/null || true; }
trap cleanup EXIT

t0=$(date +%s%N)
GACHI_DATABASE_URL="sqlite://$tmp/bench.db" RUST_LOG=warn target/release/gachi serve --bind "127.0.0.1:$port" >"$tmp/serve.log" 2>&1 &
pid=$!
until curl -sf "$base/readyz" >/dev/null; do sleep 0.005; done
ready_ms=$(( ($(date +%s%N) - t0) / 1000000 ))

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
rss_idle=$(awk '/VmRSS/{print $2}' "/proc/$pid/status")

wrk -t2 -c64 -d10s --latency -H "cookie: gachi_session=$session" "$month" >"$tmp/month.txt"
rss_loaded=$(awk '/VmRSS/{print $2}' "/proc/$pid/status")
wrk -t2 -c64 -d10s --latency -H "cookie: gachi_session=$session" -H "accept-encoding: gzip" "$month" >"$tmp/month-gzip.txt"
wrk -t2 -c64 -d10s --latency -s scripts/bench/create-event.lua -H "cookie: gachi_session=$session" -H "origin: $base" \
  "$base/api/v1/rooms/$room/events" >"$tmp/create.txt"
rss_after_create=$(awk '/VmRSS/{print $2}' "/proc/$pid/status")

target/release/examples/bare_axum "127.0.0.1:$bare_port" "$tmp/month.json" >/dev/null &
bare_pid=$!
until curl -sf "http://127.0.0.1:$bare_port/" >/dev/null; do sleep 0.005; done
wrk -t2 -c64 -d10s --latency "http://127.0.0.1:$bare_port/" >"$tmp/bare.txt"
wrk -t2 -c64 -d10s --latency "http://127.0.0.1:$bare_port/body" >"$tmp/bare-body.txt"

rps() { awk '/Requests\/sec/{print $2}' "$1"; }
p99() { awk '$1=="99%"{print $2}' "$1"; }
errors() { awk '/Non-2xx|Socket errors/{print}' "$1" | tr '\n' ' '; }
echo "events in the month view: $count ($bytes bytes of JSON)"
echo "start to ready: ${ready_ms} ms"
echo "month view:  $(rps "$tmp/month.txt") req/s, p99 $(p99 "$tmp/month.txt") $(errors "$tmp/month.txt")"
echo "create:      $(rps "$tmp/create.txt") req/s, p99 $(p99 "$tmp/create.txt") $(errors "$tmp/create.txt")"
echo "month gzip:  $(rps "$tmp/month-gzip.txt") req/s, p99 $(p99 "$tmp/month-gzip.txt") $(errors "$tmp/month-gzip.txt")"
echo "bare axum:   $(rps "$tmp/bare.txt") req/s, p99 $(p99 "$tmp/bare.txt")"
echo "bare, same body: $(rps "$tmp/bare-body.txt") req/s, p99 $(p99 "$tmp/bare-body.txt")"
python3 -c "print('month/bare ratio: %.1f %%' % (100 * float('$(rps "$tmp/month.txt")') / float('$(rps "$tmp/bare.txt")')))"
python3 -c "print('month gzip/bare ratio: %.1f %%' % (100 * float('$(rps "$tmp/month-gzip.txt")') / float('$(rps "$tmp/bare.txt")')))"
python3 -c "print('month/bare-same-body ratio: %.1f %%' % (100 * float('$(rps "$tmp/month.txt")') / float('$(rps "$tmp/bare-body.txt")')))"
python3 -c "print('create/bare ratio: %.1f %%' % (100 * float('$(rps "$tmp/create.txt")') / float('$(rps "$tmp/bare.txt")')))"
echo "RSS: idle ${rss_idle} KiB, after month load ${rss_loaded} KiB, after create load ${rss_after_create} KiB"
