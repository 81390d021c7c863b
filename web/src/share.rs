//! Share links: the whole [`Doc`] in the URL fragment, so it never reaches a server.
//!
//! Format version 1: `v1.` followed by base64url (no padding) of zlib-compressed JSON. zlib's
//! Adler-32 trailer makes every truncated link fail instead of reading as another state.
//! Links longer than [`MAX_LINK`] are refused before decoding, and decompression stops at
//! [`MAX_JSON`] bytes, so a crafted deflate bomb costs nothing.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use miniz_oxide::inflate::{TINFLStatus, decompress_to_vec_zlib_with_limit};

use crate::doc::{Doc, DocError};

/// The format this page writes.
pub const VERSION: u32 = 1;
/// Longest fragment read (bytes).
pub const MAX_LINK: usize = 32 * 1024;
/// Largest decompressed document (bytes).
pub const MAX_JSON: usize = 1024 * 1024;

/// Why a link could not be opened. Every message says what happened; none echoes the link.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    #[error("this is not an ICL Playground link")]
    NotALink,
    #[error("the link is too long ({0} characters; at most {MAX_LINK})")]
    TooLong(usize),
    #[error(
        "the link was made by a newer version of ICL Playground (format {0}); this page reads format {VERSION}"
    )]
    FutureVersion(u32),
    #[error("the link is damaged or incomplete (it was probably cut off when copied)")]
    Damaged,
    #[error("the link unpacks to more than {MAX_JSON} bytes")]
    TooLarge,
    #[error("the link's contents are not a playground state: {0}")]
    BadState(String),
    #[error("the link's state is outside the page's limits: {0}")]
    OutOfLimits(#[from] DocError),
}

/// The fragment (without `#`) that reproduces `doc`. Deterministic.
pub fn encode(doc: &Doc) -> String {
    let json = serde_json::to_vec(doc).expect("a document serialises");
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(&json, 9);
    format!("v{VERSION}.{}", URL_SAFE_NO_PAD.encode(packed))
}

/// Reads a fragment (with or without the leading `#`). Never panics; every failure is typed.
pub fn decode(fragment: &str) -> Result<Doc, LinkError> {
    let f = fragment.strip_prefix('#').unwrap_or(fragment);
    if f.len() > MAX_LINK {
        return Err(LinkError::TooLong(f.len()));
    }
    let rest = f.strip_prefix('v').ok_or(LinkError::NotALink)?;
    let (version, payload) = rest.split_once('.').ok_or(LinkError::NotALink)?;
    if version.is_empty() || version.len() > 9 || !version.bytes().all(|b| b.is_ascii_digit()) {
        return Err(LinkError::NotALink);
    }
    let version: u32 = version.parse().map_err(|_| LinkError::NotALink)?;
    if version > VERSION {
        return Err(LinkError::FutureVersion(version));
    }
    if version == 0 {
        return Err(LinkError::NotALink);
    }
    let packed = URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|_| LinkError::Damaged)?;
    let json = decompress_to_vec_zlib_with_limit(&packed, MAX_JSON).map_err(|e| {
        if e.status == TINFLStatus::HasMoreOutput {
            LinkError::TooLarge
        } else {
            LinkError::Damaged
        }
    })?;
    // serde's message can quote the link's own text, so only its kind and place are shown.
    let doc: Doc = serde_json::from_slice(&json).map_err(|e| {
        let what = match e.classify() {
            serde_json::error::Category::Data => "a value has the wrong type or is missing",
            _ => "it is not well-formed JSON",
        };
        LinkError::BadState(format!("{what} (line {}, column {})", e.line(), e.column()))
    })?;
    Ok(doc.checked()?)
}

