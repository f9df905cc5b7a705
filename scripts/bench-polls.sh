#!/usr/bin/env bash
# The polls benchmark of docs/benchmarks.md (issue #10): a release `gachi serve` on SQLite, a room
# of 10 members (the 5 demo users and 5 more made in the sandbox) with a day poll of 20 candidate
# days that every member answered in full (20 options × 10 members = 200 answers), then wrk with
# 64 connections for 10 s on
#   1. the poll page (GET /rooms/{id}/polls/{pid}: heat-map, ranking, my answers, as HTML),
#   2. the poll's JSON (what the page's 2-second refresh reads), without and with If-None-Match,
#   3. a bare axum handler (examples/bare_axum.rs) as the yardstick,
# plus RSS idle and under load. Needs `wrk` (apt-get install wrk).
#
# DB=postgres runs the same on PostgreSQL (a fresh database on $PG_BASE, default
# postgres://postgres@127.0.0.1:5432) with TWO instances behind the benchmark, as
# bench-schedule.sh does: each load is two wrk processes of 32 connections, one per instance, run
# together; req/s are summed and the p99 is the worse of the two.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bench/build.sh
# The binaries measured: the release build, or BIN_DIR (another build of the same code).
bin=${BIN_DIR:-target/release}
tmp=$(mktemp -d)
port=${PORT:-18090}
bare_port=${BARE_PORT:-18091}
db=${DB:-sqlite}
pg_base=${PG_BASE:-postgres://postgres@127.0.0.1:5432}
pg_name="gachi_bench_polls_$$"
source scripts/bench/instances.sh

# One wrk of 64 connections, or with two instances one of 32 on each (scripts/bench/load.sh).
source scripts/bench/load.sh
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

# Logs sandbox user $1 in with cookie jar $2.
login() {
  curl -sf -c "$2" -b "$2" -H 'content-type: application/json' -d "{\"user_id\":$1}" "$base/_kakao/_admin/session" >/dev/null
  curl -sf -L -c "$2" -b "$2" "$base/auth/kakao/login?next=/" >/dev/null
}
users="4000000001 4000000002 4000000003 4000000004 4000000005"
for n in 6 7 8 9 10; do
  id=$(curl -sf -H 'content-type: application/json' -d "{\"nickname\":\"벤치$n\",\"talk_user\":true,\"profile_public\":true}" \
    "$base/_kakao/_admin/users" | json '["id"]')
  curl -sf -H 'content-type: application/json' -d "{\"user_id\":$id,\"scopes\":[\"openid\",\"profile_nickname\",\"profile_image\"]}" \
    "$base/_kakao/_admin/consent" >/dev/null
  users="$users $id"
done

owner_jar="$tmp/jar-4000000001"
login 4000000001 "$owner_jar"
post() { curl -sf -b "$1" -H "origin: $base" -H 'content-type: application/json' -X "${4:-POST}" -d "$3" "$base$2"; }
room=$(post "$owner_jar" /api/v1/rooms '{"name":"벤치마크"}' | json '["id"]')
code=$(post "$owner_jar" "/api/v1/rooms/$room/invites" '{}' | json '["code"]')
dates=$(python3 -c 'import datetime,json; d=datetime.date(2027,3,1); print(json.dumps([str(d+datetime.timedelta(i)) for i in range(20)]))')
poll=$(post "$owner_jar" "/api/v1/rooms/$room/polls" "{\"title\":\"봄 모임\",\"kind\":\"days\",\"dates\":$dates}" | json '["id"]')
i=0
for u in $users; do
  jar="$tmp/jar-$u"
  [ "$u" = 4000000001 ] || { login "$u" "$jar"; post "$jar" "/api/v1/invites/$code/accept" '{}' >/dev/null; }
  answers=$(python3 -c "import json; ds=$dates; print(json.dumps({'answers': {d: ['yes','maybe','no'][(k+$i)%3] for k,d in enumerate(ds)}}))")
  post "$jar" "/api/v1/rooms/$room/polls/$poll/answers" "$answers" PUT >/dev/null
  i=$((i + 1))
done
api="$base/api/v1/rooms/$room/polls/$poll"
check=$(curl -sf -b "$owner_jar" "$api" | python3 -c 'import json,sys; p=json.load(sys.stdin); print(len(p["options"]), len(p["respondents"]), sum(len(o["yes"])+len(o["maybe"])+len(o["no"]) for o in p["options"]))')
read -r options members answers <<<"$check"
session=$(awk '$6=="gachi_session"{print $7}' "$owner_jar")
page_path="/rooms/$room/polls/$poll"
api_path="/api/v1/rooms/$room/polls/$poll"
page_bytes=$(curl -sf -b "$owner_jar" "$base$page_path" | wc -c)
etag=$(curl -sfI -b "$owner_jar" "$api" | awk 'tolower($1)=="etag:"{print $2}' | tr -d '\r')
rss_idle=$(rss "$pid")

load "$page_path" "$tmp/page.txt" -H "cookie: gachi_session=$session"
rss_page=$(rss "$pid")
load "$api_path" "$tmp/json.txt" -H "cookie: gachi_session=$session"
load "$api_path" "$tmp/304.txt" -H "cookie: gachi_session=$session" -H "if-none-match: $etag"
rss_loaded=$(rss "$pid")

"$bin/examples/bare_axum" "127.0.0.1:$bare_port" >/dev/null &
bare_pid=$!
until curl -sf "http://127.0.0.1:$bare_port/" >/dev/null; do sleep 0.005; done
wrk -t2 -c64 -d10s --latency "http://127.0.0.1:$bare_port/" >"$tmp/bare.txt"

rps() { awk '/Requests\/sec/{print $2}' "$1"; }
p99() { awk '$1=="99%"{print $2}' "$1"; }
errors() { awk '/Non-2xx|Socket errors/{print}' "$1" | tr '\n' ' '; }
ratio() { python3 -c "print('%.1f %%' % (100 * float('$(rps "$1")') / float('$(rps "$tmp/bare.txt")')))"; }
echo "database: $db$([ -n "$base2" ] && echo ', two instances')"
echo "poll: $options options × $members members, $answers answers; page $page_bytes bytes"
echo "poll page:       $(rps "$tmp/page.txt") req/s, p99 $(p99 "$tmp/page.txt"), $(ratio "$tmp/page.txt") of bare $(errors "$tmp/page.txt")"
echo "poll JSON:       $(rps "$tmp/json.txt") req/s, p99 $(p99 "$tmp/json.txt"), $(ratio "$tmp/json.txt") of bare $(errors "$tmp/json.txt")"
echo "poll JSON (304): $(rps "$tmp/304.txt") req/s, p99 $(p99 "$tmp/304.txt"), $(ratio "$tmp/304.txt") of bare"
echo "bare axum:       $(rps "$tmp/bare.txt") req/s, p99 $(p99 "$tmp/bare.txt")"
echo "RSS KiB: idle ${rss_idle}, after the page load ${rss_page}, after the JSON loads ${rss_loaded}"
hot_reads
