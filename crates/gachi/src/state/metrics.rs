//! What `/metrics` shows (the route and the request middleware are in `web::metrics`), recorded through the `metrics` crate into a Prometheus recorder that
//! belongs to one [`AppState`]. No global recorder is installed: tests run many Gachi instances
//! in one process, and each must count only its own requests. Every recording therefore goes
//! through [`Metrics::record`], which makes this instance's recorder the current one for the
//! duration of a synchronous closure.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Mutex, PoisonError, RwLock};
use std::time::Duration;

use metrics::{
    Counter, Histogram, counter, describe_counter, describe_gauge, describe_histogram, gauge, histogram,
};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle, PrometheusRecorder};

pub const REQUESTS: &str = "gachi_http_requests_total";
pub const DURATION: &str = "gachi_http_request_duration_seconds";
pub const SERVER_ERRORS: &str = "gachi_http_server_errors_total";
pub const LOGINS: &str = "gachi_logins_total";
pub const UNLINK_WEBHOOKS: &str = "gachi_unlink_webhooks_total";
pub const KAKAO_CALLS: &str = "gachi_kakao_calls_total";
pub const OUTBOX: &str = "gachi_outbox_items";
pub const HOT_READS: &str = "gachi_hot_reads_total";
pub const GENERATION_MOVES: &str = "gachi_hot_generation_moves_total";

/// Latency buckets in seconds: from a cached JSON answer (~1 ms) to a slow Kakao round trip.
const BUCKETS: [f64; 14] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// The route label of requests no route matched: the raw path would let any client invent
/// new series without end.
pub const UNMATCHED: &str = "unmatched";

