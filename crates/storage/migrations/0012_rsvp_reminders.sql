-- 참석·불참 and reminders (issue 19). Same text for SQLite and PostgreSQL.
--
-- rsvps: one answer per member for an event, or for one occurrence of a series. `occurrence`
-- is the occurrence's original start as the exception table keys it (epoch milliseconds as
-- text, or YYYY-MM-DD for all-day series) and '' for a single event. `answer` is yes|no|maybe;
-- withdrawing an answer deletes the row.
CREATE TABLE rsvps (
    event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    occurrence TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    answer TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (event_id, occurrence, user_id)
);

-- The owner's reminder times for the room (minutes before the start, comma-separated, e.g.
-- '1440,60'); no row means the default. They are also the alarms of Talk Calendar copies.
CREATE TABLE room_reminder_times (
    room_id TEXT PRIMARY KEY REFERENCES rooms(id) ON DELETE CASCADE,
    before_minutes TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Each member's own choice of a "나에게" memo before the room's events. `updated_at` matters:
-- a reminder whose time came before the member turned memos on is not sent.
CREATE TABLE reminder_memos (
    room_id TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    memo BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (room_id, user_id)
);

-- The memo reminders' outbox: one row per (member, event, occurrence, reminder time, start the
-- reminder was computed for), written when it falls due and sent at most once. `starts` is the
-- start snapshot (epoch milliseconds as text, or the all-day date): a moved event has a new
-- snapshot and so a new row at its new time, while the old row is dropped unsent. Statuses
-- follow the share outbox: queued|deferred --claim--> claimed --start--> sending --> sent, and
-- skipped (event gone or moved, member opted out or answered no) or failed with a reason; a
-- lapsed claim goes back to queued, a lapsed `sending` becomes unknown and is never resent.
CREATE TABLE reminders (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    occurrence TEXT NOT NULL,
    before_minutes BIGINT NOT NULL,
    starts TEXT NOT NULL,
    room_id TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
    due_at BIGINT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT,
    attempts BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    lease_until BIGINT,
    lease_owner TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, event_id, occurrence, before_minutes, starts)
);
CREATE INDEX reminders_due ON reminders(status, next_attempt_at);
