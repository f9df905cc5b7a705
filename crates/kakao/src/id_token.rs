//! OpenID Connect ID-token verification: RS256 signature against the JWKS, then the claims.
//!
//! Written on ring rather than a JWT crate: Kakao uses exactly one algorithm, and the JWT
//! crates would bring a second crypto stack into the build (see DESIGN.md).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::signature::{RSA_PKCS1_2048_8192_SHA256, RsaPublicKeyComponents};
use serde::Deserialize;

use crate::wire::{IdTokenClaims, Jwks};

/// How far a token's `iat` may lie in our future, for clocks that disagree a little.
pub const ALLOWED_SKEW_SECONDS: i64 = 300;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum IdTokenError {
    #[error("not a compact JWS")]
    Malformed,
    #[error("unsupported algorithm {0}")]
    UnsupportedAlgorithm(String),
    #[error("no JWKS key matches the token's kid")]
    UnknownKey,
    #[error("signature does not verify")]
    BadSignature,
    #[error("issuer {0} is not the expected one")]
    WrongIssuer(String),
    #[error("audience is not this client")]
    WrongAudience,
    #[error("token expired")]
    Expired,
    #[error("token issued in the future")]
    IssuedInFuture,
    #[error("nonce does not match this login")]
    NonceMismatch,
}

/// What the verifier must see in the claims.
#[derive(Debug, Clone)]
pub struct Expectations<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    /// The nonce sent with this login's authorize request, if any.
    pub nonce: Option<&'a str>,
    /// Unix seconds "now" (from the injectable clock).
    pub now: i64,
}

#[derive(Deserialize)]
struct Header {
    alg: String,
    #[serde(default)]
    kid: Option<String>,
}

/// Verifies `token`'s signature with a key of `jwks` and checks `iss`, `aud`, `exp`, `iat`, `nonce`.
pub fn verify(token: &str, jwks: &Jwks, expect: &Expectations<'_>) -> Result<IdTokenClaims, IdTokenError> {
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(s), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(IdTokenError::Malformed);
    };
    let header: Header = decode_json(h)?;
    if header.alg != "RS256" {
        return Err(IdTokenError::UnsupportedAlgorithm(header.alg));
    }
    let key = jwks
        .keys
        .iter()
        .filter(|k| k.kty == "RSA")
        .find(|k| header.kid.is_none() || k.kid == header.kid)
        .ok_or(IdTokenError::UnknownKey)?;
    let n = URL_SAFE_NO_PAD
        .decode(&key.n)
        .map_err(|_| IdTokenError::UnknownKey)?;
    let e = URL_SAFE_NO_PAD
        .decode(&key.e)
        .map_err(|_| IdTokenError::UnknownKey)?;
    let signature = URL_SAFE_NO_PAD.decode(s).map_err(|_| IdTokenError::Malformed)?;
    let signing_input = &token[..h.len() + 1 + p.len()];
    RsaPublicKeyComponents { n: &n, e: &e }
        .verify(&RSA_PKCS1_2048_8192_SHA256, signing_input.as_bytes(), &signature)
        .map_err(|_| IdTokenError::BadSignature)?;

    let claims: IdTokenClaims = decode_json(p)?;
    if claims.iss.trim_end_matches('/') != expect.issuer.trim_end_matches('/') {
        return Err(IdTokenError::WrongIssuer(claims.iss));
    }
    if !claims.aud.contains(expect.client_id) {
        return Err(IdTokenError::WrongAudience);
    }
    if claims.exp <= expect.now {
        return Err(IdTokenError::Expired);
    }
    if claims.iat > expect.now + ALLOWED_SKEW_SECONDS {
        return Err(IdTokenError::IssuedInFuture);
    }
    if let Some(nonce) = expect.nonce
        && claims.nonce.as_deref() != Some(nonce)
    {
        return Err(IdTokenError::NonceMismatch);
    }
    Ok(claims)
}

/// Reads the claims without verifying anything: for logs and diagnostics only.
pub fn peek_claims(token: &str) -> Result<IdTokenClaims, IdTokenError> {
    token
        .split('.')
        .nth(1)
        .ok_or(IdTokenError::Malformed)
        .and_then(decode_json)
}

fn decode_json<T: serde::de::DeserializeOwned>(part: &str) -> Result<T, IdTokenError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| IdTokenError::Malformed)?;
    serde_json::from_slice(&bytes).map_err(|_| IdTokenError::Malformed)
}
