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
    scale_view(&c).await;
    c.close().await.ok();
}

/// The Scale view opened by its button on the warm page: when its first curves (the
/// ladder's measured sets) appear, when the first rung has answered the visitor's prompt
/// and when every rung has, in milliseconds after the click; and the longest main-thread
/// task meanwhile (the Long Tasks API: tasks over 50 ms).
async fn scale_view(c: &Client) {
    let t = c
        .execute_async(
            "const [limit, done] = arguments;
             window.scaleTasks = [];
             new PerformanceObserver(l => window.scaleTasks.push(...l.getEntries().map(e => e.duration)))
                 .observe({ type: 'longtask' });
             const start = performance.now();
             document.querySelector('#run-scale').click();
             const seen = {};
             const poll = () => {
               const now = performance.now() - start;
               for (const [k, css] of [['sets', '#scale-sets circle.pt'], ['rung', '#scale-prompt circle.pt'],
                                       ['all', '#scale-table[data-done=true]']]) {
                 if (seen[k] === undefined && document.querySelector(css)) seen[k] = now;
               }
               if (seen.all !== undefined && seen.sets !== undefined) {
                 return done([seen.sets, seen.rung, seen.all, Math.max(0, ...window.scaleTasks)]);
               }
               if (now > limit) return done(null);
               setTimeout(poll, 10);
             };
             poll();",
            vec![json!(LIMIT_MS)],
        )
        .await
        .expect("the page answers");
    let v: Vec<f64> = serde_json::from_value(t)
        .unwrap_or_else(|_| panic!("the Scale view did not finish within {LIMIT_MS} ms"));
    figure("Scale view: first curves after its button (warm)", v[0]);
    figure("Scale view: first rung's answer after its button", v[1]);
    figure("Scale view: every rung's answer after its button", v[2]);
    figure(
        "Scale view: longest main-thread task while the rungs load",
        v[3],
    );
}
