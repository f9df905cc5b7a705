//! The sandbox's ID-token signing key: a fixed RSA test key shipped with the crate.
//!
//! Fixed, so a restarted sandbox publishes the same JWKS (no surprise `kid` changes in tests)
//! and no key generation slows start-up. It is a test key: it signs sandbox tokens only.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use kakao::wire::{IdTokenClaims, Jwk, Jwks};
use ring::rand::SystemRandom;
use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair};

const PKCS8: &[u8] = include_bytes!("../keys/id-token-signing.pk8");
pub const KID: &str = "gachi-sandbox-2026";

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("the shipped signing key does not parse")]
    BadKey,
    #[error("signing failed")]
    Sign,
    #[error("claims do not serialise")]
    Claims,
}

#[derive(Debug)]
pub struct SigningKey {
    pair: RsaKeyPair,
    rng: SystemRandom,
}

impl SigningKey {
    pub fn load() -> Result<Self, KeyError> {
        let pair = RsaKeyPair::from_pkcs8(PKCS8).map_err(|_| KeyError::BadKey)?;
        Ok(Self {
            pair,
            rng: SystemRandom::new(),
        })
    }

    pub fn jwks(&self) -> Jwks {
        let public = ring::rsa::PublicKeyComponents::<Vec<u8>>::from(self.pair.public());
        Jwks {
            keys: vec![Jwk {
                kty: "RSA".into(),
                kid: Some(KID.into()),
                use_: Some("sig".into()),
                alg: Some("RS256".into()),
                n: URL_SAFE_NO_PAD.encode(&public.n),
                e: URL_SAFE_NO_PAD.encode(&public.e),
            }],
        }
    }

    /// A compact RS256 JWS of `claims`.
    pub fn sign(&self, claims: &IdTokenClaims) -> Result<String, KeyError> {
        let header = serde_json::json!({"alg": "RS256", "typ": "JWT", "kid": KID});
        let header = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&header).map_err(|_| KeyError::Claims)?);
        let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).map_err(|_| KeyError::Claims)?);
        let input = format!("{header}.{payload}");
        let mut sig = vec![0u8; self.pair.public().modulus_len()];
        self.pair
            .sign(&RSA_PKCS1_SHA256, &self.rng, input.as_bytes(), &mut sig)
            .map_err(|_| KeyError::Sign)?;
        Ok(format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig)))
    }
}
