# Sourced by the benchmark scripts: the schedule benchmark's data, on the instance at $base.
# Writes cookies to $tmp.

# Logs the sandbox's first demo user in and makes a room; sets $jar, $session and $room.
owner_with_room() {
  jar="$tmp/cookies"
  curl -sf -c "$jar" -b "$jar" -H 'content-type: application/json' -d '{"user_id":4000000001}' "$base/_kakao/_admin/session" >/dev/null
  curl -sf -L -c "$jar" -b "$jar" "$base/auth/kakao/login?next=/" >/dev/null
  session=$(awk '$6=="gachi_session"{print $7}' "$jar")
  room=$(curl -sf -b "$jar" -H "origin: $base" -H 'content-type: application/json' -d '{"name":"벤치마크"}' "$base/api/v1/rooms" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
}

# Writes 500 events across December 2026 into $room, one request each.
write_month() {
  local i day d h1 h2
  for i in $(seq 0 499); do
    day=$(( i % 31 + 1 ))
    printf -v d '2026-12-%02d' "$day"
    printf -v h1 '%02d' $(( 9 + i % 12 ))
    printf -v h2 '%02d' $(( 10 + i % 12 ))
    curl -sf -b "$jar" -H "origin: $base" -H 'content-type: application/json' \
      -d "{\"title\":\"일정 $i\",\"starts_at\":\"${d}T${h1}:00:00+09:00\",\"ends_at\":\"${d}T${h2}:30:00+09:00\",\"location\":\"장소 $i\"}" \
      "$base/api/v1/rooms/$room/events" >/dev/null
  done
}
