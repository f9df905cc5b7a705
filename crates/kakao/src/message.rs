//! The Message API (§6): send to me (memo) and send to friends, with default or custom templates.
//!
//! Kakao takes at most five receivers per call, so [`Receivers`] can only hold one to five
//! uuids and [`Receivers::chunks`] splits a longer list. Per-receiver failures (a friend who
//! went private, a used-up quota) are results, not errors: [`SendOutcome`] lists them with
//! their codes, and [`ReceiverFailure::kind`] says what to do about each.

use std::collections::BTreeMap;

use crate::client::{KakaoClient, send_raw};
use crate::error::{ErrorKind, KakaoError, kind_of_code};
use crate::secret::AccessToken;
use crate::wire::{FriendsSendResponse, KapiErrorBody, MemoSendResponse, TemplateObject};

/// Kakao's receiver limit per friends-send call.
pub const MAX_RECEIVERS: usize = 5;

/// One to five receiver uuids: a friends send with more is impossible to express.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receivers(Vec<String>);

/// Why a list of uuids cannot be one call's receivers.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReceiversError {
    #[error("a message needs at least one receiver")]
    Empty,
    #[error("Kakao takes at most 5 receivers per call, got {0}")]
    TooMany(usize),
}

impl Receivers {
    /// The receivers of one call; duplicates are dropped (each friend gets the message once).
    pub fn new<I, S>(uuids: I) -> Result<Self, ReceiversError>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut list: Vec<String> = Vec::new();
        for uuid in uuids {
            let uuid = uuid.into();
            if !list.contains(&uuid) {
                list.push(uuid);
            }
        }
        match list.len() {
            0 => Err(ReceiversError::Empty),
            n if n > MAX_RECEIVERS => Err(ReceiversError::TooMany(n)),
            _ => Ok(Self(list)),
        }
    }

    /// Splits any number of uuids into calls of at most five (duplicates dropped, order kept).
    pub fn chunks<I, S>(uuids: I) -> Vec<Receivers>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut unique: Vec<String> = Vec::new();
        for uuid in uuids {
            let uuid = uuid.into();
            if !unique.contains(&uuid) {
                unique.push(uuid);
            }
        }
        unique
            .chunks(MAX_RECEIVERS)
            .map(|chunk| Receivers(chunk.to_vec()))
            .collect()
    }

    pub fn as_slice(&self) -> &[String] {
        &self.0
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always false (a `Receivers` holds at least one uuid); here for clippy's sake.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn to_json(&self) -> String {
        serde_json::to_string(&self.0).unwrap_or_else(|_| "[]".to_owned())
    }
}

/// The receivers of one group of failures, with Kakao's code and message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceiverFailure {
    pub code: i32,
    pub msg: String,
    pub receiver_uuids: Vec<String>,
}

impl ReceiverFailure {
    /// `-502`/`-530`: permanent for these receivers; `-532`, `-533`, `-536`, `-531`, `-10`: quota.
    pub fn kind(&self) -> ErrorKind {
        kind_of_code(400, self.code)
    }
}

/// What one friends send did: who got it, and who did not and why.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SendOutcome {
    pub successful: Vec<String>,
    pub failures: Vec<ReceiverFailure>,
}

impl SendOutcome {
    pub fn all_succeeded(&self) -> bool {
        self.failures.is_empty()
    }

    /// The failure of `uuid`, if it failed.
    pub fn failure_of(&self, uuid: &str) -> Option<&ReceiverFailure> {
        self.failures
            .iter()
            .find(|f| f.receiver_uuids.iter().any(|u| u == uuid))
    }
}

/// A custom template (built in Kakao's console) and its `${key}` arguments.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CustomTemplate {
    pub template_id: i64,
    pub args: BTreeMap<String, String>,
}

impl CustomTemplate {
    fn form(&self) -> Vec<(&'static str, String)> {
        let mut form = vec![("template_id", self.template_id.to_string())];
        if !self.args.is_empty() {
            let args = serde_json::to_string(&self.args).unwrap_or_else(|_| "{}".to_owned());
            form.push(("template_args", args));
        }
        form
    }
}

impl KakaoClient {
    /// `POST /v2/api/talk/memo/default/send`: the card lands in the user's own chat (나와의 채팅).
    pub async fn send_memo(&self, token: &AccessToken, template: &TemplateObject) -> Result<(), KakaoError> {
        let form = vec![("template_object", template.to_json())];
        self.memo("v2/api/talk/memo/default/send", token, form).await
    }

    /// `POST /v2/api/talk/memo/send` with a custom template.
    pub async fn send_memo_custom(
        &self,
        token: &AccessToken,
        template: &CustomTemplate,
    ) -> Result<(), KakaoError> {
        self.memo("v2/api/talk/memo/send", token, template.form()).await
    }

