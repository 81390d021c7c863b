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

/// A live preset raced as the benchmark races it, a stretch at a time, letting the browser's
/// event loop run in between (the test runner polls the page, and takes a page that does not
/// answer for 30 s for dead).
async fn race(
    live: &icl_model::train::live::Live,
    until: icl_model::bench::race::Until,
) -> icl_model::bench::race::Race {
    let device = burn::tensor::Device::flex();
    let every = icl_model::bench::jobs::RACE_EVERY;
    let mut racer = icl_model::bench::race::Racer::new(live, 0, device, now, until, every)
        .expect("the live presets train");
    loop {
        racer.stretch();
        if let Some(r) = racer.result() {
            return r;
        }
        gloo_timers::future::TimeoutFuture::new(0).await;
    }
}

/// The race to the induction head and the 1-layer control: minutes, so the full run with SIMD
/// (the site's build) only.
#[wasm_bindgen_test]
async fn browser_race_figures() {
    if QUICK || ONLY.is_some() || !cfg!(target_feature = "simd128") {
        return;
    }
    use icl_model::bench::jobs::{RACE_ONE, RACE_TWO, race_figures_of};
    use icl_model::train::live::Live;
    let two = race(&Live::TWO, RACE_TWO).await;
    let one = race(&Live::ONE, RACE_ONE).await;
    for f in race_figures_of("browser", &two, &one) {
        console_log!(
            "BENCH {}",
            serde_json::to_string(&f).expect("a figure serialises")
        );
    }
}

/// Every job's figure, one job at a time with the event loop let run in between: the full run
/// without SIMD takes minutes, and a page that does not answer for 30 s is taken for dead.
#[wasm_bindgen_test]
async fn browser_figures() {
    let models: Vec<(String, Vec<u8>, String)> = MODELS
        .iter()
        .map(|(id, bytes, sha)| (id.to_string(), bytes.to_vec(), sha.to_string()))
        .collect();
    let loaded = icl_model::bench::jobs::load_all(&models);
    let mut jobs = icl_model::bench::jobs::jobs(&loaded, now, QUICK);
    jobs.retain(|j| ONLY.is_none_or(|o| j.what == o));
    assert!(!jobs.is_empty());
    for mut job in jobs {
        let f = if job.what == icl_model::bench::jobs::TUNE && !QUICK {
            // Seconds a tune: one untimed, then the median of three, the event loop let run
            // between them.
            let mut t = Vec::new();
            for _ in 0..4 {
                t.push((job.run)(1));
                gloo_timers::future::TimeoutFuture::new(0).await;
            }
            t.remove(0);
            t.sort_by(f64::total_cmp);
            job.figure("browser", t[1])
        } else {
            icl_model::bench::jobs::run_job(&mut job, "browser", now, QUICK)
        };
        console_log!(
            "BENCH {}",
            serde_json::to_string(&f).expect("a figure serialises")
        );
        gloo_timers::future::TimeoutFuture::new(0).await;
    }
}
