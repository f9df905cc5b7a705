//! Hot reads answered from memory while nothing changed (issue #22): who a session cookie
//! belongs to, and a member's room. Before this every request made two database round trips
//! (each a hand-off to sqlx's SQLite worker thread and back) before it could serve a cached body.
//!
//! Correctness rests on one number, the *generation*. An entry remembers the generation it was
//! read under (taken **before** the read) and is served only while the generation is the same.
//! The generation moves:
//! - at once, after every request that may write (anything but GET/HEAD) on this instance,
//!   before its answer leaves — so a user always reads their own writes — and after a round of
//!   the outbox or Talk Calendar worker that did something;
//! - within one poll ([`POLL`]) of any commit by anyone else — another instance, a background
//!   worker, a person at `psql` — seen through the database's change marker
//!   ([`storage::ChangeWatch`]), which moves only once the commit is visible to new reads;
//! - and while the marker cannot be read, nothing is served from memory at all.
//!
//! After a move every reader misses at once: on a busy poll page, dozens of requests for the
//! same page arrive within the next millisecond. Concurrent misses of one key under one
//! generation are *coalesced* ([`Tagged::read_once`]): the first reads the database, the rest
//! wait for its answer, which is exactly what they would have found in memory a moment later.
//! Without that, each of them ran the page's five queries and its heat-map, and the poll page's
//! p99 on two PostgreSQL instances was 13–108 ms (session 7's benchmarks).
//!
//! Only reading requests (GET/HEAD, see [`reading`]) are answered from memory: a write request
//! reads the database as before, so a handler that writes and then reads within one request
//! sees its own write, and background work never acts on a remembered answer.
//!
//! So a session revoked, a member removed or an event written on one instance is seen on every
//! instance within one poll plus one marker query (`POLL` = 20 ms); `tests/it/fresh.rs` proves
//! it on two instances. Any write anywhere clears everything: coarse, but writes are rare next
//! to reads, and no write path can forget to invalidate.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use axum::body::Bytes;
use moka::sync::Cache;
use storage::{Role, Room, User};
use tokio::sync::OnceCell;

tokio::task_local! {
    static READING: ();
}

/// Runs `fut` (a GET or HEAD request) as a reader: only inside it is memory consulted.
pub async fn reading<F: std::future::Future>(fut: F) -> F::Output {
    READING.scope((), fut).await
}

fn in_reader() -> bool {
    READING.try_with(|()| ()).is_ok()
}

/// How often the change marker is read.
pub const POLL: Duration = Duration::from_millis(20);

/// The generation and whether it can be trusted.
#[derive(Default)]
pub struct Generation {
    value: AtomicU64,
    /// False until the first marker read, and whenever a read fails.
    live: AtomicBool,
    /// Moves with every bump, for `/metrics` and the tests.
    bumps: AtomicU64,
}

impl Generation {
    /// The generation an entry may be read under; `None` when memory must not be trusted.
    pub fn current(&self) -> Option<u64> {
        self.live
            .load(Ordering::Acquire)
            .then(|| self.value.load(Ordering::Acquire))
    }

    /// Everything read before now is stale.
    pub fn bump(&self) {
        self.value.fetch_add(1, Ordering::AcqRel);
        self.bumps.fetch_add(1, Ordering::Relaxed);
    }

    pub fn bumps(&self) -> u64 {
        self.bumps.load(Ordering::Relaxed)
    }

    fn set_live(&self, live: bool) {
        if !live {
            self.live.store(false, Ordering::Release);
            return;
        }
        if !self.live.swap(true, Ordering::AcqRel) {
            // Whatever was read while the marker was unknown must not be trusted.
            self.bump();
        }
    }
}

/// A session cookie's owner and CSRF token.
#[derive(Clone)]
pub struct SessionEntry {
    pub user: User,
    pub csrf: String,
    pub expires_at: i64,
}

