-- Members who asked for a KakaoTalk "to me" memo when their poll is confirmed (issue #10).
CREATE TABLE poll_memo_optins (
    poll_id TEXT NOT NULL REFERENCES polls(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (poll_id, user_id)
);
