//! Kakao's JSON shapes, field for field, shared by the client and the sandbox.
//!
//! Optional fields are skipped when absent so the sandbox writes what Kakao writes and the
//! client accepts what Kakao may leave out. Types that carry tokens have a redacting `Debug`.

use serde::{Deserialize, Serialize};

/// `POST /oauth/token` success body.
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct TokenResponse {
    pub token_type: String,
    pub access_token: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
    pub expires_in: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token_expires_in: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}

impl TokenResponse {
    /// The agreed scopes; Kakao separates them with spaces, but commas are accepted too.
    pub fn scopes(&self) -> Vec<String> {
        split_scopes(self.scope.as_deref().unwrap_or(""))
    }
}

impl std::fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenResponse")
            .field("expires_in", &self.expires_in)
            .field("has_refresh_token", &self.refresh_token.is_some())
            .field("has_id_token", &self.id_token.is_some())
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

/// Splits a scope list written with spaces or commas (both appear on Kakao's wire).
pub fn split_scopes(list: &str) -> Vec<String> {
    list.split([' ', ','])
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// kauth error body: `{"error","error_description","error_code"}`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct KauthErrorBody {
    pub error: String,
    #[serde(default)]
    pub error_description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
}

/// kapi error body: `{"msg","code"}` plus the extra fields some codes carry.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct KapiErrorBody {
    pub msg: String,
    pub code: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_scopes: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_scopes: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receiver_uuids: Option<Vec<String>>,
}

impl KapiErrorBody {
    pub fn new(code: i32, msg: impl Into<String>) -> Self {
        Self {
            msg: msg.into(),
            code,
            api_type: None,
            required_scopes: None,
            allowed_scopes: None,
            receiver_uuids: None,
        }
    }
}

/// `GET /.well-known/openid-configuration`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct OidcDiscovery {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub userinfo_endpoint: String,
    pub jwks_uri: String,
    #[serde(default)]
    pub token_endpoint_auth_methods_supported: Vec<String>,
    #[serde(default)]
    pub subject_types_supported: Vec<String>,
    #[serde(default)]
    pub id_token_signing_alg_values_supported: Vec<String>,
    #[serde(default)]
    pub request_uri_parameter_supported: bool,
    #[serde(default)]
    pub response_types_supported: Vec<String>,
    #[serde(default)]
    pub response_modes_supported: Vec<String>,
    #[serde(default)]
    pub grant_types_supported: Vec<String>,
    #[serde(default)]
    pub code_challenge_methods_supported: Vec<String>,
    #[serde(default)]
    pub claims_supported: Vec<String>,
}

/// `GET /.well-known/jwks.json`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Jwks {
    pub keys: Vec<Jwk>,
}

/// One RSA public key of the JWKS (base64url `n` and `e`).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Jwk {
    pub kty: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kid: Option<String>,
    #[serde(rename = "use", default, skip_serializing_if = "Option::is_none")]
    pub use_: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alg: Option<String>,
    pub n: String,
    pub e: String,
}

/// ID-token payload (and `/oauth/tokeninfo`'s answer).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct IdTokenClaims {
    pub iss: String,
    pub aud: Audience,
    pub sub: String,
    pub iat: i64,
    pub exp: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_time: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nickname: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub picture: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// `aud` is a string at Kakao, but JWT allows an array; accept both.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum Audience {
    One(String),
    Many(Vec<String>),
}

impl Audience {
    pub fn contains(&self, client_id: &str) -> bool {
        match self {
            Audience::One(a) => a == client_id,
            Audience::Many(all) => all.iter().any(|a| a == client_id),
        }
    }
}

/// `GET /v1/oidc/userinfo`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct OidcUserInfo {
    pub sub: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nickname: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub picture: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_verified: Option<bool>,
}

/// `GET|POST /v2/user/me`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct UserMe {
    pub id: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_signed_up: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connected_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub synched_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub properties: Option<UserProperties>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kakao_account: Option<KakaoAccount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub for_partner: Option<ForPartner>,
}

impl UserMe {
    pub fn nickname(&self) -> Option<&str> {
        self.kakao_account
            .as_ref()
            .and_then(|a| a.profile.as_ref())
            .and_then(|p| p.nickname.as_deref())
    }