/// What a read of the database finds (`R`), and the value in it worth keeping (`V`): a lookup
/// finds `Option<V>` (only what exists is kept), a finished answer is always kept.
pub trait Found<V>: Clone + Send + Sync + 'static {
    fn kept(&self) -> Option<&V>;
    fn from_memory(value: V) -> Self;
}

impl<V: Clone + Send + Sync + 'static> Found<V> for Option<V> {
    fn kept(&self) -> Option<&V> {
        self.as_ref()
    }
    fn from_memory(value: V) -> Self {
        Some(value)
    }
}

impl Found<Answer> for Answer {
    fn kept(&self) -> Option<&Answer> {
        Some(self)
    }
    fn from_memory(value: Answer) -> Self {
        value
    }
}

/// Who read the database for a lookup memory could not answer.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reader {
    Us,
    /// A concurrent request for the same key, whose answer we waited for.
    Another,
}

/// A bounded map whose entries are served only under the generation they were read under.
pub struct Tagged<K, V, R = Option<V>> {
    entries: Cache<K, (u64, V)>,
    /// Reads under way, one per key and generation; see [`Tagged::read_once`].
    flights: Cache<(K, u64), Arc<OnceCell<R>>>,
}

/// Reads under way at once, across all keys of one map (far more than a busy instance has).
const FLIGHTS: u64 = 10_000;

impl<K, V, R> Tagged<K, V, R>
where
    K: std::hash::Hash + Eq + Clone + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
    R: Found<V>,
{
    fn new(capacity: u64) -> Self {
        Self {
            entries: Cache::new(capacity),
            flights: Cache::new(FLIGHTS),
        }
    }

    /// Bounded by the sum of `weigh` over the entries rather than by their number.
    fn weighed(max: u64, weigh: fn(&V) -> u32) -> Self {
        Self {
            entries: Cache::builder()
                .max_capacity(max)
                .weigher(move |_: &K, (_, v): &(u64, V)| weigh(v))
                .build(),
            flights: Cache::new(FLIGHTS),
        }
    }

    fn get<Q>(&self, generation: Option<u64>, key: &Q) -> Option<V>
    where
        K: std::borrow::Borrow<Q>,
        Q: std::hash::Hash + Eq + ?Sized,
    {
        let generation = generation?;
        self.entries
            .get(key)
            .filter(|(g, _)| *g == generation)
            .map(|(_, v)| v)
    }

    /// Runs `read` for `key` and keeps what it found under `generation` — once for all the
    /// callers that miss the same key under the same generation at the same time: the others
    /// wait for the first one's answer. Sharing it is as safe as a hit: the first caller took
    /// the same generation before its read, so a write that moves the generation makes that
    /// answer stale for everyone alike. If the first caller fails (or its request is dropped),
    /// the next waiter reads for itself; its error is its own.
    async fn read_once<E, Fut>(
        &self,
        generation: Option<u64>,
        key: K,
        read: impl FnOnce() -> Fut,
    ) -> (Result<R, E>, Reader)
    where
        Fut: Future<Output = Result<R, E>>,
    {
        let Some(generation) = generation else {
            return (read().await, Reader::Us);
        };
        let flight_key = (key.clone(), generation);
        let flight = self
            .flights
            .get_with_by_ref(&flight_key, || Arc::new(OnceCell::new()));
        let mut reader = Reader::Another;
        let found = flight
            .get_or_try_init(|| async {
                reader = Reader::Us;
                let found = read().await?;
                if let Some(value) = found.kept() {
                    self.entries.insert(key, (generation, value.clone()));
                }
                Ok(found)
            })
            .await
            .cloned();
        // Whoever comes later finds the answer in `entries` (or, for an answer that is not
        // kept, reads again under a flight of its own).
        self.flights.invalidate(&flight_key);
        (found, reader)
    }
}

/// A finished answer: its bytes, its ETag if it has one, and the instant (Gachi's clock, epoch
/// ms) until which it holds even if nothing is written (a poll closes at its deadline).
#[derive(Clone)]
pub struct Answer {
    pub body: Bytes,
    /// The body gzipped, for answers worth compressing (pages); `None` for small JSON.
    pub gzip: Option<Bytes>,
    pub etag: Option<String>,
    pub until: i64,
}

