#!/usr/bin/env bash
# Where an idle server's memory goes (issue 22): starts a release `gachi serve` on a fresh SQLite
# file, then logs in, makes a room, writes 500 events and reads their month, printing at each
# step VmRSS with its anonymous and file-mapped parts, and the anonymous part split into
# mimalloc's arena (Rust's allocations: the largest anonymous map) and the other anonymous maps
# (glibc's arenas, which hold SQLite's caches, and thread stacks).
#
# Usage: scripts/bench-rss.sh [path/to/gachi]   (default target/release/gachi; PORT=18099)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/gachi}
port=${PORT:-18099}
tmp=$(mktemp -d)
base="http://127.0.0.1:$port"
GACHI_DATABASE_URL="sqlite://$tmp/rss.db" RUST_LOG=warn "$bin" serve --bind "127.0.0.1:$port" >"$tmp/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$tmp"' EXIT
until curl -sf "$base/readyz" >/dev/null; do sleep 0.005; done

step() {
  awk -v what="$1" '/^VmRSS/{t=$2} /^RssAnon/{a=$2} /^RssFile/{f=$2}
    END{printf "%-26s RSS %6d KiB (anon %5d, file %5d)", what, t, a, f}' "/proc/$pid/status"
  python3 - "$pid" <<'PY'
import re, sys
maps, cur = [], None
for line in open(f"/proc/{sys.argv[1]}/smaps"):
    if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
        fields = line.split()
        cur = {"name": fields[5] if len(fields) > 5 else "", "anon": 0}
        maps.append(cur)
    elif line.startswith("Anonymous:"):
        cur["anon"] = int(line.split()[1])
anon = sorted((m for m in maps if m["name"] == ""), key=lambda m: -m["anon"])
print(f"; mimalloc {anon[0]['anon']:5d}, other anonymous maps {sum(m['anon'] for m in anon[1:]):5d}")
PY
}

step "started"
jar="$tmp/cookies"
curl -sf -c "$jar" -b "$jar" -H 'content-type: application/json' -d '{"user_id":4000000001}' "$base/_kakao/_admin/session" >/dev/null
curl -sf -L -c "$jar" -b "$jar" "$base/auth/kakao/login?next=/" >/dev/null
room=$(curl -sf -b "$jar" -H "origin: $base" -H 'content-type: application/json' -d '{"name":"벤치마크"}' "$base/api/v1/rooms" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
step "logged in, room made"
for i in $(seq 0 499); do
  day=$(( i % 31 + 1 ))
  printf -v d '2026-12-%02d' "$day"
  printf -v h1 '%02d' $(( 9 + i % 12 ))
  printf -v h2 '%02d' $(( 10 + i % 12 ))
  curl -sf -b "$jar" -H "origin: $base" -H 'content-type: application/json' \
    -d "{\"title\":\"일정 $i\",\"starts_at\":\"${d}T${h1}:00:00+09:00\",\"ends_at\":\"${d}T${h2}:30:00+09:00\",\"location\":\"장소 $i\"}" \
    "$base/api/v1/rooms/$room/events" >/dev/null
done
step "500 events written"
curl -sf -b "$jar" "$base/api/v1/rooms/$room/events?from=2026-12-01&to=2027-01-01" >/dev/null
step "their month read once"