    pub fn profile_image_url(&self) -> Option<&str> {
        self.kakao_account
            .as_ref()
            .and_then(|a| a.profile.as_ref())
            .and_then(|p| p.profile_image_url.as_deref())
    }
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct UserProperties {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nickname: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_image: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail_image: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct KakaoAccount {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_needs_agreement: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_nickname_needs_agreement: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_image_needs_agreement: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<Profile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_needs_agreement: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_email_valid: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_email_verified: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Profile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nickname: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail_image_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_image_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_default_image: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_default_nickname: Option<bool>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct ForPartner {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
}

/// `GET /v1/user/access_token_info`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct AccessTokenInfo {
    pub id: i64,
    pub expires_in: i64,
    pub app_id: i64,
}

/// `{"id": …}`, the answer of logout and unlink.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct UserIdResponse {
    pub id: i64,
}

/// `GET /v2/user/scopes` and `POST /v2/user/revoke/scopes`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct ScopesResponse {
    pub id: i64,
    pub scopes: Vec<ScopeInfo>,
}

impl ScopesResponse {
    /// Whether the user has agreed to `scope`.
    pub fn agreed(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s.id == scope && s.agreed)
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct ScopeInfo {
    pub id: String,
    pub display_name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub using: bool,
    pub agreed: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revocable: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delegated: Option<bool>,
}

/// The unlink webhook's parameters (query string for GET, form body for POST).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct UnlinkWebhook {
    pub app_id: String,
    pub user_id: String,
    pub referrer_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_user_token: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_accept_spaces_and_commas() {
        assert_eq!(
            split_scopes("openid profile_nickname,friends "),
            ["openid", "profile_nickname", "friends"]
        );
    }

    #[test]
    fn insufficient_scopes_body_parses() {
        let body: KapiErrorBody = serde_json::from_str(
            r#"{"msg":"insufficient scopes.","code":-402,"api_type":"FRIENDS","required_scopes":["friends"],"allowed_scopes":["profile_nickname"]}"#,
        )
        .unwrap();
        assert_eq!(body.code, -402);
        assert_eq!(body.required_scopes.as_deref(), Some(&["friends".to_owned()][..]));
    }
}

/// `GET /v1/api/talk/friends`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct FriendsResponse {
    /// Kakao may leave `elements` out when no friend is visible; read that as empty.
    #[serde(default)]
    pub elements: Vec<Friend>,
    #[serde(default)]
    pub total_count: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub favorite_count: Option<i64>,
    #[serde(default)]
    pub before_url: Option<String>,
    #[serde(default)]
    pub after_url: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Friend {
    pub id: i64,
    pub uuid: String,
    #[serde(default)]
    pub favorite: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_nickname: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_thumbnail_image: Option<String>,
    /// Deprecated by Kakao (always true since 2022).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_msg: Option<bool>,
}

// ---------------------------------------------------------------------------------------------
// Messages (§6), templates (§7) and image upload (§8).

/// `POST /v2/api/talk/memo/*/send`: `{"result_code":0}`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct MemoSendResponse {
    pub result_code: i32,
}

/// `POST /v1/api/talk/friends/message/*/send` (HTTP 200): the receivers that got the message,
/// and the others grouped by failure code. Both are nullable in Kakao's SDK model.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct FriendsSendResponse {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub successful_receiver_uuids: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_info: Option<Vec<FailureInfo>>,
}

/// One group of `failure_info`: every receiver that failed with `code`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct FailureInfo {
    pub code: i32,
    pub msg: String,
    #[serde(default)]
    pub receiver_uuids: Vec<String>,
}

/// `POST /v2/api/talk/message/image/upload`: `{"infos":{"original":{…}}}`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct ImageUploadResponse {
    pub infos: ImageInfos,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct ImageInfos {
    pub original: ImageInfo,
}

/// An uploaded image: its URL for `image_url`, size in bytes, type and pixel size.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct ImageInfo {
    pub url: String,
    pub length: u64,
    pub content_type: String,
    pub width: u32,
    pub height: u32,
}

/// A default template (`template_object`), tagged by `object_type` as Kakao writes it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "object_type", rename_all = "lowercase")]
pub enum TemplateObject {
    Feed(FeedTemplate),
    List(ListTemplate),
    Location(LocationTemplate),
    Commerce(CommerceTemplate),
    Text(TextTemplate),
    Calendar(CalendarTemplate),
}