/// What the finished answers may hold in all: a poll page is ~40 KB, its JSON a few, so this
/// keeps the pages of a few hundred busy readers.
const ANSWER_BYTES: u64 = 16 * 1024 * 1024;

/// The hot reads. Only answers that exist are kept (an unknown cookie or a non-member is always
/// asked of the database, so guessing cannot fill memory).
pub struct Fresh {
    pub generation: Generation,
    sessions: Tagged<String, SessionEntry>,
    members: Tagged<(String, String), (Room, Role)>,
    /// Finished JSON answers (a share's status, a poll), keyed by what they are for and who
    /// reads them.
    answers: Tagged<String, Answer, Answer>,
    /// Lookups answered from memory, from the database, and from a concurrent request's read
    /// (for `/metrics` and the tests).
    hits: AtomicU64,
    misses: AtomicU64,
    shared: AtomicU64,
}

impl Default for Fresh {
    fn default() -> Self {
        Self {
            generation: Generation::default(),
            sessions: Tagged::new(100_000),
            members: Tagged::new(100_000),
            answers: Tagged::weighed(ANSWER_BYTES, |a| {
                let bytes = a.body.len() + a.gzip.as_ref().map_or(0, Bytes::len);
                u32::try_from(bytes).unwrap_or(u32::MAX)
            }),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            shared: AtomicU64::new(0),
        }
    }
}

impl Fresh {
    /// Take it **before** reading what will be kept: a write that lands during the read then
    /// makes the entry stale at once.
    pub fn generation(&self) -> Option<u64> {
        if in_reader() {
            self.generation.current()
        } else {
            None
        }
    }

    /// Lookups answered from memory and from the database so far.
    pub fn counts(&self) -> (u64, u64) {
        (
            self.hits.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed),
        )
    }

    /// Lookups that missed memory and were answered by a concurrent request's read.
    pub fn shared(&self) -> u64 {
        self.shared.load(Ordering::Relaxed)
    }

    /// `key` from `map` if it is current and `valid`, otherwise `read` (coalesced, see
    /// [`Tagged::read_once`]), keeping what it found.
    async fn remembered<K, Q, V, R, E, Fut>(
        &self,
        map: &Tagged<K, V, R>,
        key: &Q,
        valid: impl Fn(&V) -> bool,
        read: impl FnOnce() -> Fut,
    ) -> Result<R, E>
    where
        K: std::hash::Hash + Eq + Clone + Send + Sync + 'static + std::borrow::Borrow<Q>,
        Q: std::hash::Hash + Eq + ToOwned<Owned = K> + ?Sized,
        V: Clone + Send + Sync + 'static,
        R: Found<V>,
        Fut: Future<Output = Result<R, E>>,
    {
        let generation = self.generation();
        if let Some(hit) = map.get(generation, key).filter(|v| valid(v)) {
            self.hits.fetch_add(1, Ordering::Relaxed);
            return Ok(R::from_memory(hit));
        }
        let (found, reader) = map.read_once(generation, key.to_owned(), read).await;
        let counter = match reader {
            Reader::Us => &self.misses,
            Reader::Another => &self.shared,
        };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// The session behind `cookie`, from memory or from `read` (which finds it in the
    /// database). Only sessions that exist are kept.
    pub async fn session<E, Fut>(
        &self,
        cookie: &str,
        now: i64,
        read: impl FnOnce() -> Fut,
    ) -> Result<Option<SessionEntry>, E>
    where
        Fut: Future<Output = Result<Option<SessionEntry>, E>>,
    {
        self.remembered(&self.sessions, cookie, |e| e.expires_at > now, read)
            .await
    }

    /// The room and role if `user_id` is a member of `room_id`, from memory or from `read`.
    /// Only memberships that exist are kept.
    pub async fn member<E, Fut>(
        &self,
        room_id: &str,
        user_id: &str,
        read: impl FnOnce() -> Fut,
    ) -> Result<Option<(Room, Role)>, E>
    where
        Fut: Future<Output = Result<Option<(Room, Role)>, E>>,
    {
        let key = (room_id.to_owned(), user_id.to_owned());
        self.remembered(&self.members, &key, |_| true, read).await
    }

    /// The finished answer kept as `key`, or the one `make` makes, which is kept. `None` for
    /// `key` is an answer never to keep (a page with a one-time toast): `make` runs alone.
    pub async fn answer<E, Fut>(
        &self,
        key: Option<String>,
        now: i64,
        make: impl FnOnce() -> Fut,
    ) -> Result<Answer, E>
    where
        Fut: Future<Output = Result<Answer, E>>,
    {
        match key {
            None => make().await,
            Some(key) => {
                self.remembered(&self.answers, key.as_str(), |a| now < a.until, make)
                    .await
            }
        }
    }
}

