-- Availability polls of a room (issue 10). A poll's candidate days live in their own table so
-- that two members proposing at once both land (the primary key refuses a duplicate day); a
-- member's answers are one JSON object per (poll, member), replaced whole, so a refused write
-- never leaves half of them. confirmed_key is claimed once (the owner's confirmation); event_id
-- then links the event it became. Instants are epoch ms; days are civil `YYYY-MM-DD` in the
-- poll's zone. Same text as the PostgreSQL file.
CREATE TABLE polls (
    id TEXT PRIMARY KEY,
    room_id TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
    created_by TEXT NOT NULL,
    title TEXT NOT NULL,
    location TEXT NOT NULL,
    kind TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    start_minute BIGINT NOT NULL,
    end_minute BIGINT NOT NULL,
    deadline_at BIGINT,
    confirmed_key TEXT,
    event_id TEXT,
    closed_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX polls_room ON polls(room_id, created_at);

CREATE TABLE poll_dates (
    poll_id TEXT NOT NULL REFERENCES polls(id) ON DELETE CASCADE,
    date TEXT NOT NULL,
    added_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (poll_id, date)
);

CREATE TABLE poll_answers (
    poll_id TEXT NOT NULL REFERENCES polls(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    answers TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (poll_id, user_id)
);
