#!/bin/sh
# Share fan-out benchmark (docs/benchmarks.md, "Share fan-out"): a release `gachi sandbox` with
# 100 ms latency on every message send and image upload, a release `gachi serve` against it
# (SQLite, default outbox concurrency), one owner sharing a week image to 100 friends, seven
# times; prints each run (POST /shares until all 100 are `sent`) and the median.
# Run by hand, never in CI. Needs nothing but cargo.
set -eu
cd "$(dirname "$0")/.."
exec cargo test --release -p gachi --test it -- --ignored bench_share_fan_out --nocapture --test-threads=1
