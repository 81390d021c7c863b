//! The benchmarks of `icl_model::bench`, in the browser: `cargo xtask bench` writes
//! `target/bench/models.rs` (the weights to embed) and runs this in headless Chromium; each
//! figure comes back as a `BENCH` line on the console.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

// `MODELS: &[(&str, &[u8], &str)]`: id, file bytes, SHA-256.
include!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../target/bench/models.rs"
));

/// `performance.now()` in milliseconds.
fn now() -> f64 {
    let global = js_sys::global();
    let perf = js_sys::Reflect::get(&global, &"performance".into()).expect("performance");
    let f: js_sys::Function = js_sys::Reflect::get(&perf, &"now".into())
        .expect("performance.now")
        .into();
    f.call0(&perf).ok().and_then(|v| v.as_f64()).unwrap_or(0.0)
}

#[wasm_bindgen_test]
fn browser_figures() {
    let models: Vec<(String, Vec<u8>, String)> = MODELS
        .iter()
        .map(|(id, bytes, sha)| (id.to_string(), bytes.to_vec(), sha.to_string()))
        .collect();
    let mut figures = icl_model::bench::run_all("browser", &models, now, QUICK);
    assert!(!figures.is_empty());
    // The race to the induction head takes minutes: the full run, with SIMD (the site's build).
    if !QUICK && cfg!(target_feature = "simd128") {
        let device = burn::tensor::Device::flex();
        figures.extend(
            icl_model::bench::race_figures("browser", &device, now)
                .expect("the live presets train"),
        );
    }
    for f in figures {
        console_log!(
            "BENCH {}",
            serde_json::to_string(&f).expect("a figure serialises")
        );
    }
}
