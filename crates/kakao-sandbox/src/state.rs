//! The sandbox's memory: users, their links to the app, codes, tokens and browser sessions.
//!
//! Everything lives behind one mutex and is lost when the process ends, as DESIGN.md asks
//! (tokens do not survive a restart; the demo seed is rebuilt identically).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jiff::Timestamp;
use serde::Serialize;

use crate::app::App;

/// A Kakao account as the sandbox models it.
#[derive(Clone, Debug, Serialize)]
pub struct User {
    pub id: i64,
    /// App-scoped message-receiver id.
    pub uuid: String,
    pub nickname: String,
    pub profile_image_url: String,
    pub thumbnail_image_url: String,
    pub email: Option<String>,
    /// Has KakaoTalk (friends and messages need it).
    pub talk_user: bool,
    /// KakaoTalk profile visibility; private profiles vanish from friend lists.
    pub profile_public: bool,
    /// KakaoTalk friends (mutual).
    pub friends: BTreeSet<i64>,
    /// Friends this user has starred.
    pub favorites: BTreeSet<i64>,
    /// Friends this user has hidden (숨김) or blocked (차단).
    pub hidden: BTreeSet<i64>,
    pub blocked: BTreeSet<i64>,
    /// The link to the app, while linked.
    pub link: Option<Link>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Link {
    pub linked_at: Timestamp,
    pub agreed: BTreeSet<String>,
    /// A personal-info API succeeded since linking (cancels the 24-hour auto-unlink).
    pub signup_complete: bool,
    /// When each scope was agreed, for Kakao's friend-list cache and Gachi's diagnosis.
    pub agreed_at: BTreeMap<String, Timestamp>,
    /// Custom user properties written by `/v1/user/update_profile` or `/v1/user/signup`.
    pub properties: BTreeMap<String, String>,
}

/// A one-time authorization code and what it is bound to.
#[derive(Clone, Debug)]
pub struct AuthCode {
    pub user_id: i64,
    pub client_id: String,
    pub redirect_uri: String,
    pub code_challenge: Option<String>,
    pub nonce: Option<String>,
    /// `openid` was asked for (or no scope at all), so the token response carries an ID token.
    pub wants_id_token: bool,
    pub auth_time: Timestamp,
    pub issued_at: Timestamp,
}

#[derive(Clone, Debug)]
pub struct AccessRecord {
    pub user_id: i64,
    pub expires_at: Timestamp,
    /// The refresh token issued with this access token (a Bearer logout ends both).
    pub refresh_token: String,
}

#[derive(Clone, Debug)]
pub struct RefreshRecord {
    pub user_id: i64,
    pub expires_at: Timestamp,
    /// Refreshes issue ID tokens only for pairs that were issued with one.
    pub with_id_token: bool,
    pub auth_time: Timestamp,
}

#[derive(Clone, Debug)]
pub struct BrowserSession {
    pub user_id: i64,
    pub logged_in_at: Timestamp,
}

/// An authorize request waiting on the consent screen.
#[derive(Clone, Debug)]
pub struct PendingConsent {
    pub user_id: i64,
    pub redirect_uri: String,
    pub state: Option<String>,
    pub items: Vec<String>,
    pub code: AuthCode,
    pub created_at: Timestamp,
}

#[derive(Debug)]
pub struct State {
    /// The sandbox's root URL as clients reach it, without a trailing slash; the OIDC issuer.
    pub base_url: String,
    pub app: App,
    pub users: BTreeMap<i64, User>,
    pub next_user_id: i64,
    pub codes: HashMap<String, AuthCode>,
    pub access: HashMap<String, AccessRecord>,
    pub refresh: HashMap<String, RefreshRecord>,
    pub sessions: HashMap<String, BrowserSession>,
    pub pending: HashMap<String, PendingConsent>,
    /// Per user: instants of access-token issuances and of refreshes (KOE237).
    pub issuance_log: HashMap<i64, Vec<(Timestamp, bool)>>,
    pub webhook: WebhookHealth,
    /// Kakao's friend-list response cache: per caller, when computed and which friends.
    pub friends_cache: HashMap<i64, (Timestamp, Vec<i64>)>,
    /// Each user's KakaoTalk inbox, oldest first.
    pub inbox: BTreeMap<i64, Vec<crate::inbox::InboxMessage>>,
    pub next_message_id: i64,
    /// Message and share counters of the current quota day.
    pub quotas: crate::quotas::QuotaBook,
    /// The fault injection of `POST /_admin/faults`, while active.
    pub faults: Option<crate::faults::Faults>,
    /// Uploaded message images by id.
    pub images: HashMap<String, crate::image_upload::StoredImage>,
    /// Talk Share requests waiting on the picker, by id.
    pub shares: HashMap<String, crate::talk_share::PendingShare>,
    /// Each user's Talk Calendar events.
    pub calendars: crate::talk_calendar::CalendarBook,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct WebhookHealth {
    pub consecutive_failures: u32,
    pub paused: bool,
}

impl State {
    pub fn new(base_url: String, app: App) -> Self {
        Self {
            base_url: base_url.trim_end_matches('/').to_owned(),
            app,
            users: BTreeMap::new(),
            next_user_id: 4_100_000_001,
            codes: HashMap::new(),
            access: HashMap::new(),
            refresh: HashMap::new(),
            sessions: HashMap::new(),
            pending: HashMap::new(),
            issuance_log: HashMap::new(),
            webhook: WebhookHealth::default(),
            friends_cache: HashMap::new(),
            inbox: BTreeMap::new(),
            next_message_id: 1,
            quotas: crate::quotas::QuotaBook::default(),
            faults: None,
            images: HashMap::new(),
            shares: HashMap::new(),
            calendars: Default::default(),
        }
    }

