//! The HTTP client: one method per Kakao endpoint Gachi uses.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use secrecy::ExposeSecret;
use serde::de::DeserializeOwned;
use url::Url;

use crate::config::KakaoConfig;
use crate::error::KakaoError;
use crate::id_token::{self, Expectations};
use crate::secret::{AccessToken, RefreshToken};
use crate::wire::{
    AccessTokenInfo, IdTokenClaims, Jwks, KapiErrorBody, KauthErrorBody, OidcDiscovery, OidcUserInfo,
    ScopesResponse, TokenResponse, UserIdResponse, UserMe,
};

/// `prompt` values of the authorize request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Prompt {
    Login,
    None,
    Create,
    SelectAccount,
}

impl Prompt {
    fn as_str(self) -> &'static str {
        match self {
            Prompt::Login => "login",
            Prompt::None => "none",
            Prompt::Create => "create",
            Prompt::SelectAccount => "select_account",
        }
    }
}

/// Everything an authorize URL carries besides the client id.
#[derive(Clone, Debug, Default)]
pub struct AuthorizeRequest {
    pub redirect_uri: String,
    /// Consent items to ask for; include `openid` to get an ID token.
    pub scopes: Vec<String>,
    pub state: String,
    pub nonce: Option<String>,
    /// The PKCE S256 challenge.
    pub code_challenge: Option<String>,
    pub prompt: Vec<Prompt>,
    pub login_hint: Option<String>,
}

/// Told about every finished call to Kakao, for metrics: the API's path (relative to the
/// configured base, so a sandbox mounted under a prefix reports the same names as real Kakao)
/// and the outcome, `ok` or [`KakaoError::outcome`]. It cannot change the call.
pub type CallObserver = Arc<dyn Fn(&str, &str) + Send + Sync>;

/// A Kakao REST client. Cheap to clone (the HTTP pool is shared).
#[derive(Clone, Debug)]
pub struct KakaoClient {
    http: reqwest::Client,
    config: KakaoConfig,
    observer: Observer,
}

#[derive(Clone, Default)]
struct Observer(Option<CallObserver>);

impl std::fmt::Debug for Observer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Observer(set)"
        } else {
            "Observer(none)"
        })
    }
}

