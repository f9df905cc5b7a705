//! Which Kakao JavaScript SDK a page loads for Kakao Talk Share, and with which key: the
//! sandbox's stand-in (same API, its own picker) in sandbox mode, Kakao's CDN build with
//! `KAKAO_JS_KEY` otherwise, and none without a key (the page then offers only the other ways).

use crate::state::AppState;

const SANDBOX_SDK: &str = "/_kakao/_sdk/kakao.js";
const KAKAO_SDK: &str = "https://t1.kakaocdn.net/kakao_js_sdk/2.7.2/kakao.min.js";

/// The SDK's script URL and the app's JavaScript key.
pub struct JsSdk {
    pub url: String,
    pub key: String,
}

pub fn js_sdk(state: &AppState) -> Option<JsSdk> {
    match &state.sandbox {
        Some(sandbox) => Some(JsSdk {
            url: SANDBOX_SDK.to_owned(),
            key: sandbox.app().javascript_key,
        }),
        None => state
            .config
            .kakao_js_key
            .as_ref()
            .filter(|k| !k.is_empty())
            .map(|key| JsSdk {
                url: KAKAO_SDK.to_owned(),
                key: key.clone(),
            }),
    }
}
