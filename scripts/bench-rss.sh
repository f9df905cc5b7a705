#!/usr/bin/env bash
# Where an idle server's memory goes (issue 22): starts a release `gachi serve` on a fresh SQLite
# file, then logs in, makes a room, writes 500 events and reads their month, printing at each
# step VmRSS with its anonymous and file-mapped parts, and the anonymous part split into
# mimalloc's arena (Rust's allocations: the largest anonymous map) and the other anonymous maps
# (glibc's arenas, which hold SQLite's caches, and thread stacks).
#
# Usage: scripts/bench-rss.sh   (BIN_DIR: another build than target/release; PORT=18099)
# Ends with how many of crates/gachi/hot-functions.txt the binary has (see build.rs there).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BIN_DIR:-target/release}
tmp=$(mktemp -d)
port=${PORT:-18099}
db=sqlite
source scripts/bench/instances.sh

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
source scripts/bench/month.sh
owner_with_room
step "logged in, room made"
write_month
step "500 events written"
curl -sf -b "$jar" "$base/api/v1/rooms/$room/events?from=2026-12-01&to=2027-01-01" >/dev/null
step "their month read once"

# Whether crates/gachi/hot-functions.txt still fits this code (crates/gachi/build.rs lays those
# functions out together): how many of the listed names the binary has. Far fewer than listed
# means the list is stale and the code the server runs is scattered again: run
# scripts/hot-functions.sh.
listed=crates/gachi/hot-functions.txt
found=$(nm "$bin/gachi" | awk '$2 ~ /^[tTW]$/ {print $3}' | sort -u | comm -12 - <(sort -u "$listed") | wc -l)
echo "$listed: $found of $(wc -l <"$listed") listed functions are in this binary"