impl KakaoClient {
    /// Builds a client with its own connection pool (10 s timeout, no redirects followed).
    pub fn new(config: KakaoConfig) -> Result<Self, KakaoError> {
        crate::install_crypto_provider();
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .connect_timeout(Duration::from_secs(5))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("gachi/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|_| KakaoError::Config("the HTTP client could not be built"))?;
        Ok(Self::with_http(config, http))
    }

    /// Uses a caller-built HTTP client (e.g. with a different timeout).
    pub fn with_http(config: KakaoConfig, http: reqwest::Client) -> Self {
        Self {
            http,
            config,
            observer: Observer::default(),
        }
    }

    /// Reports every call's outcome to `observer` (see [`CallObserver`]).
    #[must_use]
    pub fn with_observer(mut self, observer: CallObserver) -> Self {
        self.observer = Observer(Some(observer));
        self
    }

    /// Sends `req` through `call` and tells the observer, if any, how it went. `outcome` names
    /// a success that still carries a Kakao code (a friends send every receiver of which failed).
    pub(crate) async fn observed<T, F, Fut>(
        &self,
        req: reqwest::RequestBuilder,
        outcome: impl FnOnce(&T) -> Option<String>,
        call: F,
    ) -> Result<T, KakaoError>
    where
        F: FnOnce(reqwest::RequestBuilder) -> Fut,
        Fut: Future<Output = Result<T, KakaoError>>,
    {
        let Some(observer) = &self.observer.0 else {
            return call(req).await;
        };
        let (client, built) = req.build_split();
        // A request that cannot even be built never reaches Kakao: nothing to report.
        let request = built.map_err(KakaoError::from_transport)?;
        let api = self.api_name(request.url());
        let result = call(reqwest::RequestBuilder::from_parts(client, request)).await;
        let label = match &result {
            Ok(value) => outcome(value).unwrap_or_else(|| "ok".to_owned()),
            Err(e) => e.outcome(),
        };
        observer(&api, &label);
        result
    }

    /// The path of `url` below whichever configured base it is under.
    fn api_name(&self, url: &Url) -> String {
        let path = url.path();
        [&self.config.api_base, &self.config.auth_base]
            .iter()
            .filter(|base| base.origin() == url.origin())
            .find_map(|base| path.strip_prefix(base.path().trim_end_matches('/')))
            .unwrap_or(path)
            .to_owned()
    }

    pub(crate) async fn kapi_json<T: DeserializeOwned>(
        &self,
        req: reqwest::RequestBuilder,
    ) -> Result<T, KakaoError> {
        self.observed(req, |_| None, kapi_json).await
    }

    async fn kauth_json<T: DeserializeOwned>(&self, req: reqwest::RequestBuilder) -> Result<T, KakaoError> {
        self.observed(req, |_| None, kauth_json).await
    }

    pub fn config(&self) -> &KakaoConfig {
        &self.config
    }

    fn auth_url(&self, path: &str) -> Result<Url, KakaoError> {
        join(&self.config.auth_base, path)
    }

    fn api_url(&self, path: &str) -> Result<Url, KakaoError> {
        join(&self.config.api_base, path)
    }

    /// For the endpoint modules of this crate (friends, messages, …).
    pub(crate) fn api(&self, path: &str) -> Result<Url, KakaoError> {
        self.api_url(path)
    }

    pub(crate) fn http_client(&self) -> &reqwest::Client {
        &self.http
    }

    /// The `/oauth/authorize` URL the browser is sent to. Scopes are comma-separated, as
    /// Kakao's documentation writes them.
    pub fn authorize_url(&self, req: &AuthorizeRequest) -> Result<Url, KakaoError> {
        let mut url = self.auth_url("oauth/authorize")?;
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("client_id", &self.config.rest_api_key)
                .append_pair("redirect_uri", &req.redirect_uri)
                .append_pair("response_type", "code")
                .append_pair("state", &req.state);
            if !req.scopes.is_empty() {
                q.append_pair("scope", &req.scopes.join(","));
            }
            if let Some(nonce) = &req.nonce {
                q.append_pair("nonce", nonce);
            }
            if let Some(challenge) = &req.code_challenge {
                q.append_pair("code_challenge", challenge)
                    .append_pair("code_challenge_method", "S256");
            }
            if !req.prompt.is_empty() {
                let prompt: Vec<&str> = req.prompt.iter().map(|p| p.as_str()).collect();
                q.append_pair("prompt", &prompt.join(","));
            }
            if let Some(hint) = &req.login_hint {
                q.append_pair("login_hint", hint);
            }
        }
        Ok(url)
    }

    /// Exchanges an authorization code for tokens.
    pub async fn exchange_code(
        &self,
        code: &str,
        redirect_uri: &str,
        code_verifier: Option<&str>,
    ) -> Result<TokenResponse, KakaoError> {
        let mut form = vec![
            ("grant_type", "authorization_code".to_owned()),
            ("client_id", self.config.rest_api_key.clone()),
            ("redirect_uri", redirect_uri.to_owned()),
            ("code", code.to_owned()),
        ];
        if let Some(v) = code_verifier {
            form.push(("code_verifier", v.to_owned()));
        }
        self.token_request(form).await
    }

    /// Refreshes an access token. The response carries a new refresh token only when the old
    /// one had less than a month left; [`crate::TokenSet::apply_refresh`] keeps the old one otherwise.
    pub async fn refresh(&self, refresh_token: &RefreshToken) -> Result<TokenResponse, KakaoError> {
        let form = vec![
            ("grant_type", "refresh_token".to_owned()),
            ("client_id", self.config.rest_api_key.clone()),
            ("refresh_token", refresh_token.expose().to_owned()),
        ];
        self.token_request(form).await
    }