/// The fragment of `url` (after `#`), if any.
pub fn fragment_of(url: &str) -> Option<&str> {
    url.split_once('#')
        .map(|(_, f)| f)
        .filter(|f| !f.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{Example, PresetRef, View};
    use proptest::prelude::*;

    pub(super) fn sample_doc() -> Doc {
        Doc {
            view: View::Builder,
            examples: vec![
                Example::new("stone", "enots"),
                Example::new("👩‍👩‍👧 e\u{301}", "\u{0}\u{202e}עברית"),
            ],
            query: "cloud".into(),
            expected: "duolc".into(),
            preset: Some(PresetRef {
                task: "reverse".into(),
                seed: 7,
                used: 2,
                flip: None,
            }),
            model: crate::protocol::ModelRef::from_id("attn2"),
            ..Doc::default()
        }
    }

    /// Links of format 1 written by this version; they must keep opening.
    const GOLDEN_V1: &str = include_str!("../tests/golden-links-v1.txt");

    #[test]
    fn round_trip_is_exact_and_deterministic() {
        let d = sample_doc();
        let link = encode(&d);
        assert!(link.starts_with("v1."));
        assert_eq!(link, encode(&d));
        assert_eq!(decode(&link).unwrap(), d);
        assert_eq!(decode(&format!("#{link}")).unwrap(), d);
        assert_eq!(decode(&encode(&Doc::default())).unwrap(), Doc::default());
    }

    pub fn explore_doc() -> Doc {
        let mut d = sample_doc();
        d.explore.checkpoint = Some(1125);
        d.explore.ablated = vec![(1, 3)];
        d.explore.vary = crate::doc::Vary::Labels;
        d.explore.focus = Some(40);
        d
    }

    #[test]
    fn golden_links_keep_decoding() {
        let mut n = 0;
        for line in GOLDEN_V1
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            let (name, link) = line.split_once(' ').unwrap();
            let d = decode(link).unwrap_or_else(|e| panic!("golden link {name}: {e}"));
            match name {
                "default" => assert_eq!(d, Doc::default()),
                "sample" => assert_eq!(d, sample_doc()),
                "explore" => assert_eq!(d, explore_doc()),
                _ => {}
            }
            n += 1;
        }
        assert!(n >= 2);
    }

    /// Links name their model by its id, as before models were typed: the golden "sample"
    /// link's `"attn2"` reads as a shipped model; `"live"` and `null` read and write the same.
    #[test]
    fn links_name_models_by_id_as_before() {
        use crate::protocol::ModelRef;
        use serde_json::Value;
        for (model, id) in [
            (ModelRef::Default, Value::Null),
            (ModelRef::Live, Value::from("live")),
            (ModelRef::Shipped("attn2".into()), Value::from("attn2")),
        ] {
            let d = Doc {
                model: model.clone(),
                ..Doc::default()
            };
            assert_eq!(serde_json::to_value(&d).unwrap()["model"], id);
            assert_eq!(decode(&encode(&d)).unwrap().model, model);
        }
        assert_eq!(sample_doc().model, ModelRef::Shipped("attn2".into()));
    }

    #[test]
    fn every_proper_prefix_is_rejected() {
        let link = encode(&sample_doc());
        for end in 0..link.len() {
            assert!(
                decode(&link[..end]).is_err(),
                "prefix of length {end} decoded"
            );
        }
    }

    #[test]
    fn hostile_links_get_typed_errors() {
        assert_eq!(decode(""), Err(LinkError::NotALink));
        assert_eq!(decode("hello"), Err(LinkError::NotALink));
        assert_eq!(decode("v1"), Err(LinkError::NotALink));
        assert_eq!(decode("v99999999999.x"), Err(LinkError::NotALink));
        assert_eq!(decode("v2.AAAA"), Err(LinkError::FutureVersion(2)));
        assert_eq!(decode("v1.!!!"), Err(LinkError::Damaged));
        assert_eq!(
            decode(&"v1.".repeat(20_000)),
            Err(LinkError::TooLong(60_000))
        );
        // A deflate bomb: 4 MiB of zeros packs into a few kB.
        let bomb = miniz_oxide::deflate::compress_to_vec_zlib(&vec![b' '; 4 << 20], 10);
        let link = format!("v1.{}", URL_SAFE_NO_PAD.encode(bomb));
        assert!(link.len() < MAX_LINK);
        assert_eq!(decode(&link), Err(LinkError::TooLarge));
        // Valid JSON that is not a document.
        let other = miniz_oxide::deflate::compress_to_vec_zlib(br#"{"a":1}"#, 9);
        let link = format!("v1.{}", URL_SAFE_NO_PAD.encode(other));
        assert!(matches!(decode(&link), Err(LinkError::BadState(_))));
        // A million examples are refused (by size or by count), never built into the page.
        let many = Doc {
            examples: vec![Example::new("a", "b"); 1_000_000],
            ..Doc::default()
        };
        assert!(matches!(
            decode(&encode(&many)),
            Err(LinkError::TooLong(_) | LinkError::TooLarge | LinkError::OutOfLimits(_))
        ));
        // Script-laden strings decode as plain text (the page renders text nodes only).
        let x = Doc {
            query: "<img src=x onerror=alert(1)>\"><script>alert(2)</script>javascript:alert(3)"
                .into(),
            ..Doc::default()
        };
        assert_eq!(decode(&encode(&x)).unwrap(), x);
    }

    /// Any JSON text packed as a link, as a crafted link would be.
    pub(super) fn pack(json: &str) -> String {
        let packed = miniz_oxide::deflate::compress_to_vec_zlib(json.as_bytes(), 6);
        format!("v{VERSION}.{}", URL_SAFE_NO_PAD.encode(packed))
    }

    /// Every string in `v` replaced by `text`; every number by `text` too when `retype`.
    fn fill(v: &mut serde_json::Value, text: &str, retype: bool) {
        use serde_json::Value;
        match v {
            Value::String(s) => *s = text.to_string(),
            Value::Number(_) if retype => *v = Value::String(text.to_string()),
            Value::Array(a) => a.iter_mut().for_each(|x| fill(x, text, retype)),
            Value::Object(o) => o.values_mut().for_each(|x| fill(x, text, retype)),
            _ => {}
        }
    }

    /// A link whose document has a wrong type beside 150 `é`s used to panic the page: the
    /// error message was cut at byte 200, inside a character.
    #[test]
    fn a_wrongly_typed_field_of_multibyte_text_is_a_clear_error() {
        let json = format!(r#"{{"query":"{}","examples":7}}"#, "é".repeat(150));
        let err = decode(&pack(&json)).unwrap_err();
        assert!(matches!(err, LinkError::BadState(_)), "{err}");
        assert!(!err.to_string().contains('é'), "{err}");
    }

    proptest! {
        #[test]
        fn crafted_documents_with_multibyte_text_never_panic_nor_echo(
            text in "[é€😀\u{301}\u{202e}a-z\"\\\\<>]{1,200}",
            retype in any::<bool>(),
            cut in any::<prop::sample::Index>(),
        ) {
            let mut v = serde_json::to_value(sample_doc()).unwrap();
            fill(&mut v, &text, retype);
            let json = v.to_string();
            // The whole document, and the document cut at any character.
            let at = cut.index(json.chars().count() + 1);
            let head: String = json.chars().take(at).collect();
            for candidate in [json.clone(), head] {
                match decode(&pack(&candidate)) {
                    Ok(d) => prop_assert_eq!(d.query.as_str(), text.as_str()),
                    Err(e) => {
                        let shown = e.to_string();
                        prop_assert!(
                            !shown.contains(['é', '€', '😀', '<', '\\', '"']),
                            "{}", shown
                        );
                    }
                }
            }
        }

        #[test]
        fn decoding_any_string_never_panics(s in ".{0,300}") {
            let _ = decode(&s);
            let _ = decode(&format!("v1.{s}"));
        }

        #[test]
        fn any_valid_document_round_trips(
            texts in proptest::collection::vec("\\PC{0,12}", 0..12),
            query in "\\PC{0,20}",
            temperature in 0.0f32..2.0,
            seed in any::<u64>(),
        ) {
            let d = Doc {
                examples: texts.chunks(2).map(|c| Example::new(c[0].clone(), c.get(1).cloned().unwrap_or_default())).collect(),
                query,
                sampling: crate::doc::Sampling { temperature, seed, ..Default::default() },
                ..Doc::default()
            };
            prop_assert_eq!(decode(&encode(&d)).unwrap(), d);
        }
    }
}

#[cfg(test)]
mod golden {
    /// Prints links for the golden file: `cargo test -p icl-web print_golden -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn print_golden() {
        println!("default {}", super::encode(&crate::doc::Doc::default()));
        println!("sample {}", super::encode(&super::tests::sample_doc()));
        println!("explore {}", super::encode(&super::tests::explore_doc()));
    }
}

#[cfg(test)]
#[path = "share_fuzz.rs"]
mod fuzz;
