-- Events of a room. Timed events keep instants (epoch ms); all-day events keep civil dates
-- (end inclusive) that no time zone ever moves. span_start/span_end bound every event in UTC
-- for range queries (all-day ones generously: the date seen from any zone). Deleted events stay
-- as tombstones so calendars that subscribed learn of the cancellation.
CREATE TABLE events (
    id TEXT PRIMARY KEY,
    room_id TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    all_day BIGINT NOT NULL,
    starts_at BIGINT,
    ends_at BIGINT,
    start_date TEXT,
    end_date TEXT,
    time_zone TEXT NOT NULL,
    location TEXT NOT NULL,
    memo TEXT NOT NULL,
    created_by TEXT NOT NULL,
    sequence BIGINT NOT NULL,
    span_start BIGINT NOT NULL,
    span_end BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    deleted_at BIGINT
);
CREATE INDEX events_room_span ON events(room_id, span_start);

ALTER TABLE rooms ADD COLUMN feed_token TEXT;
CREATE UNIQUE INDEX rooms_feed_token ON rooms(feed_token);