    async fn token_request(
        &self,
        mut form: Vec<(&'static str, String)>,
    ) -> Result<TokenResponse, KakaoError> {
        if let Some(secret) = &self.config.client_secret {
            form.push(("client_secret", secret.expose_secret().to_owned()));
        }
        self.kauth_json(self.http.post(self.auth_url("oauth/token")?).form(&form))
            .await
    }

    /// `GET /.well-known/openid-configuration`.
    pub async fn discovery(&self) -> Result<OidcDiscovery, KakaoError> {
        self.kauth_json(self.http.get(self.auth_url(".well-known/openid-configuration")?))
            .await
    }

    /// The JWKS at `jwks_uri` (from discovery; Kakao allows key rotation, so fetch it, don't pin it).
    pub async fn jwks(&self, jwks_uri: &str) -> Result<Jwks, KakaoError> {
        let url = Url::parse(jwks_uri).map_err(|_| KakaoError::Config("jwks_uri is not a URL"))?;
        self.kauth_json(self.http.get(url)).await
    }

    /// Verifies an ID token against `jwks`: signature, issuer (our kauth root), audience (our
    /// REST API key), expiry and nonce.
    pub fn verify_id_token(
        &self,
        token: &str,
        jwks: &Jwks,
        nonce: Option<&str>,
        now_unix: i64,
    ) -> Result<IdTokenClaims, KakaoError> {
        let issuer = self.config.issuer();
        let expect = Expectations {
            issuer: &issuer,
            client_id: &self.config.rest_api_key,
            nonce,
            now: now_unix,
        };
        Ok(id_token::verify(token, jwks, &expect)?)
    }

    /// `POST /oauth/tokeninfo` (Kakao's debugging aid: the server checks the ID token).
    pub async fn token_info(&self, id_token: &str) -> Result<IdTokenClaims, KakaoError> {
        let req = self
            .http
            .post(self.auth_url("oauth/tokeninfo")?)
            .form(&[("id_token", id_token)]);
        self.kauth_json(req).await
    }

    /// `GET /v2/user/me` with the user's token. A success also completes Kakao's sign-up, so
    /// the 24-hour auto-unlink never hits the user.
    pub async fn user_me(&self, token: &AccessToken) -> Result<UserMe, KakaoError> {
        let req = self
            .http
            .get(self.api_url("v2/user/me")?)
            .query(&[("secure_resource", "true")])
            .bearer_auth(token.expose());
        self.kapi_json(req).await
    }

    /// `GET /v2/user/me` for any user of the app, with the admin key.
    pub async fn user_me_admin(&self, user_id: i64) -> Result<UserMe, KakaoError> {
        let req = self.admin(self.http.get(self.api_url("v2/user/me")?))?.query(&[
            ("target_id_type", "user_id".to_owned()),
            ("target_id", user_id.to_string()),
        ]);
        self.kapi_json(req).await
    }

    /// `GET /v1/user/access_token_info`.
    pub async fn access_token_info(&self, token: &AccessToken) -> Result<AccessTokenInfo, KakaoError> {
        let req = self
            .http
            .get(self.api_url("v1/user/access_token_info")?)
            .bearer_auth(token.expose());
        self.kapi_json(req).await
    }

    /// `GET /v1/oidc/userinfo`.
    pub async fn oidc_userinfo(&self, token: &AccessToken) -> Result<OidcUserInfo, KakaoError> {
        let req = self
            .http
            .get(self.api_url("v1/oidc/userinfo")?)
            .bearer_auth(token.expose());
        self.kapi_json(req).await
    }

    /// `POST /v1/user/logout`: expires this token pair (the browser's Kakao session stays).
    pub async fn logout(&self, token: &AccessToken) -> Result<UserIdResponse, KakaoError> {
        let req = self
            .http
            .post(self.api_url("v1/user/logout")?)
            .bearer_auth(token.expose());
        self.kapi_json(req).await
    }

    /// `POST /v1/user/unlink` with the user's token (Kakao sends no unlink webhook for this).
    pub async fn unlink(&self, token: &AccessToken) -> Result<UserIdResponse, KakaoError> {
        let req = self
            .http
            .post(self.api_url("v1/user/unlink")?)
            .bearer_auth(token.expose());
        self.kapi_json(req).await
    }

    /// `POST /v1/user/unlink` for any user, with the admin key.
    pub async fn unlink_admin(&self, user_id: i64) -> Result<UserIdResponse, KakaoError> {
        let req = self
            .admin(self.http.post(self.api_url("v1/user/unlink")?))?
            .form(&[
                ("target_id_type", "user_id".to_owned()),
                ("target_id", user_id.to_string()),
            ]);
        self.kapi_json(req).await
    }

    /// `GET /v2/user/scopes`, optionally only the listed scope ids.
    pub async fn scopes(&self, token: &AccessToken, only: &[&str]) -> Result<ScopesResponse, KakaoError> {
        let mut req = self
            .http
            .get(self.api_url("v2/user/scopes")?)
            .bearer_auth(token.expose());
        if !only.is_empty() {
            req = req.query(&[("scopes", json_array(only))]);
        }
        self.kapi_json(req).await
    }

    /// `POST /v2/user/revoke/scopes`: withdraws the user's agreement to optional items.
    pub async fn revoke_scopes(
        &self,
        token: &AccessToken,
        scopes: &[&str],
    ) -> Result<ScopesResponse, KakaoError> {
        let req = self
            .http
            .post(self.api_url("v2/user/revoke/scopes")?)
            .bearer_auth(token.expose())
            .form(&[("scopes", json_array(scopes))]);
        self.kapi_json(req).await
    }

    fn admin(&self, req: reqwest::RequestBuilder) -> Result<reqwest::RequestBuilder, KakaoError> {
        let key = self
            .config
            .admin_key
            .as_ref()
            .ok_or(KakaoError::Config("no admin key configured"))?;
        Ok(req.header(
            reqwest::header::AUTHORIZATION,
            format!("KakaoAK {}", key.expose_secret()),
        ))
    }
}

fn join(base: &Url, path: &str) -> Result<Url, KakaoError> {
    // Url::join drops the base's last segment unless it ends in '/', and sandboxes are often
    // mounted under a path (`…/_kakao`).
    let mut base = base.clone();
    if !base.path().ends_with('/') {
        let p = format!("{}/", base.path());
        base.set_path(&p);
    }
    base.join(path)
        .map_err(|_| KakaoError::Config("base URL cannot take a path"))
}

/// A JSON array string, the form Kakao wants for list parameters.
pub(crate) fn json_array(items: &[&str]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".to_owned())
}

pub(crate) async fn send_raw(req: reqwest::RequestBuilder) -> Result<(u16, Vec<u8>), KakaoError> {
    let resp = req.send().await.map_err(KakaoError::from_transport)?;
    // From here on Kakao has answered (a status line), so a failure can only lose the answer.
    let status = resp.status().as_u16();
    let body = resp
        .bytes()
        .await
        .map_err(|e| KakaoError::AnswerLost(e.without_url()))?;
    Ok((status, body.to_vec()))
}

async fn kauth_json<T: DeserializeOwned>(req: reqwest::RequestBuilder) -> Result<T, KakaoError> {
    let (status, body) = send_raw(req).await?;
    if (200..300).contains(&status) {
        return parse(status, &body);
    }
    match serde_json::from_slice::<KauthErrorBody>(&body) {
        Ok(err) => Err(KakaoError::from_kauth(status, err)),
        Err(_) => Err(unexpected(status, &body)),
    }
}

async fn kapi_json<T: DeserializeOwned>(req: reqwest::RequestBuilder) -> Result<T, KakaoError> {
    let (status, body) = send_raw(req).await?;
    if (200..300).contains(&status) {
        return parse(status, &body);
    }
    match serde_json::from_slice::<KapiErrorBody>(&body) {
        Ok(err) => Err(KakaoError::from_kapi(status, err)),
        Err(_) => Err(unexpected(status, &body)),
    }
}

fn parse<T: DeserializeOwned>(status: u16, body: &[u8]) -> Result<T, KakaoError> {
    serde_json::from_slice(body).map_err(|e| KakaoError::Unexpected {
        status,
        detail: format!("body does not match the expected shape: {e}"),
    })
}

pub(crate) fn unexpected(status: u16, body: &[u8]) -> KakaoError {
    // Only a short, non-JSON prefix is kept: enough to recognise an HTML error page.
    let text: String = String::from_utf8_lossy(body).chars().take(120).collect();
    KakaoError::Unexpected { status, detail: text }
}