/// One route's request series' handles (its count and its latency histogram) by method and
/// status.
type ByMethodStatus = HashMap<(&'static str, u16), (Counter, Histogram)>;

/// One instance's recorder and the handle that renders it.
pub struct Metrics {
    recorder: PrometheusRecorder,
    handle: PrometheusHandle,
    /// Outbox (queue, state) pairs seen at an earlier scrape: a state nobody is in any more must
    /// read 0, not keep its last count.
    outbox_seen: Mutex<BTreeSet<(&'static str, String)>>,
    /// The request series' handles by route, then method and status: found on every request
    /// instead of made by the macros, which build, allocate and hash a labelled key each time.
    /// Routes are patterns and statuses few, so this stays small.
    series: RwLock<HashMap<String, ByMethodStatus>>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        // Only an empty bucket list is refused, and ours is not empty; should that ever change,
        // a summary is still better than no latency at all.
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(DURATION.to_owned()), &BUCKETS)
            .unwrap_or_else(|_| PrometheusBuilder::new())
            .build_recorder();
        let handle = recorder.handle();
        let metrics = Self {
            recorder,
            handle,
            outbox_seen: Mutex::new(BTreeSet::new()),
            series: RwLock::new(HashMap::new()),
        };
        metrics.record(|| {
            describe_counter!(REQUESTS, "HTTP requests answered, by route, method and status.");
            describe_histogram!(DURATION, metrics::Unit::Seconds, "Time to answer, by route.");
            describe_counter!(SERVER_ERRORS, "HTTP 5xx answers.");
            describe_counter!(LOGINS, "Completed Kakao logins.");
            describe_counter!(UNLINK_WEBHOOKS, "Accepted Kakao unlink webhooks.");
            describe_counter!(
                HOT_READS,
                "Session and membership lookups, by where they were answered (memory or database)."
            );
            describe_counter!(
                GENERATION_MOVES,
                "Times the hot reads were dropped because the database may have changed."
            );
            describe_counter!(
                KAKAO_CALLS,
                "Calls to Kakao, by API path and outcome (ok or Kakao's error code)."
            );
            describe_gauge!(
                OUTBOX,
                "Outbox items by queue and state, read from the database at scrape time."
            );
            // Present from the start, so dashboards and alerts see 0 rather than nothing.
            counter!(SERVER_ERRORS).absolute(0);
            counter!(LOGINS).absolute(0);
            counter!(UNLINK_WEBHOOKS).absolute(0);
        });
        metrics
    }

    /// Runs `f` with this instance's recorder as the current one (the `metrics` macros inside
    /// record here). `f` must not await: the recorder is set for this thread only.
    pub fn record<T>(&self, f: impl FnOnce() -> T) -> T {
        metrics::with_local_recorder(&self.recorder, f)
    }

    pub fn request(&self, route: &str, method: &'static str, status: u16, elapsed: Duration) {
        let found = self
            .series
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(route)
            .and_then(|by| by.get(&(method, status)).cloned());
        let (count, time) = match found {
            Some(handles) => handles,
            None => {
                let handles = self.record(|| {
                    (
                        counter!(REQUESTS, "route" => route.to_owned(), "method" => method, "status" => status.to_string()),
                        histogram!(DURATION, "route" => route.to_owned()),
                    )
                });
                self.series
                    .write()
                    .unwrap_or_else(PoisonError::into_inner)
                    .entry(route.to_owned())
                    .or_default()
                    .insert((method, status), handles.clone());
                handles
            }
        };
        count.increment(1);
        time.record(elapsed.as_secs_f64());
        if (500..600).contains(&status) {
            self.record(|| counter!(SERVER_ERRORS).increment(1));
        }
    }

    pub fn login(&self) {
        self.record(|| counter!(LOGINS).increment(1));
    }

    pub fn unlink_webhook(&self) {
        self.record(|| counter!(UNLINK_WEBHOOKS).increment(1));
    }

    /// One finished call to Kakao: `api` is its path, `outcome` `ok` or Kakao's error code.
    pub fn kakao_call(&self, api: &str, outcome: &str) {
        self.record(|| {
            counter!(KAKAO_CALLS, "api" => api.to_owned(), "outcome" => outcome.to_owned()).increment(1);
        });
    }

    /// Sets the outbox gauges to these counts; states seen before and absent now read 0.
    pub fn outbox(&self, counts: &[storage::OutboxCount]) {
        let mut seen = self.outbox_seen.lock().unwrap_or_else(PoisonError::into_inner);
        self.record(|| {
            for (queue, state) in seen.iter() {
                if !counts.iter().any(|c| c.queue == *queue && c.state == *state) {
                    gauge!(OUTBOX, "queue" => *queue, "state" => state.clone()).set(0.0);
                }
            }
            for c in counts {
                // Counts are far below 2^52, where f64 stops being exact.
                #[allow(clippy::cast_precision_loss)]
                gauge!(OUTBOX, "queue" => c.queue, "state" => c.state.clone()).set(c.count as f64);
            }
        });
        seen.extend(counts.iter().map(|c| (c.queue, c.state.clone())));
    }

    /// The hot-read counters (`state::fresh`), set at each scrape from the atomics the request
    /// path bumps (cheaper there than a labelled counter per lookup).
    pub fn hot_reads(&self, hits: u64, misses: u64, shared: u64, generation_moves: u64) {
        self.record(|| {
            counter!(HOT_READS, "result" => "memory").absolute(hits);
            counter!(HOT_READS, "result" => "database").absolute(misses);
            counter!(HOT_READS, "result" => "shared").absolute(shared);
            counter!(GENERATION_MOVES).absolute(generation_moves);
        });
    }

    /// The Prometheus text exposition of everything recorded so far.
    pub fn render(&self) -> String {
        self.handle.render()
    }

    /// Folds recorded latencies into their buckets. Rendering does this too; this keeps memory
    /// flat when nobody scrapes.
    pub fn upkeep(&self) {
        self.handle.run_upkeep();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(queue: &'static str, state: &str, n: i64) -> storage::OutboxCount {
        storage::OutboxCount {
            queue,
            state: state.to_owned(),
            count: n,
        }
    }

    #[test]
    fn an_emptied_outbox_state_reads_zero() {
        let m = Metrics::new();
        m.outbox(&[count("shares", "queued", 2), count("talk_calendar", "failed", 1)]);
        let text = m.render();
        assert!(
            text.contains("gachi_outbox_items{queue=\"shares\",state=\"queued\"} 2"),
            "{text}"
        );
        m.outbox(&[count("talk_calendar", "failed", 1)]);
        let text = m.render();
        assert!(
            text.contains("gachi_outbox_items{queue=\"shares\",state=\"queued\"} 0"),
            "{text}"
        );
        assert!(
            text.contains("gachi_outbox_items{queue=\"talk_calendar\",state=\"failed\"} 1"),
            "{text}"
        );
    }

    #[test]
    fn instances_do_not_share_counts() {
        let (a, b) = (Metrics::new(), Metrics::new());
        a.login();
        assert!(a.render().contains("gachi_logins_total 1"));
        assert!(b.render().contains("gachi_logins_total 0"));
    }
}
