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
