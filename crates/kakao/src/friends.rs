//! The Friends API (`/v1/api/talk/friends`): one page, or every page.

use url::Url;

use crate::client::KakaoClient;
use crate::error::KakaoError;
use crate::secret::AccessToken;
use crate::wire::{Friend, FriendsResponse};

/// Kakao's page-size ceiling.
pub const MAX_FRIENDS_PAGE: u32 = 100;

/// One page request. `limit` is always sent: Kakao's documented default (10) is not what
/// older documents say (100), so the client never relies on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FriendsPage {
    pub offset: u32,
    pub limit: u32,
    /// `asc` or `desc`.
    pub order: String,
    /// `favorite` (favourites first) or `nickname`.
    pub friend_order: String,
}

impl Default for FriendsPage {
    fn default() -> Self {
        Self {
            offset: 0,
            limit: MAX_FRIENDS_PAGE,
            order: "asc".into(),
            friend_order: "favorite".into(),
        }
    }
}

impl FriendsPage {
    /// The next request from a page's `after_url` (as Kakao's SDK does: `offset` and `limit`
    /// must be there, `order` and `friend_order` are kept when present).
    pub fn from_page_url(url: &str, previous: &FriendsPage) -> Option<FriendsPage> {
        let url = Url::parse(url).ok()?;
        let mut next = previous.clone();
        let (mut offset, mut limit) = (None, None);
        for (k, v) in url.query_pairs() {
            match k.as_ref() {
                "offset" => offset = v.parse().ok(),
                "limit" => limit = v.parse().ok(),
                "order" => next.order = v.into_owned(),
                "friend_order" => next.friend_order = v.into_owned(),
                _ => {}
            }
        }
        next.offset = offset?;
        next.limit = limit?;
        Some(next)
    }
}

impl KakaoClient {
    /// One page of the user's friends who are visible to this app.
    pub async fn friends(
        &self,
        token: &AccessToken,
        page: &FriendsPage,
    ) -> Result<FriendsResponse, KakaoError> {
        let url = self.api("v1/api/talk/friends")?;
        let req = self.http_client().get(url).bearer_auth(token.expose()).query(&[
            ("offset", page.offset.to_string()),
            ("limit", page.limit.min(MAX_FRIENDS_PAGE).to_string()),
            ("order", page.order.clone()),
            ("friend_order", page.friend_order.clone()),
            ("secure_resource", "true".to_owned()),
        ]);
        self.kapi_json(req).await
    }

    /// Every visible friend, following `after_url` page by page (favourites first).
    pub async fn all_friends(&self, token: &AccessToken) -> Result<Vec<Friend>, KakaoError> {
        let mut page = FriendsPage::default();
        let mut all = Vec::new();
        // A bound on pages guards against a server whose after_url never ends.
        for _ in 0..1000 {
            let resp = self.friends(token, &page).await?;
            let got = resp.elements.len();
            all.extend(resp.elements);
            match resp
                .after_url
                .as_deref()
                .and_then(|u| FriendsPage::from_page_url(u, &page))
            {
                Some(next) if got > 0 && next.offset > page.offset => page = next,
                _ => break,
            }
        }
        Ok(all)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_page_comes_from_after_url() {
        let first = FriendsPage::default();
        let next = FriendsPage::from_page_url(
            "https://kapi.kakao.com/v1/api/talk/friends?offset=3&limit=3&order=asc",
            &first,
        )
        .unwrap();
        assert_eq!((next.offset, next.limit, next.order.as_str()), (3, 3, "asc"));
        assert_eq!(next.friend_order, "favorite");
        assert!(
            FriendsPage::from_page_url("https://kapi.kakao.com/v1/api/talk/friends?order=asc", &first)
                .is_none()
        );
    }
}