/// Reads the change marker every [`POLL`] for as long as the process runs, moving the
/// generation when it moves (see the module comment).
pub fn spawn_watch(state: &super::AppState) {
    let state = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(POLL);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut watch = None;
        let mut last = None::<String>;
        loop {
            tick.tick().await;
            if watch.is_none() {
                watch = state.store.change_watch().await.ok();
            }
            let Some(w) = watch.as_mut() else {
                state.fresh.generation.set_live(false);
                continue;
            };
            match w.marker().await {
                Ok(marker) => {
                    if last.as_ref() != Some(&marker) {
                        last = Some(marker);
                        state.fresh.generation.bump();
                    }
                    state.fresh.generation.set_live(true);
                }
                Err(e) => {
                    tracing::warn!(error = %e, "the database's change marker could not be read; hot reads go to the database");
                    state.fresh.generation.set_live(false);
                    if let Some(w) = watch.take() {
                        w.close().await;
                    }
                    last = None;
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicUsize;

    use tokio::sync::Semaphore;

    use super::*;

    fn live() -> Fresh {
        let fresh = Fresh::default();
        fresh.generation.set_live(true);
        fresh
    }

    fn answer(body: &'static str) -> Answer {
        Answer {
            body: Bytes::from_static(body.as_bytes()),
            gzip: None,
            etag: None,
            until: i64::MAX,
        }
    }

    /// A read that counts itself and waits at `gate`, so both callers are under way before
    /// either finishes (the test runtime has one thread: the order below is the poll order).
    async fn gated_read(
        reads: &AtomicUsize,
        gate: &Semaphore,
        body: &'static str,
    ) -> Result<Answer, &'static str> {
        reads.fetch_add(1, Ordering::SeqCst);
        let _pass = gate.acquire().await.map_err(|_| "gate closed")?;
        Ok(answer(body))
    }

    async fn open_after_everyone_waits(gate: &Semaphore) {
        tokio::task::yield_now().await;
        gate.add_permits(8);
    }

    #[tokio::test]
    async fn concurrent_misses_of_one_key_are_one_read() {
        let fresh = live();
        let (reads, gate) = (AtomicUsize::new(0), Semaphore::new(0));
        let key = || Some("poll-page:r:p:u".to_owned());
        let (a, b, ()) = reading(async {
            tokio::join!(
                fresh.answer(key(), 0, || gated_read(&reads, &gate, "first")),
                fresh.answer(key(), 0, || gated_read(&reads, &gate, "second")),
                open_after_everyone_waits(&gate),
            )
        })
        .await;
        assert_eq!(
            reads.load(Ordering::SeqCst),
            1,
            "the second caller waited instead of reading"
        );
        assert_eq!(a.map(|a| a.body), Ok(Bytes::from_static(b"first")));
        assert_eq!(b.map(|a| a.body), Ok(Bytes::from_static(b"first")));
        assert_eq!(fresh.counts(), (0, 1));
        assert_eq!(fresh.shared(), 1);
        // And the answer is kept: the next caller is answered from memory.
        let third = reading(fresh.answer(key(), 0, || async { Err("not read") })).await;
        assert_eq!(third.map(|a| a.body), Ok(Bytes::from_static(b"first")));
        assert_eq!(fresh.counts(), (1, 1));
    }

    #[tokio::test]
    async fn a_caller_after_a_write_does_not_take_an_older_read() {
        // A read under way started before the write; the caller who arrives after it (say, the
        // writer's own next request) must read again, or it would not see its own write.
        let fresh = live();
        let (reads, gate) = (AtomicUsize::new(0), Semaphore::new(0));
        let key = || Some("share:s:u:ko".to_owned());
        let (old, new, ()) = reading(async {
            tokio::join!(
                fresh.answer(key(), 0, || gated_read(&reads, &gate, "before")),
                async {
                    fresh.generation.bump();
                    fresh
                        .answer(key(), 0, || gated_read(&reads, &gate, "after"))
                        .await
                },
                open_after_everyone_waits(&gate),
            )
        })
        .await;
        assert_eq!(reads.load(Ordering::SeqCst), 2);
        assert_eq!(old.map(|a| a.body), Ok(Bytes::from_static(b"before")));
        assert_eq!(new.map(|a| a.body), Ok(Bytes::from_static(b"after")));
        assert_eq!(fresh.shared(), 0);
    }

    #[tokio::test]
    async fn when_the_first_read_fails_a_waiter_reads_for_itself() {
        let fresh = live();
        let (reads, gate) = (AtomicUsize::new(0), Semaphore::new(0));
        let key = || Some("poll:r:p:u".to_owned());
        let (a, b, ()) = reading(async {
            tokio::join!(
                fresh.answer(key(), 0, || async {
                    reads.fetch_add(1, Ordering::SeqCst);
                    let _pass = gate.acquire().await;
                    Err("the database went away")
                }),
                fresh.answer(key(), 0, || gated_read(&reads, &gate, "second")),
                open_after_everyone_waits(&gate),
            )
        })
        .await;
        assert_eq!(a.map(|a| a.body), Err("the database went away"));
        assert_eq!(b.map(|a| a.body), Ok(Bytes::from_static(b"second")));
        assert_eq!(reads.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn lookups_that_find_nothing_are_shared_but_not_kept() {
        let fresh = live();
        let (reads, gate) = (AtomicUsize::new(0), Semaphore::new(0));
        let unknown = || async {
            reads.fetch_add(1, Ordering::SeqCst);
            let _pass = gate.acquire().await;
            Ok::<_, ()>(None)
        };
        let (a, b, ()) = reading(async {
            tokio::join!(
                fresh.session("guessed", 0, unknown),
                fresh.session("guessed", 0, unknown),
                open_after_everyone_waits(&gate),
            )
        })
        .await;
        assert!(matches!((a, b), (Ok(None), Ok(None))));
        assert_eq!(reads.load(Ordering::SeqCst), 1);
        // Nothing was kept for an unknown cookie: the next lookup asks again.
        gate.add_permits(1);
        let c = reading(fresh.session("guessed", 0, unknown)).await;
        assert!(matches!(c, Ok(None)));
        assert_eq!(reads.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn outside_a_reading_request_nothing_is_shared_or_kept() {
        let fresh = live();
        let (reads, gate) = (AtomicUsize::new(0), Semaphore::new(0));
        let key = || Some("poll:r:p:u".to_owned());
        let (a, b, ()) = tokio::join!(
            fresh.answer(key(), 0, || gated_read(&reads, &gate, "first")),
            fresh.answer(key(), 0, || gated_read(&reads, &gate, "second")),
            open_after_everyone_waits(&gate),
        );
        assert!(a.is_ok() && b.is_ok());
        assert_eq!(reads.load(Ordering::SeqCst), 2);
        assert_eq!(fresh.counts(), (0, 2));
    }
}