impl TemplateObject {
    /// The buttons, whatever the type.
    pub fn buttons(&self) -> &[Button] {
        match self {
            TemplateObject::Feed(t) => &t.buttons,
            TemplateObject::List(t) => &t.buttons,
            TemplateObject::Location(t) => &t.buttons,
            TemplateObject::Commerce(t) => &t.buttons,
            TemplateObject::Text(t) => &t.buttons,
            TemplateObject::Calendar(t) => &t.buttons,
        }
    }

    /// The template as the JSON string Kakao's `template_object` parameter wants.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".to_owned())
    }
}

/// Where a click goes. Kakao wants at least one of the four.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Link {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mobile_web_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub android_execution_params: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ios_execution_params: Option<String>,
}

impl Link {
    /// The same web page on PC and mobile.
    pub fn web(url: impl Into<String>) -> Self {
        let url = url.into();
        Self {
            web_url: Some(url.clone()),
            mobile_web_url: Some(url),
            ..Self::default()
        }
    }
}

/// `content` of feed, location, commerce and calendar templates.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Content {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_width: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_height: Option<u32>,
    pub link: Link,
}

/// `item_content` of a feed (profile line, title image, item rows and a sum).
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct ItemContent {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_image_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_image_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_image_text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_image_category: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<ItemRow>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sum: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sum_op: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct ItemRow {
    pub item: String,
    pub item_op: String,
}

/// Like/comment/share/view/subscriber counts (at most three are shown).
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Social {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub like_count: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment_count: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared_count: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub view_count: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscriber_count: Option<i64>,
}

/// A button under the card; Kakao allows at most two (calendar: one).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Button {
    pub title: String,
    pub link: Link,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct FeedTemplate {
    pub content: Content,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_content: Option<ItemContent>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub social: Option<Social>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buttons: Vec<Button>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub button_title: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct ListTemplate {
    pub header_title: String,
    pub header_link: Link,
    /// Two or three entries.
    pub contents: Vec<Content>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buttons: Vec<Button>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub button_title: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct LocationTemplate {
    pub content: Content,
    pub address: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub social: Option<Social>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buttons: Vec<Button>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub button_title: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct CommerceTemplate {
    pub content: Content,
    pub commerce: Commerce,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buttons: Vec<Button>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub button_title: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Commerce {
    pub regular_price: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount_price: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount_rate: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed_discount_price: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency_unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency_unit_position: Option<i64>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct TextTemplate {
    pub text: String,
    pub link: Link,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buttons: Vec<Button>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub button_title: Option<String>,
}

/// Only for public events or subscribable calendars of a linked Talk Channel (not a user's
/// private event).
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct CalendarTemplate {
    /// `event` or `calendar`.
    pub id_type: String,
    pub id: String,
    pub content: Content,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buttons: Vec<Button>,
}

#[cfg(test)]
mod template_tests {
    use super::*;

    #[test]
    fn a_feed_serialises_as_kakaos_json() {
        let feed = TemplateObject::Feed(FeedTemplate {
            content: Content {
                title: Some("팀 회식".into()),
                description: Some("5/24(금) 19:00 강남".into()),
                image_url: Some("https://k.kakaocdn.net/img.png".into()),
                image_width: Some(800),
                image_height: Some(400),
                link: Link::web("https://example.com/e/9"),
            },
            buttons: vec![Button {
                title: "일정 보기".into(),
                link: Link::web("https://example.com/e/9"),
            }],
            ..FeedTemplate::default()
        });
        let json: serde_json::Value = serde_json::from_str(&feed.to_json()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"object_type":"feed",
                "content":{"title":"팀 회식","description":"5/24(금) 19:00 강남",
                  "image_url":"https://k.kakaocdn.net/img.png","image_width":800,"image_height":400,
                  "link":{"web_url":"https://example.com/e/9","mobile_web_url":"https://example.com/e/9"}},
                "buttons":[{"title":"일정 보기","link":{"web_url":"https://example.com/e/9","mobile_web_url":"https://example.com/e/9"}}]})
        );
        let text: TemplateObject = serde_json::from_str(
            r#"{"object_type":"text","text":"안녕","link":{"web_url":"https://example.com"}}"#,
        )
        .unwrap();
        assert!(matches!(text, TemplateObject::Text(t) if t.text == "안녕"));
    }
}
