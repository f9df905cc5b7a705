//! Shares, the pure part: what is shared (layout), how (channel), where each receiver stands
//! (recipient status) and what the owner is shown for it: the shown status, whether it may be
//! resent, which explanation it gets, and the share's overall status.
//!
//! These rules used to be string matches spread over the web app; here they are total functions
//! over closed enums, so a new status is a compile error wherever it needs a decision.

use serde::{Deserialize, Serialize};
use strum::{Display, EnumIter, EnumString, IntoStaticStr};

use crate::spelling::spelled;

/// How a share reaches people.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    Display,
    EnumString,
    IntoStaticStr,
    EnumIter,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Channel {
    /// KakaoTalk friends, through the Message API (one outbox row per friend).
    Friends,
    /// "To me": a KakaoTalk memo to the sharer.
    Memo,
    /// The sharer's own Talk Share picker in the browser: nothing for the outbox.
    TalkShare,
    /// Only the public link (the page's "copy link").
    Link,
}
spelled!(Channel, "share channel");

impl Channel {
    /// Whether the outbox sends this share's messages (the other channels have no receivers).
    pub fn has_receivers(self) -> bool {
        matches!(self, Channel::Friends | Channel::Memo)
    }
}

/// Which schedule picture.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    Display,
    EnumString,
    IntoStaticStr,
    EnumIter,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Layout {
    /// One event.
    Card,
    Week,
    Month,
}
spelled!(Layout, "share layout");

/// Where one receiver's message stands in the outbox.
///
/// ```text
/// queued|deferred --claim--> claimed --start--> sending --finish--> sent|failed|unknown|queued|deferred|needs_consent
/// ```
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    Display,
    EnumString,
    IntoStaticStr,
    EnumIter,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum RecipientStatus {
    /// Waiting for a worker.
    Queued,
    /// Held by a worker, no Kakao call started yet (shown as `queued`).
    Claimed,
    /// In a Kakao call.
    Sending,
    Sent,
    Failed,
    /// A call whose answer was lost: it may have been delivered.
    Unknown,
    /// Over a quota; goes out by itself when the quota day turns.
    Deferred,
    /// The sharer's Kakao consent is missing; waits for it.
    NeedsConsent,
}
spelled!(RecipientStatus, "recipient status");

/// A share's overall state, from its receivers.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    Display,
    EnumString,
    IntoStaticStr,
    EnumIter,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ShareStatus {
    /// A Talk Share or link share: nothing for Gachi to send.
    Created,
    Sending,
    Deferred,
    NeedsConsent,
    Sent,
    /// Nothing left to do, though not everything was sent.
    Done,
}
spelled!(ShareStatus, "share status");

/// Reasons Gachi itself writes on a receiver (the others are Kakao's error codes or, for
/// `needs_consent`, the missing scopes).
pub mod reason {
    /// The owner cancelled what had not gone.
    pub const CANCELED: &str = "canceled";
    /// Transient failures until the attempts ran out.
    pub const GAVE_UP: &str = "gave_up";
    /// The card's picture could not be drawn (data the renderer refuses).
    pub const IMAGE_FAILED: &str = "image_failed";
    /// The worker's lease ran out during the call (the receiver is `unknown`).
    pub const LEASE_EXPIRED: &str = "lease_expired";
    /// Deferred by Gachi's own count of Kakao's daily quotas, one reason per counter.
    pub const QUOTA_APP_DAY: &str = "quota_app_day";
    pub const QUOTA_SENDER_DAY: &str = "quota_sender_day";
    pub const QUOTA_RECEIVER_DAY: &str = "quota_receiver_day";
    pub const QUOTA_PAIR_DAY: &str = "quota_pair_day";
    /// What every quota reason starts with, also those of a newer version.
    pub const QUOTA_PREFIX: &str = "quota_";
}

/// Why a receiver stands where it does, as the owner is told (see
/// [`RecipientStatus::explanation`]); the web app words each one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter)]
pub enum Explanation {
    /// Deferred by Gachi's count of the app's daily quota.
    QuotaAppDay,
    QuotaSenderDay,
    QuotaReceiverDay,
    QuotaPairDay,
    /// Deferred because Kakao itself refused for a quota.
    KakaoQuota,
    /// `unknown`: the call's answer was lost.
    AnswerLost,
    NeedsConsent,
    Canceled,
    GaveUp,
    ImageFailed,
    /// Any other failure (Kakao's code is the reason).
    Failed,
}

