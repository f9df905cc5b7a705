-- Removal that lasts (issue #15). Invitations expire: `expires_at` (epoch ms) is set from the
-- `--invite-ttl-days` setting when one is made; codes made before this step get the default
-- week from their creation. `room_departures` remembers who left or was removed from a room,
-- and `invite_exclusions` every code of the room that existed at that moment: none of those
-- codes may make them a member again (only a later invitation by the room's owner does).
-- Same text as the PostgreSQL file.
ALTER TABLE invites ADD COLUMN expires_at BIGINT;
UPDATE invites SET expires_at = created_at + 604800000;

CREATE TABLE room_departures (
    room_id TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    departed_at BIGINT NOT NULL,
    PRIMARY KEY (room_id, user_id)
);

CREATE TABLE invite_exclusions (
    code TEXT NOT NULL REFERENCES invites(code) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (code, user_id)
);