    /// The path part of the base URL (`""` at the root, `"/_kakao"` when mounted), for links
    /// in pages and cookies.
    pub fn base_path(&self) -> String {
        url::Url::parse(&self.base_url)
            .map(|u| u.path().trim_end_matches('/').to_owned())
            .unwrap_or_default()
    }

    /// Adds a user with a deterministic uuid; returns its id.
    pub fn add_user(
        &mut self,
        id: Option<i64>,
        nickname: &str,
        talk_user: bool,
        profile_public: bool,
    ) -> i64 {
        let id = id.unwrap_or(self.next_user_id);
        self.next_user_id = self.next_user_id.max(id + 1);
        let uuid = uuid_for(self.app.app_id, id);
        let image = |size| format!("{}{}", self.base_url, crate::avatar::path(id, size));
        let (profile_image_url, thumbnail_image_url) = (image(640), image(110));
        self.users.insert(
            id,
            User {
                id,
                uuid,
                nickname: nickname.to_owned(),
                profile_image_url,
                thumbnail_image_url,
                email: None,
                talk_user,
                profile_public,
                friends: BTreeSet::new(),
                favorites: BTreeSet::new(),
                hidden: BTreeSet::new(),
                blocked: BTreeSet::new(),
                link: None,
            },
        );
        id
    }

    /// Links `user_id` to the app (if not yet) and records agreement to `scopes`.
    pub fn agree(&mut self, user_id: i64, scopes: &[String], now: Timestamp) -> bool {
        let Some(user) = self.users.get_mut(&user_id) else {
            return false;
        };
        let link = user.link.get_or_insert_with(|| Link {
            linked_at: now,
            agreed: BTreeSet::new(),
            signup_complete: false,
            agreed_at: BTreeMap::new(),
            properties: BTreeMap::new(),
        });
        for s in scopes.iter().filter(|s| s.as_str() != "openid") {
            if link.agreed.insert(s.clone()) {
                link.agreed_at.insert(s.clone(), now);
            }
        }
        true
    }

    /// Removes the link, the agreements and every token of `user_id`.
    pub fn unlink(&mut self, user_id: i64) -> bool {
        let Some(user) = self.users.get_mut(&user_id) else {
            return false;
        };
        let was_linked = user.link.take().is_some();
        self.revoke_tokens(user_id);
        was_linked
    }

    pub fn revoke_tokens(&mut self, user_id: i64) {
        self.access.retain(|_, a| a.user_id != user_id);
        self.refresh.retain(|_, r| r.user_id != user_id);
        self.codes.retain(|_, c| c.user_id != user_id);
    }

    pub fn agreed(&self, user_id: i64) -> BTreeSet<String> {
        self.users
            .get(&user_id)
            .and_then(|u| u.link.as_ref())
            .map(|l| l.agreed.clone())
            .unwrap_or_default()
    }

    /// Puts a card into `to`'s KakaoTalk inbox; returns the message id.
    pub fn deliver(
        &mut self,
        to: i64,
        from: Option<i64>,
        chat: crate::inbox::ChatType,
        template: serde_json::Value,
        now: Timestamp,
    ) -> i64 {
        let id = self.next_message_id;
        self.next_message_id += 1;
        self.inbox
            .entry(to)
            .or_default()
            .push(crate::inbox::InboxMessage {
                id,
                from,
                chat,
                template,
                received_at: now,
            });
        id
    }

    pub fn user_by_uuid(&self, uuid: &str) -> Option<&User> {
        self.users.values().find(|u| u.uuid == uuid)
    }
}

/// Kakao's uuids are opaque and app-scoped; the sandbox derives them from (app, user) so a
/// restarted sandbox hands out the same ones.
pub fn uuid_for(app_id: i64, user_id: i64) -> String {
    let digest = ring::digest::digest(
        &ring::digest::SHA256,
        format!("uuid:{app_id}:{user_id}").as_bytes(),
    );
    URL_SAFE_NO_PAD.encode(&digest.as_ref()[..15])
}