    async fn memo(
        &self,
        path: &str,
        token: &AccessToken,
        form: Vec<(&'static str, String)>,
    ) -> Result<(), KakaoError> {
        let req = self
            .http_client()
            .post(self.api(path)?)
            .bearer_auth(token.expose())
            .form(&form);
        let resp: MemoSendResponse = self.kapi_json(req).await?;
        if resp.result_code == 0 {
            Ok(())
        } else {
            Err(KakaoError::Unexpected {
                status: 200,
                detail: format!("result_code {}", resp.result_code),
            })
        }
    }

    /// `POST /v1/api/talk/friends/message/default/send` to one to five friends.
    ///
    /// Per-receiver failures come back in [`SendOutcome::failures`]. When every receiver fails,
    /// Kakao answers with an error body naming the first failure; that too becomes an outcome
    /// (with every receiver failed under that code), so callers handle one shape. Errors that
    /// reject the whole call (`-402`, `-2`, tokens, transport) stay errors.
    pub async fn send_to_friends(
        &self,
        token: &AccessToken,
        receivers: &Receivers,
        template: &TemplateObject,
    ) -> Result<SendOutcome, KakaoError> {
        let form = vec![
            ("receiver_uuids", receivers.to_json()),
            ("template_object", template.to_json()),
        ];
        self.friends_send("v1/api/talk/friends/message/default/send", token, receivers, form)
            .await
    }

    /// `POST /v1/api/talk/friends/message/send` with a custom template.
    pub async fn send_to_friends_custom(
        &self,
        token: &AccessToken,
        receivers: &Receivers,
        template: &CustomTemplate,
    ) -> Result<SendOutcome, KakaoError> {
        let mut form = vec![("receiver_uuids", receivers.to_json())];
        form.extend(template.form());
        self.friends_send("v1/api/talk/friends/message/send", token, receivers, form)
            .await
    }

    async fn friends_send(
        &self,
        path: &str,
        token: &AccessToken,
        receivers: &Receivers,
        form: Vec<(&'static str, String)>,
    ) -> Result<SendOutcome, KakaoError> {
        let req = self
            .http_client()
            .post(self.api(path)?)
            .bearer_auth(token.expose())
            .form(&form);
        // Every receiver failing is an answer, not an error, but worth telling apart in metrics.
        let all_failed = |o: &SendOutcome| {
            o.successful
                .is_empty()
                .then(|| o.failures.first().map(|f| f.code.to_string()))
                .flatten()
        };
        self.observed(req, all_failed, |req| friends_answer(req, receivers))
            .await
    }
}

/// Sends a friends message and reads Kakao's answer (per-receiver failures are results).
async fn friends_answer(
    req: reqwest::RequestBuilder,
    receivers: &Receivers,
) -> Result<SendOutcome, KakaoError> {
    let (status, body) = send_raw(req).await?;
    if (200..300).contains(&status) {
        let resp: FriendsSendResponse =
            serde_json::from_slice(&body).map_err(|e| KakaoError::Unexpected {
                status,
                detail: format!("body does not match the expected shape: {e}"),
            })?;
        return Ok(SendOutcome {
            successful: resp.successful_receiver_uuids.unwrap_or_default(),
            failures: resp
                .failure_info
                .unwrap_or_default()
                .into_iter()
                .map(|f| ReceiverFailure {
                    code: f.code,
                    msg: f.msg,
                    receiver_uuids: f.receiver_uuids,
                })
                .collect(),
        });
    }
    let err: KapiErrorBody = match serde_json::from_slice(&body) {
        Ok(err) => err,
        Err(_) => return Err(crate::client::unexpected(status, &body)),
    };
    match err.receiver_uuids.as_ref().filter(|u| !u.is_empty()) {
        // Every receiver failed; Kakao names only the first failure's receivers.
        Some(named) if is_per_receiver(err.code) => {
            let mut uuids = named.clone();
            for uuid in receivers.as_slice() {
                if !uuids.contains(uuid) {
                    uuids.push(uuid.clone());
                }
            }
            Ok(SendOutcome {
                successful: Vec::new(),
                failures: vec![ReceiverFailure {
                    code: err.code,
                    msg: err.msg,
                    receiver_uuids: uuids,
                }],
            })
        }
        _ => Err(KakaoError::from_kapi(status, err)),
    }
}

/// Codes Kakao reports per receiver (so an all-fail body is still a per-receiver result).
fn is_per_receiver(code: i32) -> bool {
    matches!(code, -10 | -502 | -504 | -530 | -531 | -532 | -533 | -536)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receivers_hold_one_to_five() {
        assert_eq!(Receivers::new(Vec::<String>::new()), Err(ReceiversError::Empty));
        assert_eq!(
            Receivers::new(["a", "b", "c", "d", "e", "f"]),
            Err(ReceiversError::TooMany(6))
        );
        assert_eq!(Receivers::new(["a", "a", "b"]).unwrap().len(), 2);
        let chunks = Receivers::chunks((0..12).map(|i| format!("u{i}")));
        assert_eq!(chunks.iter().map(Receivers::len).collect::<Vec<_>>(), [5, 5, 2]);
        assert!(Receivers::chunks(Vec::<String>::new()).is_empty());
    }

    #[test]
    fn failure_kinds_follow_codes() {
        let f = |code| ReceiverFailure {
            code,
            msg: String::new(),
            receiver_uuids: vec![],
        };
        assert_eq!(f(-536).kind(), ErrorKind::Quota);
        assert_eq!(f(-532).kind(), ErrorKind::Quota);
        assert_eq!(f(-530).kind(), ErrorKind::Permanent);
        assert_eq!(f(-502).kind(), ErrorKind::Permanent);
    }
}
