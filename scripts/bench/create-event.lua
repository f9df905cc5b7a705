-- wrk script: every request creates one timed event in the benchmark room.
wrk.method = "POST"
wrk.headers["content-type"] = "application/json"
wrk.body = '{"title":"벤치마크 일정","starts_at":"2026-12-10T19:00:00+09:00","ends_at":"2026-12-10T21:00:00+09:00","location":"홍대"}'
