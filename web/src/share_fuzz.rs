//! The fuzzing of share links that runs on stable, in every `cargo xtask test`: documents
//! assembled from a dictionary of JSON pieces (every field name of a document, numbers at and
//! past every limit, strings of multi-byte, right-to-left, combining and NUL characters,
//! broken escapes), packed as a crafted link would be, whole and cut anywhere. Decoding
//! returns a document or a typed error that does not quote the link. `ICL_FUZZ_CASES` sets
//! the number of cases (the xtask runs many; a plain `cargo test` runs 256).

use proptest::prelude::*;

use super::tests::{pack, sample_doc};
use super::*;

/// Every object key of a document, as JSON strings.
fn keys() -> Vec<String> {
    fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(o) => {
                for (k, x) in o {
                    out.push(format!("\"{k}\""));
                    walk(x, out);
                }
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(&serde_json::to_value(sample_doc()).unwrap(), &mut out);
    out.sort();
    out.dedup();
    out
}

const PIECES: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "null",
    "true",
    "false",
    "0",
    "-1",
    "1e309",
    "-1e309",
    "NaN",
    "0.5",
    "2.0000001",
    "65",
    "1000",
    "1001",
    "18446744073709551616",
    "-0",
    "\"\"",
    "\"é€😀\"",
    "\"\\u0000\"",
    "\"\\ud800\"",
    "\"\\u202e abc\"",
    "\"e\\u0301\"",
    "\"<img src=x onerror=alert(1)>\"",
    "\"\\\"",
    "\"\\x\"",
    "\"builder\"",
    "\"raw\"",
    "\"reverse\"",
    "\"base\"",
    "\"../models\"",
    "\"",
];

fn cases() -> u32 {
    std::env::var("ICL_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

/// A document-like text from the dictionary, with a long multi-byte string now and then.
fn document() -> impl Strategy<Value = String> {
    let mut dict: Vec<String> = PIECES.iter().map(|p| p.to_string()).collect();
    dict.extend(keys());
    dict.push(format!("\"{}\"", "é".repeat(150)));
    dict.push(format!("\"{}\"", "😀".repeat(2_001)));
    proptest::collection::vec(proptest::sample::select(dict), 1..80).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn documents_from_a_json_dictionary_never_panic_nor_echo(
        json in document(),
        cut in any::<prop::sample::Index>(),
    ) {
        let at = cut.index(json.chars().count() + 1);
        let head: String = json.chars().take(at).collect();
        for candidate in [json.as_str(), head.as_str()] {
            let link = pack(candidate);
            match decode(&link) {
                Ok(doc) => prop_assert_eq!(decode(&encode(&doc)).unwrap(), doc),
                Err(e) => {
                    let shown = e.to_string();
                    prop_assert!(!shown.contains(['é', '😀', '<', '\\', '\u{202e}']), "{}", shown);
                }
            }
            // The link cut at any character is rejected, never read as another state.
            let cut_link: String = link.chars().take(at.min(link.len())).collect();
            let _ = decode(&cut_link);
        }
    }
}
