//! The Talk Calendar outbox's state machine on every backend: edits queue work in their own
//! transaction, quick edits coalesce into one job, an edit during a claim puts the job back in
//! line, a second worker never holds a held job, lapsed claims come back, parking shows the
//! reason on the copy, the member's own push settles covered work, and a deletion wins.

use storage::{CalendarAction, EventData, JobEnd, Store, TokenCipher, run, testing};

const WORKER: &str = "worker-a";
const OTHER: &str = "worker-b";

fn data(title: &str) -> EventData {
    EventData {
        title: title.into(),
        all_day: false,
        starts_at: Some(1_798_106_400_000),
        ends_at: Some(1_798_113_600_000),
        start_date: None,
        end_date: None,
        time_zone: "Asia/Seoul".into(),
        location: String::new(),
        memo: String::new(),
        span_start: 1_798_106_400_000,
        span_end: 1_798_113_600_000,
        rrule: None,
    }
}

/// `(status, action, sequence, reason)` of every job, by user.
async fn jobs(store: &Store) -> Vec<(String, String, i64, Option<String>)> {
    let sql = "SELECT status, action, sequence, reason FROM talk_calendar_jobs ORDER BY user_id";
    run!(store.db(), pool => sqlx::query_as(sql).fetch_all(pool).await.unwrap())
}

