//! Typed domain state through the database, on every backend: every share channel, layout and
//! recipient status, room role and poll kind is written and read back as its enum (the stored
//! spelling is the one the migrations' rows always had), and a value no enum knows comes back as
//! a decode error naming the set, never as a panic or a silent default.

use domain::UnknownValue;
use domain::poll::PollKind;
use domain::room::Role;
use domain::share::{Channel, Layout, RecipientStatus};
use storage::{NewPoll, NewRecipient, NewShare, StorageError, Store, TokenCipher, run, testing};
use strum::IntoEnumIterator;

/// The set named by the decode error `result` carries, and the value it refused.
fn refused<T: std::fmt::Debug>(result: Result<T, StorageError>) -> (&'static str, String) {
    match result {
        Err(StorageError::Db(sqlx::Error::ColumnDecode { source, .. })) => {
            let unknown = source
                .downcast_ref::<UnknownValue>()
                .unwrap_or_else(|| panic!("not an UnknownValue: {source}"));
            (unknown.what, unknown.value.clone())
        }
        other => panic!("expected a typed decode error, got {other:?}"),
    }
}

async fn exec(store: &Store, sql: &str) {
    run!(store.db(), pool => sqlx::query(sql).execute(pool).await.unwrap().rows_affected());
}

async fn story(url: &str) {
    let store = Store::open(url, TokenCipher::new(&[7u8; 32]).unwrap())
        .await
        .unwrap();
    let t = 1_767_225_600_000i64;
    let (minji, _) = store.upsert_kakao_user(1, "민지", None, t).await.unwrap();
    let (seojun, _) = store.upsert_kakao_user(2, "서준", None, t).await.unwrap();
    let room = store
        .create_room(&minji.id, "방", "", "Asia/Seoul", t)
        .await
        .unwrap();
    assert!(store.add_member(&room.id, &seojun.id, t).await.unwrap());
    let roles: Vec<Role> = store
        .members(&room.id)
        .await
        .unwrap()
        .iter()
        .map(|m| m.role)
        .collect();
    assert_eq!(roles, [Role::Owner, Role::Member]);

    // Every channel and layout round-trips through a share row.
    let mut shares = Vec::new();
    for channel in Channel::iter() {
        for layout in Layout::iter() {
            let made = store
                .create_share(
                    &NewShare {
                        room_id: room.id.clone(),
                        owner_id: minji.id.clone(),
                        layout,
                        event_id: None,
                        date: None,
                        channel,
                        lang: "ko".into(),
                    },
                    &[NewRecipient {
                        uuid: "u1".into(),
                        nickname: "n".into(),
                    }],
                    t,
                )
                .await
                .unwrap();
            assert_eq!((made.channel, made.layout), (channel, layout));
            let read = store.share(&made.id).await.unwrap().unwrap();
            assert_eq!((read.channel, read.layout), (channel, layout));
            shares.push(made.id);
        }
    }

    // Every status a worker records is read back as that status.
    let share_id = &shares[0];
    for status in RecipientStatus::iter() {
        assert_eq!(
            store
                .claim_recipients(share_id, t + 1, t + 1000, "w", 1)
                .await
                .unwrap()
                .len(),
            1,
            "{status}"
        );
        let rows = store.recipients(share_id).await.unwrap();
        assert_eq!(rows[0].status, RecipientStatus::Claimed);
        // `queued` and `deferred` rows are claimable again on the next turn; the rest are
        // put back by hand so the loop can claim them.
        assert!(
            store
                .finish_recipient(share_id, "u1", "w", status, Some("r"), t, t, None)
                .await
                .unwrap()
        );
        assert_eq!(store.recipients(share_id).await.unwrap()[0].status, status);
        exec(
            &store,
            &format!("UPDATE share_recipients SET status = 'queued', lease_owner = NULL WHERE share_id = '{share_id}'"),
        )
        .await;
    }

    // The statuses the outbox's own SQL writes decode too.
    assert_eq!(store.cancel_recipients(share_id, t).await.unwrap(), 1);
    assert_eq!(
        store.recipients(share_id).await.unwrap()[0].status,
        RecipientStatus::Failed
    );
    assert_eq!(
        store
            .requeue_recipients(share_id, &["u1".into()], t)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        store.recipients(share_id).await.unwrap()[0].status,
        RecipientStatus::Queued
    );

    // Poll kinds round-trip.
    for kind in PollKind::iter() {
        let poll = store
            .create_poll(
                &room.id,
                &minji.id,
                &NewPoll {
                    title: "언제?".into(),
                    location: String::new(),
                    kind,
                    time_zone: "Asia/Seoul".into(),
                    dates: vec!["2026-12-24".into()],
                    start_minute: 18 * 60,
                    end_minute: 20 * 60,
                    deadline_at: None,
                },
                t,
            )
            .await
            .unwrap();
        assert_eq!(poll.kind, kind);
        assert_eq!(store.poll(&room.id, &poll.id).await.unwrap().unwrap().kind, kind);
    }

    // Values written by something else are refused with the set they were meant for.
    exec(
        &store,
        &format!("UPDATE shares SET channel = 'pigeon' WHERE id = '{}'", shares[1]),
    )
    .await;
    assert_eq!(
        refused(store.share(&shares[1]).await),
        ("share channel", "pigeon".into())
    );
    exec(
        &store,
        &format!("UPDATE shares SET layout = 'Poster' WHERE id = '{}'", shares[2]),
    )
    .await;
    assert_eq!(
        refused(store.share(&shares[2]).await),
        ("share layout", "Poster".into())
    );
    exec(
        &store,
        &format!("UPDATE share_recipients SET status = 'lost' WHERE share_id = '{share_id}'"),
    )
    .await;
    assert_eq!(
        refused(store.recipients(share_id).await),
        ("recipient status", "lost".into())
    );
    exec(&store, "UPDATE polls SET kind = 'ranked'").await;
    assert_eq!(
        refused(store.polls(&room.id).await),
        ("poll kind", "ranked".into())
    );
    exec(
        &store,
        &format!(
            "UPDATE room_members SET role = 'admin' WHERE user_id = '{}'",
            seojun.id
        ),
    )
    .await;
    assert_eq!(
        refused(store.members(&room.id).await),
        ("room role", "admin".into())
    );
    assert_eq!(
        refused(store.room_for_member(&room.id, &seojun.id).await),
        ("room role", "admin".into())
    );
    store.db().close().await;
}

#[tokio::test]
async fn typed_state_round_trips_on_every_backend() {
    for url in testing::fresh_urls().await.unwrap() {
        story(&url).await;
    }
}
