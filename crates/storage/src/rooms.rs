//! Rooms (공유방), their members with one owner (방장) each, and invitations.

use domain::room::Role;
use serde::Serialize;

use crate::spelled::Spelled;
use crate::{StorageError, Store, new_id, run};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Room {
    pub id: String,
    pub name: String,
    pub description: String,
    pub time_zone: String,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Member {
    pub user_id: String,
    pub nickname: String,
    pub profile_image_url: Option<String>,
    pub role: Role,
    pub joined_at: i64,
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    user_id: String,
    nickname: String,
    profile_image_url: Option<String>,
    #[sqlx(try_from = "Spelled<Role>")]
    role: Role,
    joined_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Invite {
    pub code: String,
    pub room_id: String,
    pub created_by: String,
    pub created_at: i64,
    /// When the code stops working (epoch ms; codes from before expiry existed got a week).
    pub expires_at: Option<i64>,
}

impl Invite {
    /// Whether the code still works at `now` (revoked codes are never read as invites).
    pub fn live_at(&self, now: i64) -> bool {
        self.expires_at.is_none_or(|at| at > now)
    }
}

/// Whether a code may make `user` a member (see [`Store::invite_admits`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Admission {
    /// The user never left the room, or this is a later invitation by its owner.
    Admit,
    /// The user left or was removed, and this code existed then, is the public link's, or is
    /// not the owner's.
    Refuse,
}

const INVITE_COLUMNS: &str = "code, room_id, created_by, created_at, expires_at";

#[derive(sqlx::FromRow)]
struct RoomWithRole {
    id: String,
    name: String,
    description: String,
    time_zone: String,
    created_at: i64,
    updated_at: i64,
    #[sqlx(try_from = "Spelled<Role>")]
    role: Role,
}

const ROOM_COLUMNS: &str = "r.id, r.name, r.description, r.time_zone, r.created_at, r.updated_at";

impl RoomWithRole {
    fn split(self) -> (Room, Role) {
        (
            Room {
                id: self.id,
                name: self.name,
                description: self.description,
                time_zone: self.time_zone,
                created_at: self.created_at,
                updated_at: self.updated_at,
            },
            self.role,
        )
    }
}

impl Store {
    /// Creates a room with `owner` as its 방장, in one transaction.
    pub async fn create_room(
        &self,
        owner: &str,
        name: &str,
        description: &str,
        time_zone: &str,
        now: i64,
    ) -> Result<Room, StorageError> {
        let id = new_id();
        run!(&self.db, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query("INSERT INTO rooms (id, name, description, time_zone, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)")
                .bind(&id).bind(name).bind(description).bind(time_zone).bind(now).execute(&mut *tx).await?;
            sqlx::query("INSERT INTO room_members (room_id, user_id, role, joined_at) VALUES ($1, $2, 'owner', $3)")
                .bind(&id).bind(owner).bind(now).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(Room {
            id,
            name: name.to_owned(),
            description: description.to_owned(),
            time_zone: time_zone.to_owned(),
            created_at: now,
            updated_at: now,
        })
    }

    /// The rooms `user_id` belongs to, newest first, with their role.
    pub async fn rooms_of(&self, user_id: &str) -> Result<Vec<(Room, Role)>, StorageError> {
        let sql = format!(
            "SELECT {ROOM_COLUMNS}, m.role FROM rooms r JOIN room_members m ON m.room_id = r.id \
             WHERE m.user_id = $1 ORDER BY r.created_at DESC, r.id DESC"
        );
        let rows = run!(&self.db, pool => sqlx::query_as::<_, RoomWithRole>(&sql).bind(user_id).fetch_all(pool).await?);
        Ok(rows.into_iter().map(RoomWithRole::split).collect())
    }

    /// The room if `user_id` is a member of it. Non-members get `None`, exactly as for a room
    /// that does not exist, so callers cannot leak its existence.
    pub async fn room_for_member(
        &self,
        room_id: &str,
        user_id: &str,
    ) -> Result<Option<(Room, Role)>, StorageError> {
        let sql = format!(
            "SELECT {ROOM_COLUMNS}, m.role FROM rooms r JOIN room_members m ON m.room_id = r.id \
             WHERE r.id = $1 AND m.user_id = $2"
        );
        let row = run!(&self.db, pool => sqlx::query_as::<_, RoomWithRole>(&sql).bind(room_id).bind(user_id).fetch_optional(pool).await?);
        Ok(row.map(RoomWithRole::split))
    }

    pub async fn room(&self, room_id: &str) -> Result<Option<Room>, StorageError> {
        let sql = "SELECT id, name, description, time_zone, created_at, updated_at FROM rooms WHERE id = $1";
        Ok(run!(&self.db, pool => sqlx::query_as::<_, Room>(sql).bind(room_id).fetch_optional(pool).await?))
    }

    /// Members, the owner first, then by join time.
    pub async fn members(&self, room_id: &str) -> Result<Vec<Member>, StorageError> {
        let sql = "SELECT m.user_id, u.nickname, u.profile_image_url, m.role, m.joined_at FROM room_members m \
                   JOIN users u ON u.id = m.user_id WHERE m.room_id = $1 \
                   ORDER BY CASE WHEN m.role = 'owner' THEN 0 ELSE 1 END, m.joined_at, m.user_id";
        let rows =
            run!(&self.db, pool => sqlx::query_as::<_, MemberRow>(sql).bind(room_id).fetch_all(pool).await?);
        Ok(rows
            .into_iter()
            .map(|r| Member {
                user_id: r.user_id,
                nickname: r.nickname,
                profile_image_url: r.profile_image_url,
                role: r.role,
                joined_at: r.joined_at,
            })
            .collect())
    }

    pub async fn update_room(
        &self,
        room_id: &str,
        name: &str,
        description: &str,
        now: i64,
    ) -> Result<bool, StorageError> {
        let sql = "UPDATE rooms SET name = $2, description = $3, updated_at = $4 WHERE id = $1";
        let n = run!(&self.db, pool => sqlx::query(sql).bind(room_id).bind(name).bind(description).bind(now)
            .execute(pool).await?.rows_affected());
        Ok(n == 1)
    }

    pub async fn delete_room(&self, room_id: &str) -> Result<bool, StorageError> {
        let n = run!(&self.db, pool => sqlx::query("DELETE FROM rooms WHERE id = $1").bind(room_id).execute(pool).await?.rows_affected());
        Ok(n == 1)
    }

    /// Adds a member; joining twice is a no-op. Returns true when newly added.
    pub async fn add_member(&self, room_id: &str, user_id: &str, now: i64) -> Result<bool, StorageError> {
        let sql = "INSERT INTO room_members (room_id, user_id, role, joined_at) VALUES ($1, $2, 'member', $3) \
                   ON CONFLICT (room_id, user_id) DO NOTHING";
        let n = run!(&self.db, pool => sqlx::query(sql).bind(room_id).bind(user_id).bind(now).execute(pool).await?.rows_affected());
        Ok(n == 1)
    }

    /// The room's invitations that still work at `now`, newest first.
    pub async fn live_invites(&self, room_id: &str, now: i64) -> Result<Vec<Invite>, StorageError> {
        let sql = format!(
            "SELECT {INVITE_COLUMNS} FROM invites WHERE room_id = $1 AND revoked_at IS NULL \
             AND (expires_at IS NULL OR expires_at > $2) ORDER BY created_at DESC, code"
        );
        Ok(
            run!(&self.db, pool => sqlx::query_as::<_, Invite>(&sql).bind(room_id).bind(now).fetch_all(pool).await?),
        )
    }

    /// The newest code `by` made for the room that still works at `now`, leaving out the codes
    /// public share links minted (those live and die with their link): what the invite screen
    /// shows again instead of minting another code on every visit.
    pub async fn current_invite(
        &self,
        room_id: &str,
        by: &str,
        now: i64,
    ) -> Result<Option<Invite>, StorageError> {
        let sql = format!(
            "SELECT {INVITE_COLUMNS} FROM invites i WHERE room_id = $1 AND created_by = $2 AND revoked_at IS NULL \
             AND (expires_at IS NULL OR expires_at > $3) \
             AND NOT EXISTS (SELECT 1 FROM shares s WHERE s.invite_code = i.code) \
             ORDER BY created_at DESC, code LIMIT 1"
        );
        Ok(
            run!(&self.db, pool => sqlx::query_as::<_, Invite>(&sql).bind(room_id).bind(by).bind(now).fetch_optional(pool).await?),
        )
    }

    /// Revokes one of the room's codes; true when it was live.
    pub async fn revoke_invite(&self, room_id: &str, code: &str, now: i64) -> Result<bool, StorageError> {
        let sql =
            "UPDATE invites SET revoked_at = $3 WHERE room_id = $1 AND code = $2 AND revoked_at IS NULL";
        let n = run!(&self.db, pool => sqlx::query(sql).bind(room_id).bind(code).bind(now).execute(pool).await?.rows_affected());
        Ok(n == 1)
    }

    /// The room's owner (every room has exactly one).
    pub async fn room_owner(&self, room_id: &str) -> Result<Option<String>, StorageError> {
        let sql = "SELECT user_id FROM room_members WHERE room_id = $1 AND role = 'owner'";
        let row: Option<(String,)> =
            run!(&self.db, pool => sqlx::query_as(sql).bind(room_id).fetch_optional(pool).await?);
        Ok(row.map(|r| r.0))
    }

    /// Removes a (non-owner) member, who left or was removed; the owner must hand the room over
    /// first. In the same transaction: every code of the room that exists now is barred to them,
    /// their departure is remembered, and the room's feed gets a new secret (so their copy of
    /// the feed URL stops answering).
    pub async fn remove_member(&self, room_id: &str, user_id: &str, now: i64) -> Result<bool, StorageError> {
        let sql = "DELETE FROM room_members WHERE room_id = $1 AND user_id = $2 AND role = 'member'";
        let bar = "INSERT INTO invite_exclusions (code, user_id) SELECT code, $2 FROM invites WHERE room_id = $1 \
                   ON CONFLICT (code, user_id) DO NOTHING";
        let depart = "INSERT INTO room_departures (room_id, user_id, departed_at) VALUES ($1, $2, $3) \
                      ON CONFLICT (room_id, user_id) DO UPDATE SET departed_at = excluded.departed_at";
        let feed = "UPDATE rooms SET feed_token = $2 WHERE id = $1";
        let token = crate::sessions::random_secret()?;
        let n = run!(&self.db, pool => {
            let mut tx = pool.begin().await?;
            let n = sqlx::query(sql).bind(room_id).bind(user_id).execute(&mut *tx).await?.rows_affected();
            if n == 1 {
                sqlx::query(bar).bind(room_id).bind(user_id).execute(&mut *tx).await?;
                sqlx::query(depart).bind(room_id).bind(user_id).bind(now).execute(&mut *tx).await?;
                sqlx::query(feed).bind(room_id).bind(&token).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            n
        });
        Ok(n == 1)
    }

    /// Whether `code` (a live invitation of its room) may make `user_id` a member: anyone who
    /// never left may use any code; someone who left or was removed only an invitation the
    /// room's owner made after that (not one that existed then, nor a public link's).
    pub async fn invite_admits(&self, code: &str, user_id: &str) -> Result<Admission, StorageError> {
        let sql = "SELECT \
                   (SELECT COUNT(*) FROM room_departures d WHERE d.room_id = i.room_id AND d.user_id = $2), \
                   (SELECT COUNT(*) FROM invite_exclusions x WHERE x.code = i.code AND x.user_id = $2), \
                   (SELECT COUNT(*) FROM shares s WHERE s.invite_code = i.code), \
                   (SELECT COUNT(*) FROM room_members m WHERE m.room_id = i.room_id AND m.user_id = i.created_by AND m.role = 'owner') \
                   FROM invites i WHERE i.code = $1";
        let row: Option<(i64, i64, i64, i64)> =
            run!(&self.db, pool => sqlx::query_as(sql).bind(code).bind(user_id).fetch_optional(pool).await?);
        Ok(match row {
            Some((0, 0, _, _)) => Admission::Admit,
            Some((_, 0, 0, 1)) => Admission::Admit,
            _ => Admission::Refuse,
        })
    }

    /// Hands ownership from `from` to the member `to`, in one transaction.
    pub async fn transfer_owner(&self, room_id: &str, from: &str, to: &str) -> Result<bool, StorageError> {
        run!(&self.db, pool => {
            let mut tx = pool.begin().await?;
            let promoted = sqlx::query("UPDATE room_members SET role = 'owner' WHERE room_id = $1 AND user_id = $2 AND role = 'member'")
                .bind(room_id).bind(to).execute(&mut *tx).await?.rows_affected();
            if promoted != 1 {
                tx.rollback().await?;
                return Ok(false);
            }
            let demoted = sqlx::query("UPDATE room_members SET role = 'member' WHERE room_id = $1 AND user_id = $2 AND role = 'owner'")
                .bind(room_id).bind(from).execute(&mut *tx).await?.rows_affected();
            if demoted != 1 {
                tx.rollback().await?;
                return Ok(false);
            }
            tx.commit().await?;
        });
        Ok(true)
    }

    /// Records a new code that works until `expires_at`.
    pub async fn create_invite(
        &self,
        room_id: &str,
        by: &str,
        code: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<Invite, StorageError> {
        let sql = "INSERT INTO invites (code, room_id, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)";
        run!(&self.db, pool => sqlx::query(sql).bind(code).bind(room_id).bind(by).bind(now).bind(expires_at)
            .execute(pool).await?.rows_affected());
        Ok(Invite {
            code: code.to_owned(),
            room_id: room_id.to_owned(),
            created_by: by.to_owned(),
            created_at: now,
            expires_at: Some(expires_at),
        })
    }

    /// Whether `code` was ever a code of a room that still exists (revoked ones included), so
    /// a revoked code is told apart from a mistyped one.
    pub async fn invite_ever_existed(&self, code: &str) -> Result<bool, StorageError> {
        let sql = "SELECT COUNT(*) FROM invites WHERE code = $1";
        let (n,): (i64,) = run!(&self.db, pool => sqlx::query_as(sql).bind(code).fetch_one(pool).await?);
        Ok(n > 0)
    }

    /// An unrevoked invitation by code (codes are compared case-insensitively by storing them
    /// upper-case); whether it has expired is [`Invite::live_at`]'s to say.
    pub async fn invite(&self, code: &str) -> Result<Option<Invite>, StorageError> {
        let sql = format!("SELECT {INVITE_COLUMNS} FROM invites WHERE code = $1 AND revoked_at IS NULL");
        Ok(run!(&self.db, pool => sqlx::query_as::<_, Invite>(&sql).bind(code).fetch_optional(pool).await?))
    }
}
