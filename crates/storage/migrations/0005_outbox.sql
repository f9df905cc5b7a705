-- The outbox's guarantees (issue 8).
--
-- Kakao has no idempotency key and Gachi cannot read Kakao's quota counters, so Gachi counts
-- its own messages per KST day here, reserving each one in the same transaction that marks its
-- receiver `sending`, BEFORE Kakao is called; a receiver over a quota is `deferred` instead.
-- `counter` is `app`, `sender:{user id}`, `receiver:{uuid}` or `pair:{user id}:{uuid}`;
-- `day` is the KST civil date (YYYY-MM-DD) the quota belongs to.
--
-- Receivers also gain the status `claimed` (held by a worker, no Kakao call started yet): a
-- claim whose lease runs out goes back to `queued`, while a lapsed `sending` becomes `unknown`.
-- Statuses are TEXT, so that needs no schema change. Same text as the PostgreSQL file.
CREATE TABLE message_quota_counts (
    day TEXT NOT NULL,
    counter TEXT NOT NULL,
    used BIGINT NOT NULL,
    PRIMARY KEY (day, counter)
);
CREATE INDEX share_recipients_lease ON share_recipients(status, lease_until);