impl RecipientStatus {
    /// The statuses people see, in the order the share page lists them.
    pub const SHOWN: [RecipientStatus; 7] = [
        RecipientStatus::Queued,
        RecipientStatus::Sending,
        RecipientStatus::Sent,
        RecipientStatus::Failed,
        RecipientStatus::Unknown,
        RecipientStatus::Deferred,
        RecipientStatus::NeedsConsent,
    ];

    /// The status people see: `claimed` (a worker holds the receiver, no Kakao call started
    /// yet) is still `queued` to them.
    pub fn shown(self) -> RecipientStatus {
        match self {
            RecipientStatus::Claimed => RecipientStatus::Queued,
            s => s,
        }
    }

    /// Whether the owner may resend to this receiver: only `unknown` and `failed` ones (an
    /// `unknown` one might then get the card twice, which the owner accepts by asking).
    pub fn resendable(self) -> bool {
        matches!(self, RecipientStatus::Unknown | RecipientStatus::Failed)
    }

    /// Which explanation a receiver gets, from its status and reason; None when nothing needs
    /// explaining, and for a quota reason this version does not know by name (nothing
    /// sensible to say about it).
    pub fn explanation(self, reason: Option<&str>) -> Option<Explanation> {
        use Explanation as E;
        let reason = reason.unwrap_or("");
        Some(match self {
            RecipientStatus::Deferred => match reason {
                reason::QUOTA_APP_DAY => E::QuotaAppDay,
                reason::QUOTA_SENDER_DAY => E::QuotaSenderDay,
                reason::QUOTA_RECEIVER_DAY => E::QuotaReceiverDay,
                reason::QUOTA_PAIR_DAY => E::QuotaPairDay,
                r if r.starts_with(reason::QUOTA_PREFIX) => return None,
                _ => E::KakaoQuota,
            },
            RecipientStatus::Unknown => E::AnswerLost,
            RecipientStatus::NeedsConsent => E::NeedsConsent,
            RecipientStatus::Failed => match reason {
                reason::CANCELED => E::Canceled,
                reason::GAVE_UP => E::GaveUp,
                reason::IMAGE_FAILED => E::ImageFailed,
                _ => E::Failed,
            },
            RecipientStatus::Queued
            | RecipientStatus::Claimed
            | RecipientStatus::Sending
            | RecipientStatus::Sent => return None,
        })
    }
}

/// The share's overall state from its receivers' statuses: still sending while any waits or is
/// in a call, then deferred, then waiting for consent; `sent` only when every one was.
pub fn overall_status(channel: Channel, statuses: &[RecipientStatus]) -> ShareStatus {
    use RecipientStatus as R;
    let any = |s: R| statuses.contains(&s);
    if statuses.is_empty() {
        return if channel.has_receivers() {
            ShareStatus::Done
        } else {
            ShareStatus::Created
        };
    }
    if any(R::Queued) || any(R::Claimed) || any(R::Sending) {
        ShareStatus::Sending
    } else if any(R::Deferred) {
        ShareStatus::Deferred
    } else if any(R::NeedsConsent) {
        ShareStatus::NeedsConsent
    } else if statuses.iter().all(|&s| s == R::Sent) {
        ShareStatus::Sent
    } else {
        ShareStatus::Done
    }
}

#[cfg(test)]
mod tests {
    use strum::IntoEnumIterator;

    use super::*;
    use crate::spelling::tests::round_trips;

    #[test]
    fn names_round_trip_as_stored() {
        round_trips(
            &["friends", "memo", "talk_share", "link"],
            "share channel",
            Channel::as_str,
        );
        round_trips(&["card", "week", "month"], "share layout", Layout::as_str);
        round_trips(
            &[
                "queued",
                "claimed",
                "sending",
                "sent",
                "failed",
                "unknown",
                "deferred",
                "needs_consent",
            ],
            "recipient status",
            RecipientStatus::as_str,
        );
        round_trips(
            &["created", "sending", "deferred", "needs_consent", "sent", "done"],
            "share status",
            ShareStatus::as_str,
        );
    }

    #[test]
    fn text_compares_with_the_stored_spelling() {
        assert!(RecipientStatus::NeedsConsent == "needs_consent");
        assert!(Channel::TalkShare != "talk-share");
    }

    #[test]
    fn shown_status_hides_only_claims() {
        for s in RecipientStatus::iter() {
            let expected = if s == RecipientStatus::Claimed {
                RecipientStatus::Queued
            } else {
                s
            };
            assert_eq!(s.shown(), expected, "{s}");
            assert!(RecipientStatus::SHOWN.contains(&s.shown()));
        }
        assert!(!RecipientStatus::SHOWN.contains(&RecipientStatus::Claimed));
    }

