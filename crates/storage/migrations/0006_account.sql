-- Talk Calendar copies of Gachi events (issue 11): for each member who added an event to their
-- own KakaoTalk calendar, the id Kakao gave it, so later edits and the deletion follow it there.
-- A row whose kakao_event_id is NULL is an add waiting on the member's consent round trip.
-- last_error keeps why the last sync failed (e.g. consent revoked), for the account page.
-- Same text as the PostgreSQL file.
CREATE TABLE talk_calendar_events (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    event_id TEXT NOT NULL,
    room_id TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
    kakao_event_id TEXT,
    synced_sequence BIGINT NOT NULL,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, event_id)
);
CREATE INDEX talk_calendar_events_event ON talk_calendar_events(event_id);
