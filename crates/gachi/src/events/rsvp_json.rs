//! The shape of an event's `rsvp` (counts, the reader's own answer, every answer) and the words
//! made from it. Every event JSON carries it (`rows`), and the RSVP rules (`rsvp`) fill it, so
//! it sits below both.

use serde::Serialize;
use storage::RsvpRow;

use i18n::Lang;

/// The three answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Answer {
    Yes,
    No,
    Maybe,
}

impl Answer {
    pub fn as_str(self) -> &'static str {
        match self {
            Answer::Yes => "yes",
            Answer::No => "no",
            Answer::Maybe => "maybe",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "yes" => Some(Answer::Yes),
            "no" => Some(Answer::No),
            "maybe" => Some(Answer::Maybe),
            _ => None,
        }
    }
}

/// One member's answer as the event JSON lists it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct AnswerJson {
    pub user_id: String,
    pub nickname: String,
    pub answer: String,
}

/// The event JSON's `rsvp`: counts, the caller's own answer, and every answer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RsvpJson {
    pub yes: usize,
    pub no: usize,
    pub maybe: usize,
    pub mine: Option<String>,
    pub answers: Vec<AnswerJson>,
}

impl RsvpJson {
    pub(crate) fn of(rows: &[&RsvpRow], me: &str) -> Self {
        let count = |a: &str| rows.iter().filter(|r| r.answer == a).count();
        RsvpJson {
            yes: count("yes"),
            no: count("no"),
            maybe: count("maybe"),
            mine: rows.iter().find(|r| r.user_id == me).map(|r| r.answer.clone()),
            answers: rows
                .iter()
                .map(|r| AnswerJson {
                    user_id: r.user_id.clone(),
                    nickname: r.nickname.clone(),
                    answer: r.answer.clone(),
                })
                .collect(),
        }
    }

    /// "5명 참석 · 1명 미정" (only the answers given; empty when nobody answered).
    pub fn summary(&self, lang: Lang) -> String {
        [
            ("rsvp-count-yes", self.yes),
            ("rsvp-count-no", self.no),
            ("rsvp-count-maybe", self.maybe),
        ]
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(key, n)| lang.tr(key, &[("n", &n.to_string())]))
        .collect::<Vec<_>>()
        .join(" · ")
    }

    /// The nicknames that gave `answer`, in order.
    pub fn names(&self, answer: Answer) -> Vec<String> {
        self.answers
            .iter()
            .filter(|a| a.answer == answer.as_str())
            .map(|a| a.nickname.clone())
            .collect()
    }
}
