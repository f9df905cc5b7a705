#!/usr/bin/env bash
# Writes crates/gachi/hot-functions.txt: the functions a release `gachi serve` runs while it
# starts and while it serves the benchmarks (schedule and polls on SQLite, schedule on two
# PostgreSQL instances), which crates/gachi/build.rs has the linker lay out together, so the
# code the server runs is resident in few pages (issue 22, see docs/benchmarks.md).
#
# Run it again when the dependencies, the toolchain or the request paths change: symbol names
# carry a hash of their crate's build, and names a build no longer has are skipped (they cost
# memory, not correctness). `scripts/bench-rss.sh` prints how many of the listed names the
# binary has.
#
# Runs each server under valgrind's callgrind (apt-get install valgrind wrk), so the benchmarks'
# loads are slow and their figures meaningless; only which functions ran is kept.
# Usage: scripts/hot-functions.sh   (~5 minutes after the build)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bench/build.sh
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
mkdir -p "$out/bin/examples"
ln -s "$PWD/target/release/examples/bare_axum" "$out/bin/examples/bare_axum"
cat >"$out/bin/gachi" <<EOF
#!/bin/sh
exec valgrind --tool=callgrind --demangle=no --dump-instr=no --callgrind-out-file=$out/callgrind.%p $PWD/target/release/gachi "\$@"
EOF
chmod +x "$out/bin/gachi"

BIN_DIR="$out/bin" SKIP_BUILD=1 PORT=18400 BARE_PORT=18401 ./scripts/bench-schedule.sh >"$out/schedule.log"
BIN_DIR="$out/bin" SKIP_BUILD=1 PORT=18410 BARE_PORT=18411 ./scripts/bench-polls.sh >"$out/polls.log"
BIN_DIR="$out/bin" SKIP_BUILD=1 PORT=18420 BARE_PORT=18421 DB=postgres ./scripts/bench-schedule.sh >"$out/postgres.log"
# The benchmarks stop their servers on exit; callgrind writes its file as each one ends.
while pgrep -f "callgrind-out-file=$out" >/dev/null; do sleep 1; done

python3 - target/release/gachi "$out"/callgrind.* >crates/gachi/hot-functions.txt <<'PY'
# Every function of the binary that callgrind saw run (as a function or as a callee), sorted by
# name: the order groups them by crate and module and keeps the file's diffs readable.
import re, subprocess, sys
binary, outputs = sys.argv[1], sys.argv[2:]
ran = set()
for path in outputs:
    for line in open(path, errors="replace"):
        m = re.match(r"^c?fn=\(\d+\) (.+)$", line.rstrip("\n"))
        if m:
            ran.add(m.group(1))
symbols = subprocess.run(["nm", binary], capture_output=True, text=True, check=True).stdout
code = {f[2] for f in (l.split() for l in symbols.splitlines()) if len(f) == 3 and f[1] in "tTW"}
hot = sorted(ran & code)
print("\n".join(hot))
print(f"{len(hot)} functions from {len(outputs)} servers", file=sys.stderr)
PY
echo "wrote crates/gachi/hot-functions.txt; rebuild (cargo build --release -p gachi --bin gachi) to lay them out"