    #[test]
    fn only_unknown_and_failed_are_resendable() {
        let resendable: Vec<_> = RecipientStatus::iter().filter(|s| s.resendable()).collect();
        assert_eq!(resendable, [RecipientStatus::Failed, RecipientStatus::Unknown]);
    }

    #[test]
    fn explanations_cover_every_status() {
        use Explanation as E;
        use RecipientStatus as R;
        let cases: [(R, Option<&str>, Option<E>); 22] = [
            (R::Queued, None, None),
            (R::Queued, Some("x"), None),
            (R::Claimed, None, None),
            (R::Sending, None, None),
            (R::Sent, Some("ok"), None),
            (R::Deferred, Some("quota_app_day"), Some(E::QuotaAppDay)),
            (R::Deferred, Some("quota_sender_day"), Some(E::QuotaSenderDay)),
            (R::Deferred, Some("quota_receiver_day"), Some(E::QuotaReceiverDay)),
            (R::Deferred, Some("quota_pair_day"), Some(E::QuotaPairDay)),
            (R::Deferred, Some("quota_hourly"), None),
            (R::Deferred, Some("-10"), Some(E::KakaoQuota)),
            (R::Deferred, None, Some(E::KakaoQuota)),
            (R::Unknown, Some("lease_expired"), Some(E::AnswerLost)),
            (R::Unknown, None, Some(E::AnswerLost)),
            (R::NeedsConsent, Some("talk_message"), Some(E::NeedsConsent)),
            (R::NeedsConsent, None, Some(E::NeedsConsent)),
            (R::Failed, Some("canceled"), Some(E::Canceled)),
            (R::Failed, Some("gave_up"), Some(E::GaveUp)),
            (R::Failed, Some("image_failed"), Some(E::ImageFailed)),
            (R::Failed, Some("quota_app_day"), Some(E::Failed)),
            (R::Failed, Some("-402"), Some(E::Failed)),
            (R::Failed, None, Some(E::Failed)),
        ];
        for (status, reason, expected) in cases {
            assert_eq!(status.explanation(reason), expected, "{status} {reason:?}");
        }
        // Every status and every explanation is covered above.
        for s in R::iter() {
            assert!(cases.iter().any(|c| c.0 == s), "{s}");
        }
        for e in E::iter() {
            assert!(cases.iter().any(|c| c.2 == Some(e)), "{e:?}");
        }
    }

    #[test]
    fn a_share_without_receivers_is_created_or_done_by_channel() {
        for channel in Channel::iter() {
            let expected = match channel {
                Channel::TalkShare | Channel::Link => ShareStatus::Created,
                Channel::Friends | Channel::Memo => ShareStatus::Done,
            };
            assert_eq!(overall_status(channel, &[]), expected, "{channel}");
        }
    }

    #[test]
    fn overall_status_of_every_pair_of_receivers() {
        use RecipientStatus as R;
        // The rank of each status in the precedence sending > deferred > needs_consent > rest.
        fn rank(s: R) -> u8 {
            match s {
                R::Queued | R::Claimed | R::Sending => 0,
                R::Deferred => 1,
                R::NeedsConsent => 2,
                R::Sent | R::Failed | R::Unknown => 3,
            }
        }
        for a in R::iter() {
            assert_eq!(
                overall_status(Channel::Memo, &[a]),
                match a {
                    R::Queued | R::Claimed | R::Sending => ShareStatus::Sending,
                    R::Deferred => ShareStatus::Deferred,
                    R::NeedsConsent => ShareStatus::NeedsConsent,
                    R::Sent => ShareStatus::Sent,
                    R::Failed | R::Unknown => ShareStatus::Done,
                },
                "{a}"
            );
            for b in R::iter() {
                let first = if rank(a) <= rank(b) { a } else { b };
                let expected = match (rank(first), a, b) {
                    (0, ..) => ShareStatus::Sending,
                    (1, ..) => ShareStatus::Deferred,
                    (2, ..) => ShareStatus::NeedsConsent,
                    (_, R::Sent, R::Sent) => ShareStatus::Sent,
                    _ => ShareStatus::Done,
                };
                for channel in Channel::iter() {
                    assert_eq!(overall_status(channel, &[a, b]), expected, "{channel} {a} {b}");
                }
            }
        }
    }
}
