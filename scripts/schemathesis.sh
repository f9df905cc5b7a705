#!/usr/bin/env bash
# Generated conformance testing of the JSON API (issue #15): starts `gachi serve` on a fresh
# SQLite database with the built-in sandbox, logs a demo user in through the sandbox, makes a
# room, then lets schemathesis (PyPI) call every documented operation with `--checks all`.
# Any 5xx, undocumented status, or answer that does not match /api/openapi.json fails the run.
# Bounded: a few examples per operation and a time budget (SCHEMATHESIS_MAX_TIME, seconds).
# SCHEMATHESIS_CHECKS narrows the checks (default all, as CI runs them; scripts/schemathesis.toml
# holds the per-operation settings).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

target=${CARGO_TARGET_DIR:-$root/target}
bin=${GACHI_BIN:-$target/debug/gachi}
if [ -z "${GACHI_BIN:-}" ]; then
  cargo build -p gachi --locked
fi

# schemathesis from PyPI, in its own virtual environment (kept between runs).
st=$(command -v schemathesis || true)
if [ -z "$st" ]; then
  venv=${SCHEMATHESIS_VENV:-$root/target/schemathesis-venv}
  if [ ! -x "$venv/bin/schemathesis" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q 'schemathesis>=4.32,<5'
  fi
  st=$venv/bin/schemathesis
fi

work=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# Port 0: the server says where it listens.
# The invitation rate limit has its own test; here it would only hide the accept route.
RUST_LOG=warn GACHI_INVITE_RATE_BURST=100000 GACHI_DATABASE_URL="sqlite://$work/gachi.db" \
  "$bin" serve --bind 127.0.0.1:0 >"$work/out" 2>"$work/err" &
pid=$!
base=
for _ in $(seq 1 200); do
  base=$(sed -n 's/^Gachi on \(http:[^ ]*\).*/\1/p' "$work/out" | head -n1)
  [ -n "$base" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/err" >&2; exit 1; }
  sleep 0.1
done
[ -n "$base" ] || { echo "gachi serve did not start" >&2; cat "$work/err" >&2; exit 1; }

# Log in as a demo user the way tests do: the sandbox's Kakao session, then Gachi's login.
jar=$work/cookies
curl -fsS -c "$jar" -b "$jar" -H 'content-type: application/json' \
  -d '{"user_id": 4000000001}' "$base/_kakao/_admin/session" >/dev/null
curl -fsSL -c "$jar" -b "$jar" -o /dev/null "$base/auth/kakao/login?next=/"
session=$(awk '$6 == "gachi_session" {print $7}' "$jar")
[ -n "$session" ] || { echo "login failed: no gachi_session cookie" >&2; exit 1; }
curl -fsS -b "$jar" -H "origin: $base" -H 'content-type: application/json' \
  -d '{"name": "schemathesis"}' "$base/api/v1/rooms" >/dev/null

# The session travels as a header, so schemathesis must not try requests "without" the cookie
# it cannot remove. Logging out everywhere and deleting the account would end the session for every later call.
# scripts/schemathesis.toml: the few operations whose cross-field rules JSON Schema cannot state.
"$st" --config-file "$root/scripts/schemathesis.toml" run "$base/api/openapi.json" \
  --checks "${SCHEMATHESIS_CHECKS:-all}" \
  ${SCHEMATHESIS_SUPPRESS:+--suppress-health-check "$SCHEMATHESIS_SUPPRESS"} \
  --header "Cookie: gachi_session=$session" \
  --header "Origin: $base" \
  --exclude-path-regex '^/api/v1/account(/logout-everywhere)?$' \
  --max-examples "${SCHEMATHESIS_MAX_EXAMPLES:-10}" \
  --max-time "${SCHEMATHESIS_MAX_TIME:-240}" \
  --request-timeout 20 \
  --generation-database none \
  --generation-with-security-parameters false \
  --seed "${SCHEMATHESIS_SEED:-15}" \
  --no-color
