-- Shares of a room's schedule (issue 7) and their outbox: one row per (share, receiver),
-- written in the same transaction as the share. The worker claims rows with a lease and moves
-- each through queued -> sending -> sent | failed | unknown | deferred | needs_consent; a row in
-- `sending` whose lease ran out becomes `unknown`, never `queued` again, so no receiver is sent
-- the same share twice. Same text as the PostgreSQL file.
CREATE TABLE shares (
    id TEXT PRIMARY KEY,
    room_id TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
    owner_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    layout TEXT NOT NULL,
    event_id TEXT,
    date TEXT,
    channel TEXT NOT NULL,
    public_token TEXT NOT NULL UNIQUE,
    lang TEXT NOT NULL,
    image_url TEXT,
    image_width BIGINT,
    image_height BIGINT,
    invite_code TEXT,
    revoked_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX shares_room ON shares(room_id);

CREATE TABLE share_recipients (
    share_id TEXT NOT NULL REFERENCES shares(id) ON DELETE CASCADE,
    uuid TEXT NOT NULL,
    nickname TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT,
    attempts BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    lease_until BIGINT,
    lease_owner TEXT,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (share_id, uuid)
);
CREATE INDEX share_recipients_due ON share_recipients(status, next_attempt_at);

-- When Gachi first saw a user's agreement to a scope (Kakao does not say when it was given);
-- the "why is my friend missing?" diagnosis reads it for Kakao's 10-minute friend-list cache.
CREATE TABLE scope_seen (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    scope TEXT NOT NULL,
    seen_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, scope)
);
