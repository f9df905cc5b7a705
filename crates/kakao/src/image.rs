//! Image upload for message cards (§8): `POST /v2/api/talk/message/image/upload`.
//!
//! Kakao hosts the image (for up to about 20 days) and returns its URL, size and pixel size for
//! a template's `image_url`/`image_width`/`image_height`. JPG, PNG and GIF up to 5 MB.

use secrecy::{ExposeSecret, SecretString};

use crate::client::KakaoClient;
use crate::error::KakaoError;
use crate::secret::AccessToken;
use crate::wire::{ImageInfo, ImageUploadResponse};

/// Kakao's size limit per image (larger uploads answer `-602`).
pub const MAX_IMAGE_BYTES: usize = 5 * 1024 * 1024;

/// Who uploads: a user's token, or an app key (`KakaoAK`, as Kakao's SDKs do).
#[derive(Clone, Debug)]
pub enum ImageAuth<'a> {
    Bearer(&'a AccessToken),
    AppKey(SecretString),
}

impl KakaoClient {
    /// Uploads one image; `content_type` is e.g. `image/png`.
    pub async fn upload_image(
        &self,
        auth: ImageAuth<'_>,
        file_name: &str,
        content_type: &str,
        bytes: Vec<u8>,
    ) -> Result<ImageInfo, KakaoError> {
        let part = reqwest::multipart::Part::bytes(bytes)
            .file_name(file_name.to_owned())
            .mime_str(content_type)
            .map_err(|_| KakaoError::Config("not a valid image content type"))?;
        let form = reqwest::multipart::Form::new().part("file", part);
        let req = self
            .http_client()
            .post(self.api("v2/api/talk/message/image/upload")?)
            .multipart(form);
        let req = match auth {
            ImageAuth::Bearer(token) => req.bearer_auth(token.expose()),
            ImageAuth::AppKey(key) => req.header(
                reqwest::header::AUTHORIZATION,
                format!("KakaoAK {}", key.expose_secret()),
            ),
        };
        let resp: ImageUploadResponse = self.kapi_json(req).await?;
        Ok(resp.infos.original)
    }
}
