-- Recurring events (issue 20). A series is one events row whose rrule holds the RFC 5545 RRULE
-- text (NULL for a single event); its starts_at/ends_at (or dates) are the first occurrence.
-- One occurrence cancelled or changed on its own ("이 일정만") is an exception row keyed by the
-- series and the occurrence's original start: epoch milliseconds as text for timed series,
-- YYYY-MM-DD for all-day ones (the RECURRENCE-ID). A changed occurrence keeps its full values
-- here, so the series can be edited without touching it; a cancelled one only the flag.
ALTER TABLE events ADD COLUMN rrule TEXT;

CREATE TABLE event_exceptions (
    event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    original TEXT NOT NULL,
    cancelled BIGINT NOT NULL,
    title TEXT,
    starts_at BIGINT,
    ends_at BIGINT,
    start_date TEXT,
    end_date TEXT,
    location TEXT,
    memo TEXT,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (event_id, original)
);
