//! How soon the built site is ready, as a visitor meets it: a fresh profile opens the page
//! (cold: nothing cached), then the same profile opens it again (warm: the service worker and
//! the cache hold the wasm and the weights). Prints `BENCH` figures for `cargo xtask bench`
//! (milliseconds from the navigation's start, as the page's own clock counts them); it
//! asserts only that each milestone is reached, never how fast.

use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use icl_tests::{ChromeDriver, SUB_PATH, StaticServer};
use serde_json::json;

/// How long a milestone may take: under WebDriver's default script timeout (60 s).
const LIMIT_MS: u64 = 55_000;

/// Waits (up to [`LIMIT_MS`]) for `css` to match and returns the page's clock when it first
/// did (polled every 10 ms inside the page).
async fn reached(c: &Client, css: &str) -> f64 {
    let t = c
        .execute_async(
            "const [css, limit, done] = arguments;
             const start = performance.now();
             const poll = () => {
               if (document.querySelector(css)) return done(performance.now());
               if (performance.now() - start > limit) return done(null);
               setTimeout(poll, 10);
             };
             poll();",
            vec![json!(css), json!(LIMIT_MS)],
        )
        .await
        .expect("the page answers");
    t.as_f64()
        .unwrap_or_else(|| panic!("{css} was not reached within {LIMIT_MS} ms"))
}

fn figure(what: &str, ms: f64) {
    let f = json!({"place": "browser", "backend": "site", "what": what, "model": "default", "value": ms, "unit": "ms"});
    println!("BENCH {f}");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "a benchmark of the built site: run by cargo xtask bench"]
async fn time_to_ready() {
    let dist = std::env::var("ICL_DIST").expect("ICL_DIST names the built site");
    let server = StaticServer::start_at(std::path::Path::new(&dist), "127.0.0.1:0", SUB_PATH)
        .expect("server starts");
    let driver = ChromeDriver::start().expect("chromedriver starts");
    let c = ClientBuilder::new(HttpConnector::new())
        .capabilities(ChromeDriver::capabilities())
        .connect(&driver.url())
        .await
        .expect("a WebDriver session starts");
    c.goto(&server.url()).await.unwrap();
    figure(
        "time to ready, first visit (cold)",
        reached(&c, "[data-model=ready]").await,
    );
    figure(
        "time to the first visit's answer and curve (cold)",
        reached(&c, "html[data-first-visit=done]").await,
    );
    // The service worker takes the page over once its cache is filled.
    c.execute_async(
        "const done = arguments[0];
         navigator.serviceWorker.ready.then(() => done(true), () => done(false));",
        vec![],
    )
    .await
    .ok();
    c.refresh().await.unwrap();
    figure(
        "time to ready, second visit (warm)",
        reached(&c, "[data-model=ready]").await,
    );
    c.close().await.ok();
}
