# Sourced by the benchmark scripts: the database and the Gachi instances under test.
# Reads $bin, $tmp, $port, $db (sqlite or postgres), $pg_base and $pg_name; starts one instance
# on $port (SQLite) or two on $port and $port+2 sharing one fresh PostgreSQL database, and sets
# $pid/$base, $pid2/$base2 (empty with one instance) and $ready_ms (the first instance's start to
# ready, coarse: see scripts/bench-start.py). Cleans up on exit, including $bare_pid if set.

cleanup() {
  # Only the pids that were started: `kill 0` would signal this script's whole process group.
  local pids=(${pid:-} ${pid2:-} ${bare_pid:-})
  [ ${#pids[@]} -eq 0 ] || kill "${pids[@]}" 2>/dev/null || true
  if [ "$db" = postgres ]; then
    [ ${#pids[@]} -eq 0 ] || wait "${pids[@]}" 2>/dev/null || true
    psql "$pg_base/postgres" -qc "DROP DATABASE IF EXISTS $pg_name" >/dev/null 2>&1 || true
  fi
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

base="http://127.0.0.1:$port"
t0=$(date +%s%N)
GACHI_DATABASE_URL="$database_url" RUST_LOG=warn "$bin/gachi" serve --bind "127.0.0.1:$port" >"$tmp/serve.log" 2>&1 &
pid=$!
until curl -sf "$base/readyz" >/dev/null; do sleep 0.005; done
ready_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
base2=""
if [ "$db" = postgres ]; then
  # The second instance, on the same database: sessions are rows, so a cookie made on the
  # first works on both.
  port2=$((port + 2))
  base2="http://127.0.0.1:$port2"
  GACHI_DATABASE_URL="$database_url" RUST_LOG=warn "$bin/gachi" serve --bind "127.0.0.1:$port2" >"$tmp/serve2.log" 2>&1 &
  pid2=$!
  until curl -sf "$base2/readyz" >/dev/null; do sleep 0.005; done
fi

# VmRSS of pid $1 in KiB, with its anonymous part (heap, stacks) and its file part (the binary's
# own code and data as far as mapped: 64 KiB around each page first touched) in brackets.
rss() { awk '/^VmRSS/{t=$2} /^RssAnon/{a=$2} /^RssFile/{f=$2} END{printf "%s (anon %s, file %s)", t, a, f}' "/proc/$1/status"; }
