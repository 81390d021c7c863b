//! Share links from strangers: decoding any input returns a document or a typed error, never a
//! panic, and stays within its size limits. Three shapes of input reach the three layers:
//! the raw fragment, arbitrary bytes as the base64 payload, and arbitrary bytes as the
//! compressed JSON.
#![no_main]

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use icl_web::share::{decode, encode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = decode(s);
    }
    let _ = decode(&format!("v1.{}", URL_SAFE_NO_PAD.encode(data)));
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(data, 1);
    if let Ok(doc) = decode(&format!("v1.{}", URL_SAFE_NO_PAD.encode(packed))) {
        // Whatever decodes re-encodes to a link that decodes to the same document.
        assert_eq!(decode(&encode(&doc)).unwrap(), doc);
    }
});
