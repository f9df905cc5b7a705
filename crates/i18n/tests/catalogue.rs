//! The catalogue against the code: every key the sources use resolves in Korean and English,
//! both languages have the same keys, and the Fluent files load without a problem. Keys are
//! found by reading the sources (templates included), so a key only counts if it is written out
//! literally, which is why keys are never built with `format!`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use i18n::Lang;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Files under `dir` ending in one of `exts`, recursively.
fn files(dir: &Path, exts: &[&str], out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        panic!("cannot read {}", dir.display());
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, exts, out);
        } else if exts.iter().any(|e| path.extension().is_some_and(|x| x == *e)) {
            out.push(path);
        }
    }
}

/// The sources that use the catalogue: Rust without its test modules (they may name keys that
/// must not exist), and the page templates.
fn sources() -> Vec<(PathBuf, String)> {
    let root = workspace();
    let mut paths = Vec::new();
    for dir in [
        "crates/gachi/src",
        "crates/render/src",
        "crates/domain/src",
        "crates/i18n/src",
    ] {
        files(&root.join(dir), &["rs"], &mut paths);
    }
    files(&root.join("crates/gachi/templates"), &["html"], &mut paths);
    assert!(paths.len() > 50, "found only {} source files", paths.len());
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let text = match text.find("#[cfg(test)]") {
                Some(i) if p.extension().is_some_and(|e| e == "rs") => text[..i].to_owned(),
                _ => text,
            };
            (p, text)
        })
        .collect()
}

/// Every double-quoted string literal with its byte offset (escapes kept as written; no key
/// contains one). Char literals like '"' are skipped.
fn literals(text: &str) -> Vec<(usize, &str)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\'' if bytes.get(i + 1) == Some(&b'"') => i += 3,
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while j < bytes.len() && bytes[j] != b'"' {
                    j += if bytes[j] == b'\\' { 2 } else { 1 };
                }
                out.push((start - 1, &text[start..j.min(bytes.len())]));
                i = j + 1;
            }
            _ => i += 1,
        }
    }
    out
}

fn is_identifier(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

/// Whether the literal at `at` is handed to the catalogue: the argument of `t(`/`tr(`, or an
/// error code / field message key given to the web error (`Missing(`, `conflict(`,
/// `Refused(status, "code")`, `field(…, "key")`, `errors.insert("field", "key")`,
/// `[("field", "key")]`).
fn is_key_position(text: &str, at: usize) -> bool {
    let before = text[..at].trim_end();
    let ends_with_call = |names: &[&str]| {
        before.strip_suffix('(').is_some_and(|b| {
            names.iter().any(|n| {
                b.ends_with(n) && !b[..b.len() - n.len()].ends_with(|c: char| c.is_alphanumeric() || c == '_')
            })
        })
    };
    if ends_with_call(&["t", "tr", "Missing", "conflict", "Conflict", "field"]) {
        return true;
    }
    // The second argument of a two-argument call or tuple.
    let Some(b) = before.strip_suffix(',') else {
        return false;
    };
    let Some(open) = b.rfind('(') else {
        return false;
    };
    let first_arg = b[open + 1..].trim();
    let callee = b[..open].trim_end();
    let simple_first = first_arg.starts_with('"') && first_arg.ends_with('"')
        || first_arg
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == ':');
    simple_first
        && (callee.ends_with("Refused")
            || callee.ends_with("field")
            || callee.ends_with("errors.insert")
            || callee.ends_with("fields.insert")
            || callee.ends_with('['))
}

#[test]
fn the_fluent_files_load_cleanly() {
    for lang in Lang::ALL {
        assert!(
            lang.load_problems().is_empty(),
            "{lang:?}: {:?}",
            lang.load_problems()
        );
        assert!(
            lang.keys().len() > 250,
            "{lang:?} has only {} keys",
            lang.keys().len()
        );
    }
}

#[test]
fn korean_and_english_have_the_same_keys() {
    let ko: BTreeSet<_> = Lang::Ko.keys().iter().collect();
    let en: BTreeSet<_> = Lang::En.keys().iter().collect();
    assert_eq!(
        ko.difference(&en).collect::<Vec<_>>(),
        Vec::<&&String>::new(),
        "only in Korean"
    );
    assert_eq!(
        en.difference(&ko).collect::<Vec<_>>(),
        Vec::<&&String>::new(),
        "only in English"
    );
}

#[test]
fn every_key_the_code_uses_exists_in_both_languages() {
    // Namespaces of the dotted-style keys (`share-status-sent` is in `share`): a literal in one
    // of them is a key wherever it is written (a match arm, a constant), not only in a call.
    let namespaces: BTreeSet<&str> = Lang::Ko
        .keys()
        .iter()
        .filter_map(|k| k.split_once('-').map(|(ns, _)| ns))
        .collect();
    let mut used = BTreeSet::new();
    let mut missing = Vec::new();
    for (path, text) in sources() {
        for needle in [".t(&format!", ".tr(&format!", ".t(format!", ".tr(format!"] {
            assert!(
                !text.contains(needle),
                "{} builds a catalogue key with format!; write each key out",
                path.display()
            );
        }
        for (at, lit) in literals(&text) {
            if !is_identifier(lit) {
                continue;
            }
            // In templates only calls count: their other literals are HTML attributes.
            let rust = path.extension().is_some_and(|e| e == "rs");
            let namespaced = rust && lit.split_once('-').is_some_and(|(ns, _)| namespaces.contains(ns));
            if !(namespaced || is_key_position(&text, at)) {
                continue;
            }
            used.insert(lit.to_owned());
            for lang in Lang::ALL {
                if !lang.has(lit) || lang.tr(lit, &[]).is_empty() {
                    missing.push(format!("{} ({:?}) in {}", lit, lang, path.display()));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "keys missing from the catalogue:\n{}",
        missing.join("\n")
    );
    // The scan must really see the code's keys, of every kind.
    for key in [
        "nav-logout",
        "share-reason-quota_app_day",
        "poll-answer-maybe",
        "invite_not_found",
        "csrf_failed",
        "title_required",
        "img-month-title",
        "wd-6",
    ] {
        assert!(used.contains(key), "the scan did not find {key}");
    }
}
