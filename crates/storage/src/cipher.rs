//! Kakao tokens are encrypted at rest with AES-256-GCM: a database dump alone gives nobody a
//! working token. The additional data binds each ciphertext to its user and kind, so two rows
//! cannot be swapped.

use aes_gcm::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

const PREFIX: &str = "v1:";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CipherError {
    #[error("the secret key must be 32 bytes (base64)")]
    BadKey,
    #[error("a stored token could not be decrypted (wrong key or tampered row)")]
    Decrypt,
}

#[derive(Clone)]
pub struct TokenCipher {
    cipher: Aes256Gcm,
}

impl std::fmt::Debug for TokenCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenCipher(…)")
    }
}

impl TokenCipher {
    pub fn new(key: &[u8]) -> Result<Self, CipherError> {
        if key.len() != 32 {
            return Err(CipherError::BadKey);
        }
        Ok(Self {
            cipher: Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(key)),
        })
    }

    /// From the base64 text of `GACHI_SECRET_KEY`.
    pub fn from_base64(text: &str) -> Result<Self, CipherError> {
        let key = STANDARD.decode(text.trim()).map_err(|_| CipherError::BadKey)?;
        Self::new(&key)
    }

    pub fn encrypt(&self, plaintext: &str, aad: &str) -> Result<String, CipherError> {
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let ct = self
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plaintext.as_bytes(),
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| CipherError::Decrypt)?;
        let mut blob = nonce.to_vec();
        blob.extend(ct);
        Ok(format!("{PREFIX}{}", STANDARD.encode(blob)))
    }

    pub fn decrypt(&self, stored: &str, aad: &str) -> Result<String, CipherError> {
        let blob = stored.strip_prefix(PREFIX).ok_or(CipherError::Decrypt)?;
        let blob = STANDARD.decode(blob).map_err(|_| CipherError::Decrypt)?;
        if blob.len() < 12 {
            return Err(CipherError::Decrypt);
        }
        let (nonce, ct) = blob.split_at(12);
        let pt = self
            .cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: ct,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| CipherError::Decrypt)?;
        String::from_utf8(pt).map_err(|_| CipherError::Decrypt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_binding() {
        let c = TokenCipher::new(&[7u8; 32]).unwrap();
        let stored = c.encrypt("access-token-value", "user-1|access").unwrap();
        assert!(!stored.contains("access-token-value"));
        assert_eq!(c.decrypt(&stored, "user-1|access").unwrap(), "access-token-value");
        assert_eq!(c.decrypt(&stored, "user-2|access"), Err(CipherError::Decrypt));
        let other = TokenCipher::new(&[8u8; 32]).unwrap();
        assert_eq!(other.decrypt(&stored, "user-1|access"), Err(CipherError::Decrypt));
        assert_eq!(TokenCipher::new(&[1u8; 31]).err(), Some(CipherError::BadKey));
    }
}
