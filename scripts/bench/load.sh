# Sourced by the benchmark scripts: their one way to put a load on Gachi.
# Reads $base and $base2 (empty with one instance).

# wrk on $1 (a path) with the remaining args: one wrk of 64 connections, or with two instances
# one of 32 on each at once. Writes the summed req/s and the worse p99 to $out.
load() {
  local path=$1 out=$2; shift 2
  if [ -z "$base2" ]; then
    wrk -t2 -c64 -d10s --latency "$@" "$base$path" >"$out"
  else
    wrk -t1 -c32 -d10s --latency "$@" "$base$path" >"$out.a" &
    local w1=$!
    wrk -t1 -c32 -d10s --latency "$@" "$base2$path" >"$out.b"
    wait "$w1"
    python3 - "$out.a" "$out.b" >"$out" <<'PY'
import re, sys
def parse(path):
    text = open(path).read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    p99 = re.search(r"^\s+99%\s+(\S+)", text, re.M).group(1)
    ms = float(p99[:-2]) if p99.endswith("ms") else float(p99[:-2]) / 1000 if p99.endswith("us") else float(p99[:-1]) * 1000
    errors = " ".join(l.strip() for l in text.splitlines() if "Non-2xx" in l or "Socket errors" in l)
    return rps, ms, errors
a, b = parse(sys.argv[1]), parse(sys.argv[2])
print(f"Requests/sec: {a[0] + b[0]:.2f}")
print(f"     99%    {max(a[1], b[1]):.2f}ms")
for e in (a[2], b[2]):
    if e:
        print(e)
PY
  fi
}

# Where each instance's hot reads were answered (memory, the database, or a concurrent
# request's read of the same key) and how often its generation moved, from its /metrics.
hot_reads() {
  local b
  for b in "$base" ${base2:+"$base2"}; do
    curl -sf "$b/metrics" | awk -v at="${b##*:}" '
      /^gachi_hot_reads_total\{result="memory"\}/ {m=$2}
      /^gachi_hot_reads_total\{result="database"\}/ {d=$2}
      /^gachi_hot_reads_total\{result="shared"\}/ {s=$2}
      /^gachi_hot_generation_moves_total / {g=$2}
      END {printf "hot reads (port %s): memory %s, database %s, shared %s; generation moves %s\n", at, m, d, s, g}'
  done
}
