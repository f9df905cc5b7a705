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
//!   ([`storage::ChangeWatch`]), and for [`SETTLE_POLLS`] polls after it, because on PostgreSQL
//!   the marker can move a moment before the commit is visible to other sessions;
//! - and while the marker cannot be read, nothing is served from memory at all.
//!
//! Only reading requests (GET/HEAD, see [`reading`]) are answered from memory: a write request
//! reads the database as before, so a handler that writes and then reads within one request
//! sees its own write, and background work never acts on a remembered answer.
//!
//! So a session revoked, a member removed or an event written on one instance is seen on every
//! instance within one poll plus one marker query (`POLL` = 20 ms); `tests/it/fresh.rs` proves
//! it on two instances. Any write anywhere clears everything: coarse, but writes are rare next
//! to reads, and no write path can forget to invalidate.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use axum::body::Bytes;
use moka::sync::Cache;
use storage::{Role, Room, User};

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
/// Polls after a marker move during which the data still counts as changing.
const SETTLE_POLLS: u32 = 3;

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

/// A bounded map whose entries are served only under the generation they were read under.
pub struct Tagged<K, V> {
    entries: Cache<K, (u64, V)>,
}

impl<K, V> Tagged<K, V>
where
    K: std::hash::Hash + Eq + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    fn new(capacity: u64) -> Self {
        Self {
            entries: Cache::new(capacity),
        }
    }

    /// Bounded by the sum of `weigh` over the entries rather than by their number.
    fn weighed(max: u64, weigh: fn(&V) -> u32) -> Self {
        Self {
            entries: Cache::builder()
                .max_capacity(max)
                .weigher(move |_: &K, (_, v): &(u64, V)| weigh(v))
                .build(),
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

    fn put(&self, generation: Option<u64>, key: K, value: V) {
        if let Some(generation) = generation {
            self.entries.insert(key, (generation, value));
        }
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
    answers: Tagged<String, Answer>,
    /// Lookups answered from memory and from the database (for `/metrics` and the tests).
    hits: AtomicU64,
    misses: AtomicU64,
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

    fn count<T>(&self, found: Option<T>) -> Option<T> {
        let counter = if found.is_some() { &self.hits } else { &self.misses };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// Lookups answered from memory and from the database so far.
    pub fn counts(&self) -> (u64, u64) {
        (
            self.hits.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed),
        )
    }

    pub fn session(&self, cookie: &str, now: i64) -> Option<SessionEntry> {
        let found = self
            .sessions
            .get(self.generation(), cookie)
            .filter(|e| e.expires_at > now);
        self.count(found)
    }

    pub fn put_session(&self, generation: Option<u64>, cookie: String, entry: SessionEntry) {
        self.sessions.put(generation, cookie, entry);
    }

    pub fn member(&self, room_id: &str, user_id: &str) -> Option<(Room, Role)> {
        let key = (room_id.to_owned(), user_id.to_owned());
        self.count(self.members.get(self.generation(), &key))
    }

    pub fn put_member(&self, generation: Option<u64>, room_id: String, user_id: String, found: (Room, Role)) {
        self.members.put(generation, (room_id, user_id), found);
    }

    pub fn answer(&self, key: &str, now: i64) -> Option<Answer> {
        let found = self.answers.get(self.generation(), key).filter(|a| now < a.until);
        self.count(found)
    }

    pub fn put_answer(&self, generation: Option<u64>, key: String, answer: Answer) {
        self.answers.put(generation, key, answer);
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
        let mut settling = 0;
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
                        settling = SETTLE_POLLS;
                        state.fresh.generation.bump();
                    } else if settling > 0 {
                        settling -= 1;
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