async fn story(url: &str) {
    let store = Store::open(url, TokenCipher::new(&[5u8; 32]).unwrap())
        .await
        .unwrap();
    let t = 1_767_225_600_000i64;
    let (minji, _) = store.upsert_kakao_user(1, "민지", None, t).await.unwrap();
    let (seojun, _) = store.upsert_kakao_user(2, "서준", None, t).await.unwrap();
    let room = store
        .create_room(&minji.id, "방", "", "Asia/Seoul", t)
        .await
        .unwrap();
    let event = store
        .create_event(&room.id, &minji.id, &data("v0"), t)
        .await
        .unwrap();

    // Only copies Kakao knows get work; a copy still waiting on consent does not.
    store
        .put_talk_calendar_link(&minji.id, &event.id, &room.id, "kakao-1", 0, t)
        .await
        .unwrap();
    store
        .put_talk_calendar_intent(&seojun.id, &event.id, &room.id, t)
        .await
        .unwrap();
    assert!(jobs(&store).await.is_empty(), "creating queues nothing");

    // Three quick edits: one job, at the latest sequence.
    for (i, title) in ["v1", "v2", "v3"].into_iter().enumerate() {
        store
            .update_event(&room.id, &event.id, &data(title), t + 1 + i as i64)
            .await
            .unwrap();
    }
    assert_eq!(jobs(&store).await, [("queued".into(), "update".into(), 3, None)]);

    // Claimed by one worker; the other finds nothing, and cannot record anything.
    let claimed = store
        .claim_talk_calendar_jobs(t + 10, t + 1_000, WORKER, 5)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(
        (claimed[0].action, claimed[0].sequence, claimed[0].attempts),
        (CalendarAction::Update, 3, 1)
    );
    assert!(
        store
            .claim_talk_calendar_jobs(t + 10, t + 1_000, OTHER, 5)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store
            .finish_talk_calendar_job(&minji.id, &event.id, OTHER, 3, t + 11)
            .await
            .unwrap(),
        JobEnd::Lost
    );
    assert!(
        !store
            .extend_talk_calendar_job(&minji.id, &event.id, OTHER, t + 2_000, t + 11)
            .await
            .unwrap()
    );

    // An edit during the call: the holder's finish puts the job back, due at once.
    store
        .update_event(&room.id, &event.id, &data("v4"), t + 12)
        .await
        .unwrap();
    assert_eq!(jobs(&store).await[0].0, "claimed", "the holder keeps it");
    assert_eq!(
        store
            .finish_talk_calendar_job(&minji.id, &event.id, WORKER, 3, t + 13)
            .await
            .unwrap(),
        JobEnd::Again
    );
    let link = store
        .talk_calendar_link(&minji.id, &event.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(link.synced_sequence, 3, "what Kakao has is recorded");
    let again = store
        .claim_talk_calendar_jobs(t + 13, t + 1_000, WORKER, 5)
        .await
        .unwrap();
    assert_eq!((again[0].sequence, again[0].attempts), (4, 1));
    assert_eq!(
        store
            .finish_talk_calendar_job(&minji.id, &event.id, WORKER, 4, t + 14)
            .await
            .unwrap(),
        JobEnd::Done
    );
    assert!(jobs(&store).await.is_empty(), "done work leaves the table");

    // A claim whose holder died goes back in line once its lease runs out.
    store
        .update_event(&room.id, &event.id, &data("v5"), t + 20)
        .await
        .unwrap();
    store
        .claim_talk_calendar_jobs(t + 20, t + 100, WORKER, 5)
        .await
        .unwrap();
    assert_eq!(store.expire_talk_calendar_leases(t + 100).await.unwrap(), 0);
    assert_eq!(store.expire_talk_calendar_leases(t + 101).await.unwrap(), 1);
    let taken_over = store
        .claim_talk_calendar_jobs(t + 101, t + 1_000, OTHER, 5)
        .await
        .unwrap();
    assert_eq!((taken_over[0].sequence, taken_over[0].attempts), (5, 2));

    // A retry waits for its time; a lasting refusal parks it and the copy says why.
    assert!(
        store
            .retry_talk_calendar_job(&minji.id, &event.id, OTHER, "unavailable", t + 500, t + 102)
            .await
            .unwrap()
    );
    assert!(
        store
            .claim_talk_calendar_jobs(t + 499, t + 1_000, WORKER, 5)
            .await
            .unwrap()
            .is_empty()
    );
    store
        .claim_talk_calendar_jobs(t + 500, t + 1_000, WORKER, 5)
        .await
        .unwrap();
    assert!(
        store
            .park_talk_calendar_job(&minji.id, &event.id, WORKER, "consent", t + 501)
            .await
            .unwrap()
    );
    assert_eq!(
        jobs(&store).await,
        [("parked".into(), "update".into(), 5, Some("consent".into()))]
    );
    let link = store
        .talk_calendar_link(&minji.id, &event.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(link.last_error.as_deref(), Some("consent"));
    assert!(
        store
            .claim_talk_calendar_jobs(t + 10_000, t + 20_000, WORKER, 5)
            .await
            .unwrap()
            .is_empty(),
        "parked work waits"
    );

    // The member's own add pushed version 5: the parked work it covers goes.
    store
        .put_talk_calendar_link(&minji.id, &event.id, &room.id, "kakao-1", 5, t + 600)
        .await
        .unwrap();
    assert!(jobs(&store).await.is_empty());

    // Parked work comes back when the member's Talk Calendar works again.
    store
        .update_event(&room.id, &event.id, &data("v6"), t + 700)
        .await
        .unwrap();
    store
        .claim_talk_calendar_jobs(t + 700, t + 1_000, WORKER, 5)
        .await
        .unwrap();
    store
        .park_talk_calendar_job(&minji.id, &event.id, WORKER, "consent", t + 701)
        .await
        .unwrap();
    assert_eq!(
        store
            .requeue_parked_talk_calendar_jobs(&minji.id, t + 702)
            .await
            .unwrap(),
        1
    );
    assert_eq!(jobs(&store).await[0].0, "queued");

    // Deleting the event turns the waiting update into a deletion and forgets waiting adds.
    assert!(store.delete_event(&room.id, &event.id, t + 800).await.unwrap());
    assert_eq!(jobs(&store).await, [("queued".into(), "delete".into(), 7, None)]);
    assert!(
        store
            .talk_calendar_link(&seojun.id, &event.id)
            .await
            .unwrap()
            .is_none(),
        "a waiting add has nothing left to add"
    );
    let deletion = store
        .claim_talk_calendar_jobs(t + 800, t + 1_000, WORKER, 5)
        .await
        .unwrap();
    assert_eq!(deletion[0].action, CalendarAction::Delete);
    assert!(
        !store
            .drop_talk_calendar_copy(&minji.id, &event.id, OTHER)
            .await
            .unwrap(),
        "only the holder drops the copy"
    );
    assert!(
        store
            .drop_talk_calendar_copy(&minji.id, &event.id, WORKER)
            .await
            .unwrap()
    );
    assert!(
        store
            .talk_calendar_link(&minji.id, &event.id)
            .await
            .unwrap()
            .is_none()
    );
    assert!(jobs(&store).await.is_empty(), "the job goes with its copy");
    store.db().close().await;
}

#[tokio::test]
async fn talk_calendar_work_coalesces_and_is_held_by_one_worker_on_every_backend() {
    for url in testing::fresh_urls().await.unwrap() {
        story(&url).await;
    }
}
