//! OpenID Connect endpoints (§14.4): discovery, JWKS, `tokeninfo` and `userinfo`.

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use kakao::id_token::{Expectations, verify};
use kakao::wire::{OidcDiscovery, OidcUserInfo};

use crate::Sandbox;
use crate::http::{json, kauth, params};
use crate::kapi_auth::authenticate;

pub async fn discovery(State(sb): State<Sandbox>) -> Response {
    let base = sb.base_url();
    let list = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    json(OidcDiscovery {
        issuer: base.clone(),
        authorization_endpoint: format!("{base}/oauth/authorize"),
        token_endpoint: format!("{base}/oauth/token"),
        userinfo_endpoint: format!("{base}/v1/oidc/userinfo"),
        jwks_uri: format!("{base}/.well-known/jwks.json"),
        token_endpoint_auth_methods_supported: list(&["client_secret_post"]),
        subject_types_supported: list(&["public"]),
        id_token_signing_alg_values_supported: list(&["RS256"]),
        request_uri_parameter_supported: false,
        response_types_supported: list(&["code"]),
        response_modes_supported: list(&["query"]),
        grant_types_supported: list(&["authorization_code", "refresh_token"]),
        code_challenge_methods_supported: list(&["S256"]),
        claims_supported: list(&[
            "iss",
            "aud",
            "sub",
            "auth_time",
            "exp",
            "iat",
            "nonce",
            "nickname",
            "picture",
            "email",
        ]),
    })
}

pub async fn jwks(State(sb): State<Sandbox>) -> Response {
    json(sb.inner.keys.jwks())
}

/// `POST /oauth/tokeninfo`: Kakao checks an ID token for the developer and returns its payload.
pub async fn tokeninfo(State(sb): State<Sandbox>, body: Bytes) -> Response {
    let p = params(None, &body);
    let token = p.get("id_token").map(String::as_str).unwrap_or("");
    let (issuer, client_id) = {
        let st = sb.lock();
        (st.base_url.clone(), st.app.rest_api_key.clone())
    };
    let expect = Expectations {
        issuer: &issuer,
        client_id: &client_id,
        nonce: None,
        now: sb.clock().unix_seconds(),
    };
    match verify(token, &sb.inner.keys.jwks(), &expect) {
        Ok(claims) => json(claims),
        Err(e) => kauth(400, "invalid_token", format!("invalid id_token: {e}"), "KOE400"),
    }
}

/// `GET|POST /v1/oidc/userinfo`: standard claims for the token's user, per agreed items. It
/// completes sign-up only when `settings.userinfo_completes_signup` says so: Kakao's list of
/// personal-info APIs does not name it (docs/sandbox-uncertainties.md).
pub async fn userinfo(
    State(sb): State<Sandbox>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
    body: Bytes,
) -> Response {
    let p = params(q.as_deref(), &body);
    let now = sb.clock().now();
    let mut st = sb.lock();
    let caller = match authenticate(&st, &headers, &p, now) {
        Ok(c) => c,
        Err(resp) => return resp,
    };
    let agreed = st.agreed(caller.user_id);
    let Some(user) = st.users.get(&caller.user_id).cloned() else {
        return crate::http::kapi(400, -101, "NotRegisteredUserException");
    };
    if st.app.settings.userinfo_completes_signup {
        crate::kapi_auth::mark_signed_up(&mut st, caller.user_id);
    }
    json(OidcUserInfo {
        sub: user.id.to_string(),
        nickname: agreed.contains("profile_nickname").then(|| user.nickname.clone()),
        picture: agreed
            .contains("profile_image")
            .then(|| user.profile_image_url.clone()),
        email: user.email.clone().filter(|_| agreed.contains("account_email")),
        email_verified: user
            .email
            .as_ref()
            .filter(|_| agreed.contains("account_email"))
            .map(|_| true),
    })
}
