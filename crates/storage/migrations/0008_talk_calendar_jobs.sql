-- Talk Calendar pushes through a durable outbox (issue 14): one row per member's copy that
-- Kakao must catch up with, written in the same transaction as the edit or deletion of the
-- Gachi event that causes it. At most one row per copy: a later edit rewrites the row (the
-- newest `sequence` wins, a deletion wins over an update), so quick edits end as one update
-- with the latest data. The worker claims rows with a lease (`queued -> claimed`); a row leaves
-- the table when Kakao has the event's state, or waits as `parked` with a `reason` (consent
-- gone, no KakaoTalk, …) that is also the copy's `last_error` for the account page.
-- `action` is `update` or `delete`; `sequence` the Gachi event's sequence the copy must reach.
CREATE TABLE talk_calendar_jobs (
    user_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    action TEXT NOT NULL,
    sequence BIGINT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT,
    attempts BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    lease_until BIGINT,
    lease_owner TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, event_id),
    FOREIGN KEY (user_id, event_id) REFERENCES talk_calendar_events(user_id, event_id) ON DELETE CASCADE
);
CREATE INDEX talk_calendar_jobs_due ON talk_calendar_jobs(status, next_attempt_at);
