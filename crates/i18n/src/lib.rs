//! The one message catalogue, Korean first and English second, shared by pages, errors, Kakao
//! cards and images. Translations are data: Fluent files under `locales/<lang>/`, embedded at
//! build time, so a wording change never touches code and every language has the same keys.
//!
//! Keys are Fluent identifiers (`share-reason-quota_app_day`); error messages use the API's
//! snake_case error codes as keys, so the wire codes and the catalogue cannot drift.

use std::collections::HashMap;
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use unic_langid::{LanguageIdentifier, langid};

/// A language Gachi speaks. Korean is the default: the product is for friends in Korea.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    Ko,
    En,
}

/// Each language's files, in the order they are added to its bundle.
const KO: &[(&str, &str)] = &[
    ("ko/core.ftl", include_str!("../locales/ko/core.ftl")),
    ("ko/share.ftl", include_str!("../locales/ko/share.ftl")),
    ("ko/polls.ftl", include_str!("../locales/ko/polls.ftl")),
    ("ko/account.ftl", include_str!("../locales/ko/account.ftl")),
    ("ko/images.ftl", include_str!("../locales/ko/images.ftl")),
    ("ko/shell.ftl", include_str!("../locales/ko/shell.ftl")),
    ("ko/invite.ftl", include_str!("../locales/ko/invite.ftl")),
    ("ko/rsvp.ftl", include_str!("../locales/ko/rsvp.ftl")),
];
const EN: &[(&str, &str)] = &[
    ("en/core.ftl", include_str!("../locales/en/core.ftl")),
    ("en/share.ftl", include_str!("../locales/en/share.ftl")),
    ("en/polls.ftl", include_str!("../locales/en/polls.ftl")),
    ("en/account.ftl", include_str!("../locales/en/account.ftl")),
    ("en/images.ftl", include_str!("../locales/en/images.ftl")),
    ("en/shell.ftl", include_str!("../locales/en/shell.ftl")),
    ("en/invite.ftl", include_str!("../locales/en/invite.ftl")),
    ("en/rsvp.ftl", include_str!("../locales/en/rsvp.ftl")),
];

/// One language's bundle, plus every message without variables already formatted: pages ask
/// for dozens of labels each, and a map lookup is all [`Lang::t`] should cost.
struct Catalogue {
    bundle: FluentBundle<FluentResource>,
    plain: HashMap<String, String>,
    /// Every message id, sorted.
    keys: Vec<String>,
    /// Problems found while loading (syntax errors, duplicate keys); a test requires none.
    problems: Vec<String>,
}

impl Catalogue {
    fn load(id: LanguageIdentifier, files: &[(&str, &str)]) -> Catalogue {
        let mut bundle = FluentBundle::new_concurrent(vec![id]);
        // Isolation marks (U+2068/U+2069) around variables would end up in page text, card
        // text and images, where they only get in the way of comparing and measuring text.
        bundle.set_use_isolating(false);
        let mut problems = Vec::new();
        let mut ids: Vec<String> = Vec::new();
        for (name, source) in files {
            let resource = match FluentResource::try_new((*source).to_owned()) {
                Ok(r) => r,
                Err((r, errors)) => {
                    problems.extend(errors.iter().map(|e| format!("{name}: {e}")));
                    r
                }
            };
            ids.extend(resource.entries().filter_map(|e| match e {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
                _ => None,
            }));
            if let Err(errors) = bundle.add_resource(resource) {
                problems.extend(errors.iter().map(|e| format!("{name}: {e}")));
            }
        }
        ids.sort();
        let mut plain = HashMap::with_capacity(ids.len());
        for id in &ids {
            let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
                problems.push(format!("{id} has no value"));
                continue;
            };
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, None, &mut errors).into_owned();
            // A message with variables fails here without them; it is used through `tr`.
            if errors.is_empty() {
                plain.insert(id.clone(), text);
            }
        }
        Catalogue {
            bundle,
            plain,
            keys: ids,
            problems,
        }
    }
}

static CATALOGUES: LazyLock<[Catalogue; 2]> = LazyLock::new(|| {
    [
        Catalogue::load(langid!("ko"), KO),
        Catalogue::load(langid!("en"), EN),
    ]
});

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Ko, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Ko => "ko",
            Lang::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        match code {
            "ko" => Some(Lang::Ko),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    fn catalogue(self) -> &'static Catalogue {
        &CATALOGUES[self as usize]
    }

    /// The text of `key`, a message without variables. Empty if the catalogue lacks it, which
    /// a test forbids for every key the code uses.
    pub fn t(self, key: &str) -> &'static str {
        self.catalogue().plain.get(key).map_or("", String::as_str)
    }

    /// The text of `key` with its variables filled in: `tr("share-reason-canceled", &[])`,
    /// `tr("img-more", &[("n", "3")])`. Empty if the catalogue lacks the key.
    pub fn tr(self, key: &str, args: &[(&str, &str)]) -> String {
        let catalogue = self.catalogue();
        let Some(pattern) = catalogue.bundle.get_message(key).and_then(|m| m.value()) else {
            return String::new();
        };
        let mut fluent_args = FluentArgs::with_capacity(args.len());
        for (name, value) in args {
            fluent_args.set(*name, *value);
        }
        let mut errors = Vec::new();
        catalogue
            .bundle
            .format_pattern(pattern, Some(&fluent_args), &mut errors)
            .into_owned()
    }

    /// The short weekday name, `sunday_zero` counting from Sunday (0) to Saturday (6).
    pub fn weekday(self, sunday_zero: i8) -> &'static str {
        self.t(match sunday_zero.rem_euclid(7) {
            0 => "wd-0",
            1 => "wd-1",
            2 => "wd-2",
            3 => "wd-3",
            4 => "wd-4",
            5 => "wd-5",
            _ => "wd-6",
        })
    }

    /// Whether the catalogue has `key` in this language.
    pub fn has(self, key: &str) -> bool {
        self.catalogue().bundle.has_message(key)
    }

    /// Every key of this language's catalogue.
    pub fn keys(self) -> &'static [String] {
        &self.catalogue().keys
    }

    /// What went wrong loading this language's files (empty when they are sound).
    pub fn load_problems(self) -> &'static [String] {
        &self.catalogue().problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_variables() {
        assert_eq!(Lang::Ko.t("nav-logout"), "로그아웃");
        assert_eq!(Lang::En.t("nav-logout"), "Log out");
        assert_eq!(Lang::En.t("cal-more"), " more");
        assert_eq!(Lang::Ko.t("no-such-key"), "");
        assert_eq!(Lang::Ko.weekday(4), "목");
        assert_eq!(Lang::En.weekday(0), "Sun");
        assert_eq!(Lang::Ko.tr("img-more", &[("n", "3")]), "+3개 더");
        assert_eq!(Lang::En.tr("img-more", &[("n", "3")]), "+3 more");
        // No isolation marks around variables.
        assert!(!Lang::En.tr("img-more", &[("n", "3")]).contains('\u{2068}'));
    }

    #[test]
    fn codes_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(Lang::parse(lang.code()), Some(lang));
        }
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::default(), Lang::Ko);
    }
}
