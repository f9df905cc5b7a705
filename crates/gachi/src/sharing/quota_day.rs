//! The KST day Kakao's daily quotas count in, and when the next one starts: shared by the share
//! outbox and the reminders' outbox (both defer to the next KST midnight when over quota), so it
//! lives below both.

use jiff::Timestamp;

/// The next KST midnight, when Kakao's daily quotas reset.
pub fn next_kst_day(now_ms: i64) -> i64 {
    let Ok(tz) = jiff::tz::TimeZone::get("Asia/Seoul") else {
        return now_ms + 86_400_000;
    };
    let now = Timestamp::from_millisecond(now_ms).unwrap_or(Timestamp::UNIX_EPOCH);
    let tomorrow = now.to_zoned_datetime(tz.clone()).date().tomorrow();
    tomorrow
        .ok()
        .and_then(|d| d.to_zoned_datetime(tz).ok())
        .map(|z| z.timestamp().as_millisecond())
        .unwrap_or(now_ms + 86_400_000)
}

/// The KST civil date of an instant (`YYYY-MM-DD`): the quota day Gachi counts in.
pub fn kst_day(now_ms: i64) -> String {
    let now = Timestamp::from_millisecond(now_ms).unwrap_or(Timestamp::UNIX_EPOCH);
    let tz = jiff::tz::TimeZone::get("Asia/Seoul")
        .unwrap_or_else(|_| jiff::tz::TimeZone::fixed(jiff::tz::offset(9)));
    now.to_zoned_datetime(tz).date().to_string()
}
